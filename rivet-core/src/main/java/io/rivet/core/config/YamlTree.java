package io.rivet.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads YAML text into a tree, as Jackson's mapper would, while reporting what the mapper lets
 * pass: a key given twice in one mapping (naming both lines — YAML says the later one silently
 * wins), and limits that keep a hostile or accidental file from exhausting memory (nesting depth,
 * alias expansion, size).
 */
final class YamlTree {
  /** Deeper than any rivet.yaml needs (exports[i].destination.… is 4 levels). */
  static final int MAX_DEPTH = 32;

  static final int MAX_ALIASES = 50;

  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().loaderOptions(loaderOptions()).build();

  private final ConfigProblems problems;

  private YamlTree(ConfigProblems problems) {
    this.problems = problems;
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions o = new LoaderOptions();
    o.setNestingDepthLimit(MAX_DEPTH);
    o.setMaxAliasesForCollections(MAX_ALIASES);
    o.setCodePointLimit(ConfigLoader.MAX_BYTES);
    // Duplicates are reported by this class with both lines (Jackson's own check names only the
    // second).
    o.setAllowDuplicateKeys(true);
    return o;
  }

  /** The document's root (null when empty); duplicate keys are added to {@code problems}. */
  static JsonNode read(String text, ConfigProblems problems) throws IOException {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      return new YamlTree(problems).value(p, "", 0);
    }
  }

  private JsonNode value(JsonParser p, String path, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IllegalStateException(
          "nested deeper than " + MAX_DEPTH + " levels at " + (path.isEmpty() ? "the top" : path));
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        ObjectNode o = f.objectNode();
        Map<String, Integer> lines = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int line = p.currentTokenLocation().getLineNr();
          String at = path.isEmpty() ? key : path + "." + key;
          Integer before = lines.putIfAbsent(key, line);
          if (before != null) {
            problems.add(
                at,
                "appears twice in one mapping (lines "
                    + before
                    + " and "
                    + line
                    + "); YAML would keep only"
                    + " the second silently — keep one of them");
          }
          p.nextToken();
          o.set(key, value(p, at, depth + 1));
        }
        return o;
      }
      case START_ARRAY -> {
        ArrayNode a = f.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(value(p, path + "[" + i++ + "]", depth + 1));
        }
        return a;
      }
      case VALUE_STRING -> {
        return f.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? f.numberNode(p.getBigIntegerValue())
            : f.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return f.numberNode(p.getDecimalValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return f.booleanNode(t == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return f.nullNode();
      }
      default -> {
        return f.textNode(p.getText());
      }
    }
  }
}
