package dev.faultline.gateway.security;

import dev.faultline.auth.spring.RoleAuthorities;
import dev.faultline.auth.spring.SuiteJwtDecoders;
import dev.faultline.gateway.problem.GatewayProblems;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;

/**
 * Authentication at the edge: every {@code /api/**} call needs a valid bearer token (401 otherwise)
 * and shard and saga administration needs the admin role (403 otherwise). The token is passed on
 * untouched, so each service verifies it again and knows the caller.
 */
@Configuration(proxyBeanMethods = false)
public class GatewaySecurity {

  @Bean
  ReactiveJwtDecoder jwtDecoder(@Value("${faultline.auth.public-key-file}") Path publicKeyFile) {
    return SuiteJwtDecoders.reactive(publicKeyFile);
  }

  @Bean
  SecurityWebFilterChain edgeSecurity(ServerHttpSecurity http, GatewayProblems problems) {
    JwtAuthenticationConverter roles = new JwtAuthenticationConverter();
    roles.setJwtGrantedAuthoritiesConverter(new RoleAuthorities());
    ServerAuthenticationEntryPoint unauthorized =
        (exchange, e) -> {
          exchange.getResponse().getHeaders().set("WWW-Authenticate", "Bearer realm=\"faultline\"");
          return problems.write(
              exchange,
              HttpStatus.UNAUTHORIZED,
              "unauthorized",
              "Unauthorized",
              "A valid bearer token is required");
        };
    ServerAccessDeniedHandler forbidden =
        (exchange, e) ->
            problems.write(
                exchange,
                HttpStatus.FORBIDDEN,
                "forbidden",
                "Forbidden",
                "The token does not grant this operation");
    return http.csrf(ServerHttpSecurity.CsrfSpec::disable) // bearer tokens, no cookies
        .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
        .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
        .authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers(
                        "/actuator/health",
                        "/actuator/health/**",
                        "/actuator/prometheus",
                        "/actuator/info")
                    .permitAll()
                    .pathMatchers(HttpMethod.GET, "/api/shards", "/api/shards/**")
                    .authenticated()
                    .pathMatchers("/api/shards", "/api/shards/**")
                    .hasRole("ADMIN")
                    // Saga operations (list stuck sagas, retry one) are for operators.
                    .pathMatchers("/api/sagas", "/api/sagas/**")
                    .hasRole("ADMIN")
                    .pathMatchers("/api/**")
                    .authenticated()
                    .anyExchange()
                    .permitAll()) // no route matches: the error handler answers 404
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(
                        jwt ->
                            jwt.jwtAuthenticationConverter(
                                new ReactiveJwtAuthenticationConverterAdapter(roles)))
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden))
        .exceptionHandling(
            ex -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
        .build();
  }
}
