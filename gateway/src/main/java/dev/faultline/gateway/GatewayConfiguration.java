package dev.faultline.gateway;

import dev.faultline.gateway.metrics.OperationMetricsFilter;
import dev.faultline.gateway.metrics.OperationTagsProvider;
import dev.faultline.gateway.problem.GatewayProblems;
import dev.faultline.gateway.problem.ProblemErrorHandler;
import dev.faultline.gateway.problem.TraceIdFilter;
import dev.faultline.gateway.resilience.SafeRetryGatewayFilterFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's own pieces; the routes themselves are in application.yml. */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

  @Bean
  GatewayProblems gatewayProblems(JsonMapper json) {
    return new GatewayProblems(json);
  }

  @Bean
  ProblemErrorHandler problemErrorHandler(GatewayProblems problems) {
    return new ProblemErrorHandler(problems);
  }

  @Bean
  TraceIdFilter traceIdFilter(Tracer tracer) {
    return new TraceIdFilter(tracer);
  }

  @Bean
  SafeRetryGatewayFilterFactory safeRetryGatewayFilterFactory(RetryGatewayFilterFactory retries) {
    return new SafeRetryGatewayFilterFactory(retries);
  }

  @Bean
  OperationMetricsFilter operationMetricsFilter(MeterRegistry meters) {
    return new OperationMetricsFilter(meters);
  }

  @Bean
  OperationTagsProvider operationTagsProvider() {
    return new OperationTagsProvider();
  }
}
