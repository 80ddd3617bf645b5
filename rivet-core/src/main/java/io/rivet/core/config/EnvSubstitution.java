package io.rivet.core.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} in the raw config text, first from {@code --param} values, then from the
 * environment. An unset name is an error (reported with its line); comment lines are left alone.
 */
final class EnvSubstitution {
  private static final Pattern VAR = Pattern.compile("\\$\\{([^}]*)}");

  private EnvSubstitution() {}

  /** The {@code --param} names that no {@code ${NAME}} of the text (outside comments) uses. */
  static Set<String> unusedParams(String text, Map<String, String> params) {
    Set<String> unused = new TreeSet<>(params.keySet());
    for (String line : text.split("\n", -1)) {
      if (line.stripLeading().startsWith("#")) {
        continue;
      }
      Matcher m = VAR.matcher(line);
      while (m.find()) {
        unused.remove(m.group(1).trim());
      }
    }
    return unused;
  }

  static String apply(
      String text, Map<String, String> params, Map<String, String> env, ConfigProblems problems) {
    StringBuilder out = new StringBuilder(text.length());
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i > 0) {
        out.append('\n');
      }
      if (line.stripLeading().startsWith("#")) {
        out.append(line);
        continue;
      }
      Matcher m = VAR.matcher(line);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        String name = m.group(1).trim();
        String value;
        if (name.isEmpty()) {
          value = "";
        } else if (params.containsKey(name)) {
          value = params.get(name);
        } else if (env.containsKey(name)) {
          value = env.get(name);
        } else {
          problems.add(
              "line " + (i + 1),
              "${"
                  + name
                  + "} is not set; export "
                  + name
                  + "=... or pass --param "
                  + name
                  + "=...");
          value = "";
        }
        if (value.indexOf('\0') >= 0) {
          problems.add(
              "line " + (i + 1), "${" + name + "} contains a NUL byte; remove it from the value");
          value = "";
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(value));
      }
      m.appendTail(sb);
      out.append(sb);
    }
    return out.toString();
  }
}
