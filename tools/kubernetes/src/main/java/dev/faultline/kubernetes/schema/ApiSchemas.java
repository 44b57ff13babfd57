package dev.faultline.kubernetes.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.Gson;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.faultline.kubernetes.KObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Which schema each object answers to, and its verdict. Built-in kinds: the client's model of that
 * {@code apiVersion} and {@code kind}, parsed from the object's JSON ({@code fromJson} validates
 * every field name and required field on the way, and refuses a value of the wrong type). Custom
 * resources: their CRD's {@code openAPIV3Schema}, with every object that lists its properties
 * closed (unknown fields are an error, as server-side strict field validation makes them) and their
 * metadata as the built-in {@code ObjectMeta}. A kind with no schema here is an error: nothing
 * passes unvalidated.
 */
public final class ApiSchemas {
  /** The client library's Kubernetes version. */
  public static final String KUBERNETES_VERSION = "1.32";

  private static final Map<String, Class<?>> BUILT_IN =
      Map.ofEntries(
          Map.entry("v1/ConfigMap", V1ConfigMap.class),
          Map.entry("v1/Secret", V1Secret.class),
          Map.entry("v1/Service", V1Service.class),
          Map.entry("v1/Namespace", V1Namespace.class),
          Map.entry("apps/v1/Deployment", V1Deployment.class),
          Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
          Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
          Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class));

  private static final ObjectMapper JACKSON = new ObjectMapper();

  private final Gson gson = new JSON().getGson();
  private final Map<String, JsonSchema> custom;

  private ApiSchemas(Map<String, JsonSchema> custom) {
    this.custom = custom;
  }

  /** The built-in kinds, and the custom resources of these CRD files. */
  public static ApiSchemas withCrds(List<Path> crdFiles) throws IOException {
    Map<String, JsonSchema> custom = new LinkedHashMap<>();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(16 * 1024 * 1024);
    for (Path file : crdFiles) {
      for (Object document : new Yaml(options).loadAll(Files.readString(file))) {
        if (document == null) {
          continue;
        }
        JsonNode crd = JACKSON.valueToTree(document);
        if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
          throw new IOException(file + ": not a CustomResourceDefinition");
        }
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        for (JsonNode version : crd.path("spec").path("versions")) {
          JsonNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
          custom.put(
              group + "/" + version.path("name").asText() + "/" + kind,
              factory.getSchema(strict(schema)));
        }
      }
    }
    return new ApiSchemas(custom);
  }

  /** The kinds this can validate, as {@code apiVersion/kind}. */
  public List<String> kinds() {
    List<String> kinds = new ArrayList<>(BUILT_IN.keySet());
    kinds.addAll(custom.keySet());
    return kinds.stream().sorted().toList();
  }

  /** What is wrong with {@code object}; empty when it is valid. */
  public List<String> problems(KObject object) {
    String key = object.apiVersion() + "/" + object.kind();
    Class<?> model = BUILT_IN.get(key);
    if (model != null) {
      return parse(object, model);
    }
    JsonSchema schema = custom.get(key);
    if (schema == null) {
      return List.of(object.id() + ": no schema for " + key + " (not a kind this suite uses)");
    }
    List<String> problems = new ArrayList<>();
    for (ValidationMessage message : schema.validate(JACKSON.valueToTree(object.tree()))) {
      problems.add(object.id() + ": " + message.getMessage());
    }
    Object metadata = object.tree().get("metadata");
    problems.addAll(
        parse(object, V1ObjectMeta.class, metadata == null ? Map.of() : metadata, "metadata: "));
    return problems;
  }

  private List<String> parse(KObject object, Class<?> model) {
    return parse(object, model, object.tree(), "");
  }

  private List<String> parse(KObject object, Class<?> model, Object tree, String where) {
    String json = gson.toJson(tree);
    try {
      Method fromJson = model.getMethod("fromJson", String.class);
      fromJson.invoke(null, json);
      return List.of();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return List.of(object.id() + ": " + where + firstLine(cause));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the client model " + model + " has no fromJson", e);
    }
  }

  private static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    // The client appends the whole JSON it was given: the field is what matters.
    int json = message.indexOf(" JSON: ");
    return json < 0 ? message : message.substring(0, json);
  }

  /**
   * A structural schema made strict: objects that list their properties accept no others (unless
   * the CRD keeps unknown fields there), int-or-string is either, nullable admits null.
   */
  static JsonNode strict(JsonNode schema) {
    if (!(schema instanceof ObjectNode node)) {
      return schema;
    }
    if (node.path("x-kubernetes-int-or-string").asBoolean(false) && !node.has("anyOf")) {
      ArrayNode either = node.putArray("anyOf");
      either.addObject().put("type", "integer");
      either.addObject().put("type", "string");
    }
    if (node.path("nullable").asBoolean(false) && node.has("type")) {
      ArrayNode types = JsonNodeFactory.instance.arrayNode();
      types.add(node.get("type").asText());
      types.add("null");
      node.set("type", types);
    }
    if (node.has("properties")
        && !node.has("additionalProperties")
        && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      node.put("additionalProperties", false);
    }
    if (node.get("properties") instanceof ObjectNode properties) {
      Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
      while (fields.hasNext()) {
        var field = fields.next();
        properties.set(field.getKey(), strict(field.getValue()));
      }
    }
    for (String key : List.of("items", "additionalProperties", "not")) {
      if (node.get(key) instanceof ObjectNode child) {
        node.set(key, strict(child));
      }
    }
    for (String key : List.of("anyOf", "allOf", "oneOf")) {
      if (node.get(key) instanceof ArrayNode list) {
        for (int i = 0; i < list.size(); i++) {
          list.set(i, strict(list.get(i)));
        }
      }
    }
    return node;
  }
}
