package io.rivet.core.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.rivet.core.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Columns added, removed or retyped since the stored baseline of an export (reference §7.3). */
public record SchemaDrift(List<String> added, List<String> removed, List<String> retyped) {

  public boolean any() {
    return !added.isEmpty() || !removed.isEmpty() || !retyped.isEmpty();
  }

  /** The baseline form of a schema: {@code [{"name": …, "type": …}]} in column order. */
  public static String baseline(List<ColumnMapping> columns) {
    List<Map<String, String>> out = new ArrayList<>();
    for (ColumnMapping c : columns) {
      out.add(Map.of("name", c.name(), "type", c.describe()));
    }
    try {
      return Json.MAPPER.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SchemaDrift compare(String baselineJson, List<ColumnMapping> now) {
    Map<String, String> before = new LinkedHashMap<>();
    try {
      for (Map<String, String> c :
          Json.MAPPER.readValue(baselineJson, new TypeReference<List<Map<String, String>>>() {})) {
        before.put(c.get("name"), c.get("type"));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the stored schema baseline cannot be read: " + e.getMessage(), e);
    }
    List<String> added = new ArrayList<>();
    List<String> retyped = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    for (ColumnMapping c : now) {
      current.put(c.name(), c.describe());
      String old = before.get(c.name());
      if (old == null) {
        added.add(c.name() + " " + c.describe());
      } else if (!old.equals(c.describe())) {
        retyped.add(c.name() + " " + old + " -> " + c.describe());
      }
    }
    List<String> removed =
        before.keySet().stream()
            .filter(n -> !current.containsKey(n))
            .map(n -> n + " " + before.get(n))
            .toList();
    return new SchemaDrift(added, removed, retyped);
  }

  public String describe() {
    List<String> parts = new ArrayList<>();
    if (!added.isEmpty()) {
      parts.add("added " + added);
    }
    if (!removed.isEmpty()) {
      parts.add("removed " + removed);
    }
    if (!retyped.isEmpty()) {
      parts.add("retyped " + retyped);
    }
    return String.join("; ", parts);
  }
}
