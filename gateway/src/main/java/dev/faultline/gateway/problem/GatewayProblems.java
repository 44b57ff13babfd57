package dev.faultline.gateway.problem;

import dev.faultline.problem.ProblemTypes;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes RFC 9457 problem details from the gateway, with the same {@code type} URNs as the services
 * and the trace ID the gateway started, so a client sees one error shape whoever failed.
 */
public final class GatewayProblems {

  private final JsonMapper json;

  public GatewayProblems(JsonMapper json) {
    this.json = json;
  }

  public Mono<Void> write(
      ServerWebExchange exchange, HttpStatus status, String slug, String title, String detail) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", ProblemTypes.of(slug).toString());
    body.put("title", title);
    body.put("status", status.value());
    body.put("detail", detail);
    body.put("instance", exchange.getRequest().getPath().value());
    String traceId = TraceIdFilter.traceId(exchange);
    if (traceId != null) {
      body.put("traceId", traceId);
    }
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    DataBuffer buffer =
        response
            .bufferFactory()
            .wrap(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    return response.writeWith(Mono.just(buffer));
  }
}
