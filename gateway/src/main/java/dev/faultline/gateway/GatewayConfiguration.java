package dev.faultline.gateway;

import dev.faultline.gateway.admission.Admission;
import dev.faultline.gateway.admission.AdmissionProperties;
import dev.faultline.gateway.admission.EarlyShedding;
import dev.faultline.gateway.admission.Rejections;
import dev.faultline.gateway.admission.ServicePaths;
import dev.faultline.gateway.admission.SlotsFilter;
import dev.faultline.gateway.balancing.BalancingClientConfiguration;
import dev.faultline.gateway.balancing.BalancingProperties;
import dev.faultline.gateway.balancing.InstanceOutcomeFilter;
import dev.faultline.gateway.balancing.OutlierPolicy;
import dev.faultline.gateway.balancing.Outliers;
import dev.faultline.gateway.balancing.RoutePolicies;
import dev.faultline.gateway.limits.BodyLimitFilter;
import dev.faultline.gateway.limits.DecodingFailureProblems;
import dev.faultline.gateway.metrics.OperationMetricsFilter;
import dev.faultline.gateway.metrics.OperationTagsProvider;
import dev.faultline.gateway.problem.GatewayProblems;
import dev.faultline.gateway.problem.ProblemErrorHandler;
import dev.faultline.gateway.problem.TraceIdFilter;
import dev.faultline.gateway.ratelimit.RateLimitFilter;
import dev.faultline.gateway.ratelimit.RateLimitProperties;
import dev.faultline.gateway.resilience.RetryBudgetProperties;
import dev.faultline.gateway.resilience.RetryBudgets;
import dev.faultline.gateway.resilience.SafeRetryGatewayFilterFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.util.unit.DataSize;
import reactor.netty.NettyPipeline;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's own pieces; the routes themselves are in application.yml. */
@Configuration(proxyBeanMethods = false)
@LoadBalancerClients(defaultConfiguration = BalancingClientConfiguration.class)
@EnableConfigurationProperties({
  BalancingProperties.class,
  AdmissionProperties.class,
  RateLimitProperties.class,
  RetryBudgetProperties.class
})
class GatewayConfiguration {
  private static final Logger log = LoggerFactory.getLogger(GatewayConfiguration.class);

  @Bean
  Rejections rejections(MeterRegistry meters) {
    return new Rejections(meters);
  }

  /**
   * Each instance's concurrency limit and slots, and the short queue in front of a full service.
   */
  @Bean
  Admission admission(AdmissionProperties settings, MeterRegistry meters, Rejections rejections) {
    if (settings.unsafeSurgeQueue()) {
      log.warn(
          "UNSAFE: faultline.gateway.admission.unsafe-surge-queue is on: requests for a full"
              + " service wait in a queue of {} for up to {} instead of being refused at once;"
              + " under overload every request gets slow and clients time out while the queue"
              + " serves them. Use it only to see the collapse spillover prevents.",
          settings.queuePolicy().maxQueued(),
          settings.queuePolicy().maxWait());
    }
    return new Admission(
        settings.limit()::create, settings.queuePolicy(), System::nanoTime, meters, rejections);
  }

  @Bean
  RoutePolicies routePolicies(BalancingProperties settings) {
    return settings.policies();
  }

  @Bean
  SlotsFilter slotsFilter() {
    return new SlotsFilter();
  }

  @Bean
  RateLimitFilter rateLimitFilter(
      RateLimitProperties settings, GatewayProblems problems, Rejections rejections) {
    return new RateLimitFilter(settings, System::nanoTime, problems, rejections);
  }

  @Bean
  RetryBudgets retryBudgets(
      RetryBudgetProperties settings, MeterRegistry meters, Rejections rejections) {
    return new RetryBudgets(settings, System::nanoTime, meters, rejections);
  }

  /**
   * Every routed service's traffic series exist from startup at zero (rejections by cause, retries,
   * ejections), so dashboards and alerts see the first one as a change, not a series appearing.
   */
  @EventListener(ApplicationReadyEvent.class)
  void registerServiceSeries(ApplicationReadyEvent ready) {
    var context = ready.getApplicationContext();
    GatewayProperties gateway = context.getBean(GatewayProperties.class);
    gateway.getRoutes().stream()
        .map(route -> route.getUri())
        .filter(uri -> uri != null && "lb".equals(uri.getScheme()) && uri.getHost() != null)
        .map(URI::getHost)
        .distinct()
        .forEach(
            service -> {
              context.getBean(Rejections.class).register(service);
              context.getBean(RetryBudgets.class).register(service);
              context.getBean(InstanceOutcomeFilter.class).register(service);
            });
  }

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

  /**
   * Netty's own refusals (414, 431, an unparsable request) get problem bodies, and while a service
   * is saturated its requests are shed right after decoding ({@link EarlyShedding}).
   */
  @Bean
  NettyServerCustomizer nettyHandlers(
      GatewayProperties gateway,
      Admission admission,
      Rejections rejections,
      OperationMetricsFilter operations) {
    DecodingFailureProblems problems = new DecodingFailureProblems();
    ServicePaths paths = ServicePaths.of(gateway);
    return server ->
        server.doOnChannelInit(
            (observer, channel, remote) -> {
              if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                channel
                    .pipeline()
                    .addAfter(
                        NettyPipeline.HttpCodec, "faultline.decodingFailureProblems", problems)
                    .addAfter(
                        NettyPipeline.HttpCodec,
                        "faultline.earlyShedding",
                        new EarlyShedding(paths, admission, rejections, operations));
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
  SafeRetryGatewayFilterFactory safeRetryGatewayFilterFactory(
      RetryGatewayFilterFactory retries, RetryBudgets budgets) {
    return new SafeRetryGatewayFilterFactory(retries, budgets);
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
