package io.rivet.core;

import java.util.regex.Pattern;

/**
 * Removes credentials from any text before it reaches a log, an error, a manifest, a plan or a
 * journal.
 */
public final class Redactor {
  // scheme://user:secret@host → scheme://REDACTED@host
  private static final Pattern URL_USERINFO =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s'\"]+@");
  // key=value pairs in JDBC URLs and connection strings (password=..., AccountKey=..., sig=...)
  private static final Pattern SECRET_PARAM =
      Pattern.compile(
          "(?i)((?:password|passwd|pwd|secret|accountkey|sig|token|access_key|secret_key)\\s*=\\s*)[^&;\\s'\"]+");

  private Redactor() {}

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = URL_USERINFO.matcher(text).replaceAll("$1REDACTED@");
    return SECRET_PARAM.matcher(out).replaceAll("$1REDACTED");
  }
}
