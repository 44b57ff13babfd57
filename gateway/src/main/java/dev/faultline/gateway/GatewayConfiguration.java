package dev.faultline.gateway;

import dev.faultline.gateway.balancing.BalancingClientConfiguration;
import dev.faultline.gateway.balancing.InstanceOutcomeFilter;
import dev.faultline.gateway.balancing.OutlierPolicy;
import dev.faultline.gateway.balancing.Outliers;
import dev.faultline.gateway.limits.BodyLimitFilter;
import dev.faultline.gateway.limits.DecodingFailureProblems;
import dev.faultline.gateway.metrics.OperationMetricsFilter;
import dev.faultline.gateway.metrics.OperationTagsProvider;
import dev.faultline.gateway.problem.GatewayProblems;
import dev.faultline.gateway.problem.ProblemErrorHandler;
import dev.faultline.gateway.problem.TraceIdFilter;
import dev.faultline.gateway.resilience.SafeRetryGatewayFilterFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.util.unit.DataSize;
import reactor.netty.NettyPipeline;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's own pieces; the routes themselves are in application.yml. */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = BalancingClientConfiguration.class)
class GatewayConfiguration {

  /** Transport failures in a row that eject an instance, and for how long (doubling). */
  @Bean
  Outliers outliers(
      @Value("${faultline.gateway.outliers.consecutive-failures:2}") int consecutiveFailures,
      @Value("${faultline.gateway.outliers.base-ejection:2s}") Duration baseEjection,
      @Value("${faultline.gateway.outliers.max-ejection:30s}") Duration maxEjection) {
    return new Outliers(
        new OutlierPolicy(consecutiveFailures, baseEjection, maxEjection), System::nanoTime);
  }

  @Bean
  InstanceOutcomeFilter instanceOutcomeFilter(Outliers outliers, MeterRegistry meters) {
    return new InstanceOutcomeFilter(outliers, meters);
  }

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
  BodyLimitFilter bodyLimitFilter(
      @Value("${faultline.gateway.max-body-size:64KB}") DataSize limit, GatewayProblems problems) {
    return new BodyLimitFilter(limit, problems);
  }

  /** Netty's own refusals (414, 431, an unparsable request) get problem bodies. */
  @Bean
  NettyServerCustomizer decodingFailureProblems() {
    DecodingFailureProblems handler = new DecodingFailureProblems();
    return server ->
        server.doOnChannelInit(
            (observer, channel, remote) -> {
              if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel
                    .pipeline()
                    .addAfter(
                        NettyPipeline.HttpCodec, "faultline.decodingFailureProblems", handler);
              }
            });
  }

  /**
   * The security firewall's refusals (an encoded slash or dot segment, a semicolon in the path, a
   * header value HTTP does not allow) are 400 problems, not Spring Security's empty 400.
   */
  @Bean
  ServerExchangeRejectedHandler firewallRejections(GatewayProblems problems) {
    return (exchange, e) ->
        problems.write(
            exchange,
            HttpStatus.BAD_REQUEST,
            "bad-request",
            "Malformed request",
            "the path or a header holds characters that are not allowed");
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
