package io.rivet.core.config;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The rules of a state store reference given on the command line ({@code --state-url}), as in
 * {@code state:}.
 */
public final class StateReferences {
  private StateReferences() {}

  /**
   * A {@code --state-url} value as a reference: {@code env:VARIABLE}, {@code file:PATH} (made
   * absolute), or a URL without a password; anything else is refused, naming the fix.
   */
  public static String fromOption(String value, Path cwd) {
    if (value.startsWith("env:")) {
      if (!value.substring(4).split("\\?", 2)[0].matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw invalid(value, "env: names an environment variable, e.g. env:RIVET_STATE_URL");
      }
      return value;
    }
    if (value.startsWith("file:")) {
      return "file:" + cwd.resolve(value.substring(5)).toAbsolutePath().normalize();
    }
    if (hasPassword(value)) {
      throw invalid(
          value,
          "a password on the command line would travel in every plan and pipeline and show in the process"
              + " list; give env:VARIABLE or file:PATH holding the URL instead");
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:sqlite:")
        || lower.startsWith("jdbc:postgresql:")
        || lower.startsWith("postgresql://")
        || lower.startsWith("postgres://")) {
      return value;
    }
    throw invalid(
        value,
        "use postgresql://user@host:5432/db, jdbc:postgresql:…, jdbc:sqlite:<file>, env:VAR or file:PATH");
  }

  /** A password in the URL's userinfo ({@code user:pass@}) or as a parameter. */
  public static boolean hasPassword(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    int scheme = lower.indexOf("://");
    int at = lower.indexOf('@');
    boolean inUserinfo = scheme > 0 && at > scheme && lower.substring(scheme + 3, at).contains(":");
    return inUserinfo || lower.matches(".*[?&;]password=.*");
  }

  private static RivetException invalid(String value, String fix) {
    String shown =
        value.startsWith("env:") || value.startsWith("file:") ? value : Redactor.redact(value);
    return new RivetException(ErrorCode.CONFIG_INVALID, "--state-url " + shown + ": " + fix);
  }
}
