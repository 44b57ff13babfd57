package dev.faultline.gateway.metrics;

import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.web.server.ServerWebExchange;

/**
 * What a request through the gateway does, as one of a fixed set of names: the {@code operation}
 * label of the gateway's request metrics, which the SLOs in {@code monitoring/slo.yaml} select on.
 * A route alone cannot tell placing an order from reading one, or a lock's acquire from its renew;
 * the raw path would give every order its own series. Anything unrecognised is {@code other}, so
 * the label's values stay few whatever clients send.
 */
public enum Operation {
  PLACE_ORDER("POST", "/api/orders"),
  READ_ORDERS("GET", "/api/orders(/[^/]+)?"),
  CANCEL_ORDER("POST", "/api/orders/[^/]+/cancel"),
  REFUND_ORDER("POST", "/api/orders/[^/]+/refunds"),
  READ_SAGAS("GET", "/api/sagas(/.*)?"),
  OPEN_ACCOUNT("POST", "/api/accounts"),
  READ_ACCOUNT("GET", "/api/accounts/[^/]+(/ledger)?"),
  DEPOSIT("POST", "/api/accounts/[^/]+/deposits"),
  PAY("POST", "/api/payments"),
  READ_PAYMENT("GET", "/api/payments/[^/]+"),
  REFUND_PAYMENT("POST", "/api/payments/[^/]+/refunds"),
  LOCK_ACQUIRE("POST", "/api/locks/[^/]+/acquire"),
  LOCK_RENEW("POST", "/api/locks/[^/]+/renew"),
  LOCK_RELEASE("POST", "/api/locks/[^/]+/release"),
  READ_LOCK("GET", "/api/locks/[^/]+"),
  READ_SHARDS("GET", "/api/shards(/.*)?"),
  ADMIN_SHARDS("(POST|DELETE)", "/api/shards(/.*)?"),
  OTHER(".*", ".*");

  /** The exchange attribute under which the request's operation is kept once classified. */
  static final String ATTRIBUTE = Operation.class.getName();

  private final Pattern method;
  private final Pattern path;
  private final String label;

  Operation(String method, String path) {
    this.method = Pattern.compile(method);
    this.path = Pattern.compile(path + "/?");
    this.label = name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The label value: {@code place-order}, {@code lock-acquire}, ... */
  public String label() {
    return label;
  }

  /**
   * The exchange's operation: classified once per request ({@link OperationMetricsFilter} runs
   * first), then read back by the gateway's own request metrics ({@link OperationTagsProvider}).
   */
  static Operation of(ServerWebExchange exchange) {
    Operation known = exchange.getAttribute(ATTRIBUTE);
    if (known != null) {
      return known;
    }
    var request = exchange.getRequest();
    Operation operation = of(request.getMethod().name(), request.getPath().value());
    exchange.getAttributes().put(ATTRIBUTE, operation);
    return operation;
  }

  public static Operation of(String method, String path) {
    for (Operation operation : values()) {
      if (operation.method.matcher(method).matches() && operation.path.matcher(path).matches()) {
        return operation;
      }
    }
    return OTHER;
  }
}
