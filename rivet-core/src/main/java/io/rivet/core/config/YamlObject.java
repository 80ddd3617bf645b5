package io.rivet.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * A YAML mapping read with its path: every accessor reports a wrong type under the key's YAML path,
 * and {@link #rejectUnknown} names each unknown key with a did-you-mean.
 */
final class YamlObject {
  private static final LevenshteinDistance DISTANCE = new LevenshteinDistance(4);

  private final JsonNode node;
  private final String path;
  private final ConfigProblems problems;

  YamlObject(JsonNode node, String path, ConfigProblems problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  String pathOf(String key) {
    // A key that is not a plain word (a space, a dot, a quote in it) is quoted, so the path stays
    // one token: null_ratio_max."email 0.1".
    String k =
        key.matches("[A-Za-z0-9_\\-\\[\\]]*") ? key : "\"" + key.replace("\"", "\\\"") + "\"";
    return path.isEmpty() ? k : path + "." + k;
  }

  boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  void problem(String key, String whatAndFix) {
    problems.add(key == null ? path : pathOf(key), whatAndFix);
  }

  String string(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isContainerNode()) {
      problem(
          key,
          "expected a text value, found a "
              + (v.isArray() ? "list" : "mapping")
              + "; write a single value");
      return null;
    }
    return v.asText();
  }

  String requiredString(String key, String fix) {
    String s = string(key);
    if (s == null || s.isBlank()) {
      if (node.get(key) == null || node.get(key).isNull()) {
        problem(key, "is required; " + fix);
      } else {
        problem(key, "must not be empty; " + fix);
      }
      return null;
    }
    return s;
  }

  Long longValue(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    String text = v.asText().trim();
    if (v.isIntegralNumber() || text.matches("[+-]?\\d{19,}")) {
      problem(key, "'" + text + "' is far too large; write a whole number of at most 2147483647");
      return null;
    }
    if (v.isTextual()) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problem(
        key,
        "expected a whole number, found '"
            + RowsParser.printable(v.asText())
            + "'; write e.g. "
            + key
            + ": 10");
    return null;
  }

  Integer intValue(String key, long min, long max) {
    Long l = longValue(key);
    if (l == null) {
      return null;
    }
    if (l < min || l > max) {
      problem(key, "must be between " + min + " and " + max + ", found " + l);
      return null;
    }
    return l.intValue();
  }

  Double doubleValue(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber() && Double.isFinite(v.asDouble())) {
      return v.asDouble();
    }
    try {
      double d = Double.parseDouble(v.asText().trim());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(key, "expected a number, found '" + RowsParser.printable(v.asText()) + "'");
    return null;
  }

  Boolean bool(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    String s = v.asText().trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    problem(key, "expected true or false, found '" + v.asText() + "'");
    return null;
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    String s = string(key);
    if (s == null) {
      return defaultValue;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s.trim().replace('-', '_'))) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    problem(
        key,
        "unknown value '"
            + s
            + "'"
            + suggestion(s, allowed)
            + "; allowed: "
            + String.join(", ", allowed));
    return defaultValue;
  }

  YamlObject object(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      problem(key, "expected a mapping (key: value lines), found '" + v.asText() + "'");
      return null;
    }
    return new YamlObject(v, pathOf(key), problems);
  }

  List<YamlObject> objectList(String key) {
    JsonNode v = node.get(key);
    List<YamlObject> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problem(key, "expected a list (lines starting with '- ')");
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String p = pathOf(key) + "[" + i + "]";
      if (!e.isObject()) {
        problems.add(p, "expected a mapping (key: value lines), found '" + e.asText() + "'");
        continue;
      }
      out.add(new YamlObject(e, p, problems));
    }
    return out;
  }

  List<String> stringList(String key) {
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problem(key, "expected a list such as [a, b]");
      return out;
    }
    v.forEach(e -> out.add(e.asText()));
    return out;
  }

  /** A mapping of plain keys to text values, e.g. {@code columns: {amount: decimal(18,2)}}. */
  Map<String, String> stringMap(String key) {
    YamlObject o = object(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (o == null) {
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> it = o.node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isContainerNode()) {
        o.problem(e.getKey(), "expected a text value");
      } else {
        out.put(e.getKey(), e.getValue().asText());
      }
    }
    return out;
  }

  /** Reports every key that is not in {@code known}, with the closest known key as a hint. */
  void rejectUnknown(Set<String> known) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      if (!known.contains(k)) {
        problem(
            RowsParser.printable(k).replace(" ", "\\u0020"),
            "unknown key"
                + suggestion(k, known)
                + "; allowed here: "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  static String suggestion(String given, Collection<String> candidates) {
    return candidates.stream()
        .map(
            c ->
                Map.entry(
                    c, DISTANCE.apply(given.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT))))
        .filter(e -> e.getValue() >= 0 && e.getValue() <= Math.max(2, given.length() / 3))
        .min(Comparator.comparingInt(Map.Entry::getValue))
        .map(e -> " (did you mean '" + e.getKey() + "'?)")
        .orElse("");
  }
}
