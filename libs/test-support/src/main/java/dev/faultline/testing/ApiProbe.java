package dev.faultline.testing;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input for every endpoint a service describes, driven from its own OpenAPI 3.1 document
 * ({@code /v3/api-docs}): no, forged and expired tokens; malformed, mistyped, out-of-range,
 * oversized, incomplete and overcomplete bodies; odd path values; invalid {@code Idempotency-Key}
 * and {@code If-Match} headers. Each must be answered with a 4xx {@code application/problem+json}.
 * A test gives one valid request per operation (the probe never sends it, only what it derives from
 * it), so an endpoint without one fails the probe: none can join undescribed and unprobed.
 */
public final class ApiProbe {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PROBLEM = "application/problem+json";

  /** One operation, as its document describes it. */
  public record Operation(
      String method,
      String path,
      List<JsonNode> parameters,
      @Nullable JsonNode body,
      JsonNode responses) {
    public String id() {
      return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
    }
  }

  /**
   * A valid request for an operation: its path values, its JSON body (null for none) and a token
   * the operation accepts. Never sent as is.
   */
  public record Valid(
      Map<String, String> pathValues,
      Map<String, String> query,
      @Nullable String body,
      String token) {
    public Valid(Map<String, String> pathValues, @Nullable String body, String token) {
      this(pathValues, Map.of(), body, token);
    }
  }

  /** What came back wrong: the case, and the status and body. */
  public record Finding(String operation, String probe, int status, String body) {
    @Override
    public String toString() {
      return operation
          + " ["
          + probe
          + "] answered "
          + status
          + ": "
          + body.substring(0, Math.min(160, body.length()));
    }
  }

  /** How many bad requests were sent, and what was answered wrong. */
  public record Report(int probes, List<String> operations, List<Finding> findings) {}

  private final Http http;
  private final JsonNode doc;
  private final List<Finding> findings = new ArrayList<>();
  private int probes;

  private ApiProbe(Http http, JsonNode doc) {
    this.http = http;
    this.doc = doc;
  }

  /** Where a service serves its own document. */
  public static final String SERVICE_DOCUMENT = "/v3/api-docs";

  /**
   * The document at {@code path} ({@value #SERVICE_DOCUMENT} on a service, {@code
   * /api-docs/<service>} on the gateway): OpenAPI 3.1, served without a token.
   */
  public static JsonNode describe(Http http, String path) {
    HttpResponse<String> response = http.get(path, null);
    if (response.statusCode() != 200) {
      throw new AssertionError(path + " answered " + response.statusCode());
    }
    JsonNode doc = JSON.readTree(response.body());
    if (!doc.path("openapi").asString().startsWith("3.1")) {
      throw new AssertionError("not OpenAPI 3.1: " + doc.path("openapi"));
    }
    return doc;
  }

