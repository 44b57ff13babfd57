package dev.faultline.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON for tests: a request body from name-value pairs, and a response body as a tree. */
public final class Json {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Json() {}

  /** {@code object("a", 1, "b", "x")} is {@code {"a":1,"b":"x"}}, in that order. */
  public static String object(Object... pairs) {
    if (pairs.length % 2 != 0) {
      throw new IllegalArgumentException("name-value pairs, not " + pairs.length + " values");
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return JSON.writeValueAsString(map);
  }

  public static JsonNode read(String json) {
    return JSON.readTree(json);
  }
}
