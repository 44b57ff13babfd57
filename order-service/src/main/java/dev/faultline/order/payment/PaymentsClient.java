package dev.faultline.order.payment;

import dev.faultline.contract.PaymentIds;
import dev.faultline.order.orders.Order;
import dev.faultline.order.saga.SagaProperties;
import dev.faultline.shard.ShardClient;
import dev.faultline.web.outbound.ServiceIdentity;
import dev.faultline.web.outbound.ServiceInstances;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The saga's calls to the payment service: each with the step timeout, behind one Resilience4j
 * circuit breaker (a payment service that keeps failing is left alone for a while, and the sagas
 * back off instead of piling timeouts on it), and keyed by the order's operation IDs.
 *
 * <p>Instances are tried in a per-account affinity order (the one that holds the account's lease
 * warm gets its payments); the next one is tried only when a connection was refused, which proves
 * the request never arrived. Every other failure is an unknown outcome for the saga to retry.
 */
@Component
public class PaymentsClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ServiceInstances instances;
  private final ServiceIdentity identity;
  private final ShardClient shards;
  private final Duration stepTimeout;
  private final CircuitBreaker breaker;
  private final HttpClient http;

  PaymentsClient(
      ServiceInstances instances,
      ServiceIdentity identity,
      ShardClient shards,
      SagaProperties properties,
      MeterRegistry meters) {
    this.instances = instances;
    this.identity = identity;
    this.shards = shards;
    this.stepTimeout = properties.stepTimeout();
    CircuitBreakerRegistry registry =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50)
                .waitDurationInOpenState(properties.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(3)
                .recordExceptions(Transient.class)
                .build());
    this.breaker = registry.circuitBreaker("payment-service");
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
  }

  /** The payment's ID for an order: the payment service's operation ID for its charge. */
  public String paymentId(Order order) {
    int slot = shards.route(order.accountId()).slot();
    return PaymentIds.of(slot, order.id().toString());
  }

  /** Charges the order's total, on behalf of its customer: {@code order-<id>-charge}. */
  public PaymentOutcome charge(Order order) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("orderId", order.id().toString());
    body.put("accountId", order.accountId());
    body.put("amountCents", order.totalCents());
    body.put("currency", order.currency());
    body.put("customerId", order.customerId());
    return call(
        order.accountId(),
        "/api/payments",
        "order-" + order.id() + "-charge",
        JSON.writeValueAsString(body),
        response ->
            switch (response.statusCode()) {
              case 200, 201 -> {
                JsonNode payment = JSON.readTree(response.body());
                String status = payment.get("status").asString();
                yield "DECLINED".equals(status)
                    ? new PaymentOutcome.Declined(
                        payment.path("declineReason").asString("DECLINED"))
                    : new PaymentOutcome.Captured(payment.get("id").asString());
              }
              // Definitive refusals: the money did not move and never will under this ID.
              case 403, 422 -> new PaymentOutcome.Declined(problemSlug(response));
              case 409 ->
                  "payment-voided".equals(problemSlug(response))
                      ? new PaymentOutcome.Declined("payment-voided")
                      : unknown(response);
              default -> unknown(response);
            });
  }

  /** Refunds everything the order's charge captured, or voids it: {@code order-<id>-refund}. */
  public PaymentOutcome refund(Order order) {
    return call(
        order.accountId(),
        "/api/payments/" + paymentId(order) + "/refunds",
        "order-" + order.id() + "-refund",
        "{}",
        response ->
            response.statusCode() == 201
                ? new PaymentOutcome.Refunded(
                    JSON.readTree(response.body()).get("amountCents").asLong())
                : unknown(response));
  }

  /**
   * Refunds the part of the order on its way back ({@code refundPendingCents}) under the order's
   * latest partial-refund operation ID, {@code order-<id>-refund-<n>}: a retry applies it once. A
   * definitive refusal (403, 422) is a {@link PaymentOutcome.Declined}.
   */
  public PaymentOutcome refundPart(Order order) {
    return call(
        order.accountId(),
        "/api/payments/" + paymentId(order) + "/refunds",
        "order-" + order.id() + "-refund-" + order.partialRefunds(),
        "{\"amountCents\":" + order.refundPendingCents() + "}",
        response ->
            switch (response.statusCode()) {
              case 201 ->
                  new PaymentOutcome.Refunded(
                      JSON.readTree(response.body()).get("amountCents").asLong());
              case 403, 422 -> new PaymentOutcome.Declined(problemSlug(response));
              default -> unknown(response);
            });
  }

  /** The account an order wants to charge: who owns it, in which currency. */
  public AccountCheck account(String accountId) {
    try {
      HttpResponse<String> response =
          breaker.executeCallable(
              () -> send(accountId, "/api/accounts/" + accountId, HttpRequest.Builder::GET));
      return switch (response.statusCode()) {
        case 200 -> {
          JsonNode account = JSON.readTree(response.body());
          yield new AccountCheck.Found(
              account.get("ownerId").asString(), account.get("currency").asString());
        }
        case 404 -> new AccountCheck.Missing();
        default ->
            new AccountCheck.Unavailable("payment service answered " + response.statusCode());
      };
    } catch (Exception e) {
      return new AccountCheck.Unavailable(describe(e));
    }
  }

  private interface Interpretation {
    PaymentOutcome of(HttpResponse<String> response);
  }

  private PaymentOutcome call(
      String accountId, String path, String key, String json, Interpretation interpretation) {
    try {
      HttpResponse<String> response =
          breaker.executeCallable(
              () -> {
                HttpResponse<String> r =
                    send(
                        accountId,
                        path,
                        request ->
                            request
                                .header("Idempotency-Key", key)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json)));
                if (r.statusCode() >= 500 || r.statusCode() == 429) {
                  throw new Transient("payment service answered " + r.statusCode());
                }
                return r;
              });
      return interpretation.of(response);
    } catch (Exception e) {
      return new PaymentOutcome.Unknown(describe(e));
    }
  }

  /**
   * Sends {@code path} (shaped by {@code method}) to the account's instances in affinity order,
   * moving on only when a connection was refused.
   */
  private HttpResponse<String> send(
      String accountId, String path, java.util.function.Consumer<HttpRequest.Builder> method)
      throws Transient, InterruptedException {
    ConnectException refused = null;
    for (URI base : instances.byAffinity("payment-service", accountId)) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(stepTimeout)
              .header("Authorization", "Bearer " + identity.requireToken());
      method.accept(request);
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException e) {
        refused = e; // never arrived: the next instance may take it
      } catch (IOException e) {
        throw new Transient(base + ": " + e);
      }
    }
    throw new Transient("no payment-service instance took the call: " + refused);
  }

  private static PaymentOutcome unknown(HttpResponse<String> response) {
    return new PaymentOutcome.Unknown(
        "payment service answered " + response.statusCode() + " " + problemSlug(response));
  }

  private static String problemSlug(HttpResponse<String> response) {
    try {
      String type = JSON.readTree(response.body()).path("type").asString("");
      return type.substring(type.lastIndexOf(':') + 1);
    } catch (RuntimeException e) {
      return "http-" + response.statusCode();
    }
  }

  private static String describe(Exception e) {
    return switch (e) {
      case CallNotPermittedException open -> "circuit open: payment service failing";
      case ServiceInstances.NoInstanceException none -> "no payment-service instance";
      default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    };
  }

  /** A failure the breaker counts: the service misbehaved or could not be reached. */
  static final class Transient extends Exception {
    Transient(String message) {
      super(message);
    }
  }
}