  public static List<Operation> operations(JsonNode doc) {
    List<Operation> operations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
        JsonNode op = method.getValue();
        List<JsonNode> parameters = new ArrayList<>();
        op.path("parameters").forEach(parameters::add);
        JsonNode body = op.path("requestBody").path("content").path("application/json");
        operations.add(
            new Operation(
                method.getKey(),
                path.getKey(),
                List.copyOf(parameters),
                body.isMissingNode() ? null : body.path("schema"),
                op.path("responses")));
      }
    }
    return operations;
  }

  /**
   * Probes every operation of {@code http}'s document with the bad requests derived from {@code
   * valid} (keyed by {@link Operation#id()}); an operation without a valid request is a finding.
   */
  public static Report run(Http http, Map<String, Valid> valid) {
    return run(http, SERVICE_DOCUMENT, valid);
  }

  /**
   * {@link #run(Http, Map)} with the document at {@code documentPath}: through the gateway, the
   * service's document as the gateway gathers it, and every probe sent through the gateway.
   */
  public static Report run(Http http, String documentPath, Map<String, Valid> valid) {
    JsonNode doc = describe(http, documentPath);
    ApiProbe probe = new ApiProbe(http, doc);
    List<String> ids = new ArrayList<>();
    for (Operation operation : operations(doc)) {
      ids.add(operation.id());
      for (String range : List.of("4XX", "5XX")) {
        if (operation.responses().path(range).path("content").path(PROBLEM).isMissingNode()) {
          probe.findings.add(
              new Finding(operation.id(), "no " + range + " problem described", 0, ""));
        }
      }
      Valid request = valid.get(operation.id());
      if (request == null) {
        probe.findings.add(new Finding(operation.id(), "no valid request to derive from", 0, ""));
        continue;
      }
      probe.probe(operation, request);
    }
    for (String id : valid.keySet()) {
      if (!ids.contains(id)) {
        probe.findings.add(new Finding(id, "given a valid request but not described", 0, ""));
      }
    }
    return new Report(probe.probes, ids, List.copyOf(probe.findings));
  }

  private void probe(Operation op, Valid valid) {
    String path = path(op, valid.pathValues()) + query(valid.query());
    // Tokens: none, another key's, an expired one of the suite's own key.
    expect(op, "no token", send(op, path, null, valid.body(), Map.of()), 401);
    expect(op, "forged token", send(op, path, TestTokens.forged("x"), valid.body(), Map.of()), 401);
    expect(
        op, "expired token", send(op, path, TestTokens.expired("x"), valid.body(), Map.of()), 401);
    // Each parameter in turn takes each of its odd values; the rest of the request stays valid.
    for (JsonNode parameter : op.parameters()) {
      String name = parameter.path("name").asString();
      String in = parameter.path("in").asString();
      for (String value : oddValues(parameter)) {
        Map<String, String> pathValues = valid.pathValues();
        Map<String, String> query = valid.query();
        Map<String, String> headers = in.equals("path") ? Map.of() : requiredHeaders(op);
        switch (in) {
          case "path" -> pathValues = with(pathValues, name, value);
          case "query" -> query = with(query, name, value);
          default -> headers = with(headers, name, value);
        }
        expect(
            op,
            in + " " + name + "=" + value.substring(0, Math.min(12, value.length())),
            send(
                op,
                path(op, pathValues, !in.equals("path")) + query(query),
                valid.token(),
                valid.body(),
                headers),
            4);
      }
    }
    if (op.body() != null && valid.body() != null) {
      probeBody(op, path, valid);
    }
  }

  private void probeBody(Operation op, String path, Valid valid) {
    Map<String, String> headers = requiredHeaders(op);
    for (String malformed : List.of("", "{", "{\"a\":", "[]", "\"text\"", "null", "1", "{}}")) {
      expect(op, "body " + malformed, send(op, path, valid.token(), malformed, headers), 4);
    }
    HttpRequest.Builder text =
        http.builder(path, valid.token())
            .header("Content-Type", "text/plain")
            .method(
                op.method().toUpperCase(java.util.Locale.ROOT),
                HttpRequest.BodyPublishers.ofString(valid.body()));
    headers.forEach(text::header);
    expect(op, "text/plain body", http.send(text), 4);

    ObjectNode base = (ObjectNode) JSON.readTree(valid.body());
    JsonNode schema = resolve(op.body());
    ObjectNode unknown = base.deepCopy();
    unknown.put("surprise", 1);
    expect(op, "unknown field", send(op, path, valid.token(), unknown.toString(), headers), 4);
    Iterator<String> names = base.propertyNames().iterator();
    if (names.hasNext()) {
      String first = names.next();
      String duplicated =
          "{"
              + JSON.writeValueAsString(first)
              + ":"
              + base.get(first)
              + ","
              + valid.body().substring(1);
      expect(op, "duplicate " + first, send(op, path, valid.token(), duplicated, headers), 4);
    }
    for (JsonNode required : schema.path("required")) {
      ObjectNode missing = base.deepCopy();
      missing.remove(required.asString());
      expect(
          op,
          "missing " + required.asString(),
          send(op, path, valid.token(), missing.toString(), headers),
          4);
    }
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(r -> required.add(r.asString()));
    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
      Map<String, String> values = badValues(resolve(property.getValue()));
      if (!required.contains(property.getKey())) {
        values.remove("null"); // an optional property's null is its absence
      }
      for (Map.Entry<String, String> bad : values.entrySet()) {
        ObjectNode mutated = base.deepCopy();
        mutated.set(property.getKey(), JSON.readTree(bad.getValue()));
        expect(
            op,
            property.getKey() + " " + bad.getKey(),
            send(op, path, valid.token(), mutated.toString(), headers),
            4);
      }
      // An array of objects: each property of its first element, the same way.
      JsonNode items = resolve(resolve(property.getValue()).path("items"));
      JsonNode first = base.path(property.getKey()).path(0);
      if (first instanceof ObjectNode element) {
        List<String> itemRequired = new ArrayList<>();
        items.path("required").forEach(r -> itemRequired.add(r.asString()));
        for (Map.Entry<String, JsonNode> itemProperty : items.path("properties").properties()) {
          Map<String, String> itemValues = badValues(resolve(itemProperty.getValue()));
          if (!itemRequired.contains(itemProperty.getKey())) {
            itemValues.remove("null");
          }
          for (Map.Entry<String, String> bad : itemValues.entrySet()) {
            ObjectNode mutated = base.deepCopy();
            ObjectNode item = element.deepCopy();
            item.set(itemProperty.getKey(), JSON.readTree(bad.getValue()));
            ((tools.jackson.databind.node.ArrayNode) mutated.get(property.getKey())).set(0, item);
            expect(
                op,
                property.getKey() + "[0]." + itemProperty.getKey() + " " + bad.getKey(),
                send(op, path, valid.token(), mutated.toString(), headers),
                4);
          }
        }
      }
    }
  }

  /**
   * Values a property of {@code schema} must refuse: another JSON type, null (when required), and
   * by its own constraints what lies beyond them (a number below its minimum or above its maximum,
   * a string longer than its maxLength); integers also refuse fractions and overflow, strings
   * control characters where a pattern forbids them.
   */
  static Map<String, String> badValues(JsonNode schema) {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("null", "null");
    String type = schema.path("type").asString();
    switch (type) {
      case "integer" -> {
        bad.put("as string", "\"1\"");
        bad.put("fraction", "1.5");
        bad.put("boolean", "true");
        bad.put("overflow", "99999999999999999999999");
        if (schema.has("minimum")) {
          bad.put("below minimum", Long.toString(schema.get("minimum").asLong() - 1));
        }
        if (schema.has("maximum")) {
          bad.put("above maximum", Long.toString(schema.get("maximum").asLong() + 1));
        }
      }
      case "number" -> {
        bad.put("as string", "\"1\"");
        bad.put("boolean", "true");
      }
      case "boolean" -> bad.put("as string", "\"true\"");
      case "string" -> {
        bad.put("number", "123");
        bad.put("boolean", "true");
        bad.put("object", "{}");
        if (schema.has("maxLength")) {
          bad.put(
              "too long", JSON.writeValueAsString("x".repeat(schema.get("maxLength").asInt() + 1)));
        }
        if (schema.has("pattern") || schema.has("enum")) {
          bad.put("control character", "\"a\\u0001b\"");
        }
        if (schema.has("minLength") && schema.get("minLength").asInt() > 0) {
          bad.put("empty", "\"\"");
        }
      }
      case "array" -> {
        bad.put("not an array", "\"x\"");
        bad.put("object", "{}");
        if (schema.has("maxItems")) {
          bad.put("too many", "[" + "null,".repeat(schema.get("maxItems").asInt()) + "null]");
        }
      }
      case "object" -> bad.put("not an object", "\"x\"");
      default -> {}
    }
    return bad;
  }

  /** What a parameter must refuse, by where it goes: odd path values, bad headers and queries. */
  private List<String> oddValues(JsonNode parameter) {
    String name = parameter.path("name").asString();
    return switch (parameter.path("in").asString()) {
      case "path" -> List.of("%00", "%C3%A9%E2%80%8F", "x".repeat(300), "%20", "..");
      case "header" ->
          name.equalsIgnoreCase("If-Match")
              ? List.of("\"unbalanced", "unquoted", "W/1", "\"1\",", "\"a\"b\"", "**")
              : List.of("k".repeat(300), " ", "a b", "tab\tbed");
      case "query" -> badQueryValues(resolve(parameter.path("schema")));
      default -> List.of();
    };
  }

  private static Map<String, String> with(Map<String, String> map, String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(map);
    copy.put(name, value);
    return copy;
  }

  /** A query parameter's values out of its type or bounds. */
  static List<String> badQueryValues(JsonNode schema) {
    List<String> bad = new ArrayList<>();
    switch (schema.path("type").asString()) {
      case "integer" -> {
        bad.addAll(List.of("x", "1.5", "99999999999999999999"));
        if (schema.has("minimum")) {
          bad.add(Long.toString(schema.get("minimum").asLong() - 1));
        }
        if (schema.has("maximum")) {
          bad.add(Long.toString(schema.get("maximum").asLong() + 1));
        }
      }
      case "boolean" -> bad.add("maybe");
      case "string" -> {
        bad.add("x".repeat(schema.path("maxLength").asInt(4_000) + 1));
        if (schema.has("pattern") || schema.has("enum")) {
          bad.add("a\u0001b");
        }
      }
      default -> {}
    }
    return bad;
  }

  /**
   * SQL listing each table of the current schema with a digest of its whole content: equal before
   * and after a probe, nothing was written.
   */
  public static final String TABLE_DIGESTS_SQL =
      "select table_name || '=' || (xpath('/row/d/text()', query_to_xml(format("
          + "'select md5(coalesce(string_agg(t::text, '','' order by t::text), '''')) as d"
          + " from %I.%I t', table_schema, table_name), false, true, '')))[1]::text"
          + " from information_schema.tables where table_schema = current_schema()"
          + " and table_type = 'BASE TABLE' order by table_name";

  /** A schema with its {@code $ref} followed to the components. */
  private JsonNode resolve(JsonNode schema) {
    String ref = schema.path("$ref").asString();
    if (ref.isEmpty()) {
      return schema;
    }
    JsonNode node = doc;
    for (String part : ref.substring(2).split("/")) {
      node = node.path(part);
    }
    return resolve(node);
  }

  /** Headers the operation needs to be more than a 400 for their absence: a fresh key. */
  private static Map<String, String> requiredHeaders(Operation op) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (JsonNode parameter : op.parameters()) {
      if (parameter.path("in").asString().equals("header")
          && parameter.path("name").asString().equalsIgnoreCase("Idempotency-Key")) {
        headers.put("Idempotency-Key", UUID.randomUUID().toString());
      }
    }
    return headers;
  }

  private static String query(Map<String, String> query) {
    StringBuilder out = new StringBuilder();
    query.forEach(
        (name, value) ->
            out.append(out.isEmpty() ? "?" : "&")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return out.toString();
  }

  private static String path(Operation op, Map<String, String> values) {
    return path(op, values, true);
  }

  private static String path(Operation op, Map<String, String> values, boolean encode) {
    String path = op.path();
    for (Map.Entry<String, String> value : values.entrySet()) {
      String text =
          encode ? URLEncoder.encode(value.getValue(), StandardCharsets.UTF_8) : value.getValue();
      path = path.replace("{" + value.getKey() + "}", text);
    }
    return path;
  }

  private HttpResponse<String> send(
      Operation op,
      String path,
      @Nullable String token,
      @Nullable String body,
      Map<String, String> headers) {
    String method = op.method().toUpperCase(java.util.Locale.ROOT);
    HttpRequest.Builder request = http.builder(path, token);
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    headers.forEach(request::header);
    return http.send(request);
  }

  /**
   * The answer must be {@code status} (or any 4xx for {@code 4}) as problem details with the
   * suite's type.
   */
  private void expect(Operation op, String probe, HttpResponse<String> response, int status) {
    probes++;
    int got = response.statusCode();
    boolean statusOk = status == 4 ? got >= 400 && got < 500 : got == status;
    Optional<String> type = response.headers().firstValue("Content-Type");
    boolean problem =
        type.isPresent()
            && type.get().startsWith(PROBLEM)
            && response.body().contains("urn:faultline:problem:");
    if (!statusOk || !problem) {
      findings.add(new Finding(op.id(), probe, got, response.body()));
    }
  }
}
