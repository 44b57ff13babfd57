package dev.faultline.web;

import dev.faultline.web.caller.CallerArgumentResolver;
import dev.faultline.web.discovery.RestartSafeRegistration;
import dev.faultline.web.limits.BodyLimitFilter;
import dev.faultline.web.limits.RequestLimits;
import dev.faultline.web.outbound.ServiceCredentials;
import dev.faultline.web.outbound.ServiceIdentity;
import dev.faultline.web.outbound.ServiceInstances;
import dev.faultline.web.problem.IfMatch;
import dev.faultline.web.problem.ProblemDetailsAdvice;
import dev.faultline.web.problem.ProblemErrorController;
import dev.faultline.web.problem.ProblemReportValve;
import dev.faultline.web.problem.ProblemResponses;
import dev.faultline.web.security.ServiceSecurityConfiguration;
import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * What every servlet service of the suite gets by depending on this library: token checks, a {@link
 * dev.faultline.web.caller.Caller} parameter, problem details for every error. Runs before Boot's
 * error handling so our error controller replaces Boot's.
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import({
  ServiceSecurityConfiguration.class,
  ProblemDetailsAdvice.class,
  dev.faultline.web.docs.ApiDocumentation.class
})
@EnableConfigurationProperties({ServiceCredentials.class, RequestLimits.class})
public class ServiceWebAutoConfiguration {

  /** Static: a post-processor must exist before the beans it wraps. */
  @Bean
  static RestartSafeRegistration restartSafeRegistration() {
    return new RestartSafeRegistration();
  }

  @Bean
  ServiceIdentity serviceIdentity(
      @Value("${spring.application.name}") String name, ServiceCredentials credentials) {
    return new ServiceIdentity(name, credentials, java.time.Clock.systemUTC());
  }

  @Bean
  ServiceInstances serviceInstances(DiscoveryClient discovery) {
    return new ServiceInstances(discovery);
  }

  /**
   * Request bodies bind strictly, so a client's slip is refused instead of guessed at: an integer
   * field takes integers only (1.5 is a 400, never truncated to 1), strings, numbers and booleans
   * are not coerced into one another ("250" is not 250), a key given twice is refused, and so is a
   * key the API does not know (a misspelt {@code amountCent} is an error, not a silent default).
   * Only request bodies bind to types: the services read each other's answers as trees, so a field
   * added to an answer breaks no caller.
   */
  @Bean
  JsonMapperBuilderCustomizer strictJsonBinding() {
    return builder ->
        builder
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .withCoercionConfig(
                LogicalType.Textual,
                text ->
                    text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }

  @Bean
  ProblemResponses problemResponses(JsonMapper json) {
    return new ProblemResponses(json);
  }

  @Bean
  ProblemErrorController problemErrorController(ProblemResponses responses) {
    return new ProblemErrorController(responses);
  }

  /**
   * Tomcat's refusals of what never reaches Spring (an encoded NUL in the path, invalid UTF-8, a
   * malformed request line) are problems too: the host's error report valve is ours. Set on the
   * host before it starts, which is when Tomcat installs the valve.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
              }
            });
  }

  /**
   * The body limit, right after the observation filter (so a refusal carries the trace ID) and
   * before security, so an oversized body costs a service nothing, authenticated or not.
   */
  @Bean
  FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(
      RequestLimits limits, ProblemResponses problems) {
    FilterRegistrationBean<BodyLimitFilter> registration =
        new FilterRegistrationBean<>(new BodyLimitFilter(limits, problems));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return registration;
  }

  @Bean
  WebMvcConfigurer callerParameters() {
    return new WebMvcConfigurer() {
      @Override
      public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
      }

      /** {@code If-Match} bound as an {@link IfMatch}: malformed, it is refused while binding. */
      @Override
      public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, IfMatch.class, IfMatch::parse);
      }
    };
  }
}
