package dev.faultline.web.security;

import dev.faultline.auth.spring.RoleAuthorities;
import dev.faultline.auth.spring.SuiteJwtDecoders;
import dev.faultline.web.problem.ProblemResponses;
import dev.faultline.web.problem.Problems;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Defence in depth: every service checks the bearer token again, though the gateway already did, so
 * a caller that reaches a service port directly gets no further than through the gateway. Health
 * and metrics stay open on the service's own port, for probes and scrapers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthProperties.class)
public class ServiceSecurityConfiguration {

  @Bean
  JwtDecoder jwtDecoder(AuthProperties auth) {
    return SuiteJwtDecoders.servlet(auth.publicKeyFile());
  }

  @Bean
  SecurityFilterChain apiSecurity(HttpSecurity http, ProblemResponses problems) throws Exception {
    JwtAuthenticationConverter authentication = new JwtAuthenticationConverter();
    authentication.setJwtGrantedAuthoritiesConverter(new RoleAuthorities());
    return http.csrf(csrf -> csrf.disable()) // stateless bearer-token API: no cookies to forge
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        "/actuator/health",
                        "/actuator/health/**",
                        "/actuator/prometheus",
                        "/actuator/info",
                        "/v3/api-docs")
                    .permitAll()
                    .requestMatchers("/error")
                    .permitAll()
                    .requestMatchers("/api/**")
                    .authenticated()
                    .anyRequest()
                    .denyAll())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> jwt.jwtAuthenticationConverter(authentication))
                    .authenticationEntryPoint(unauthorized(problems))
                    .accessDeniedHandler(forbidden(problems)))
        .exceptionHandling(
            ex ->
                ex.authenticationEntryPoint(unauthorized(problems))
                    .accessDeniedHandler(forbidden(problems)))
        .build();
  }

  private static AuthenticationEntryPoint unauthorized(ProblemResponses problems) {
    return (request, response, e) -> {
      // RFC 6750: say which scheme is expected; the reason stays out of the header on purpose.
      response.setHeader("WWW-Authenticate", "Bearer realm=\"faultline\"");
      problems.write(
          response,
          Problems.of(
              HttpStatus.UNAUTHORIZED,
              "unauthorized",
              "Unauthorized",
              "A valid bearer token is required"));
    };
  }

  private static AccessDeniedHandler forbidden(ProblemResponses problems) {
    return (request, response, e) ->
        problems.write(
            response,
            Problems.of(
                HttpStatus.FORBIDDEN,
                "forbidden",
                "Forbidden",
                "The token does not grant this operation"));
  }
}
