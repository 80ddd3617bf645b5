package io.rivet.core.config;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every config problem as {@code <yaml.path>: <what is wrong>; <how to fix>} so all are
 * reported at once.
 */
final class ConfigProblems {
  private final List<String> problems = new ArrayList<>();

  void add(String path, String whatAndFix) {
    problems.add(path + ": " + whatAndFix);
  }

  boolean isEmpty() {
    return problems.isEmpty();
  }

  List<String> all() {
    return List.copyOf(problems);
  }

  void throwIfAny(String file) {
    if (problems.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(file)
        .append(": ")
        .append(problems.size())
        .append(problems.size() == 1 ? " problem" : " problems");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    throw new ConfigException(sb.toString(), all());
  }

  /** A config error listing every problem found. */
  public static final class ConfigException extends RivetException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    ConfigException(String message, List<String> problems) {
      super(ErrorCode.CONFIG_INVALID, message);
      this.problems = problems;
    }

    public List<String> problems() {
      return problems;
    }
  }
}
