package io.rivet.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses sizes such as {@code 256MB} or {@code 1GB} (base 1024), as {@code max_file_size} uses
 * them.
 */
final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("\\s*(\\d+)\\s*(B|KB|MB|GB|TB)?\\s*");

  private ByteSize() {}

  /** Returns the size in bytes, or -1 when the text is not a size (or more than a petabyte). */
  static long parse(String text) {
    Matcher m = SIZE.matcher(text.toUpperCase(Locale.ROOT));
    if (!m.matches() || m.group(1).length() > 12) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    int shift =
        switch (unit) {
          case "KB" -> 10;
          case "MB" -> 20;
          case "GB" -> 30;
          case "TB" -> 40;
          default -> 0;
        };
    return n > (Long.MAX_VALUE >> 11) >> shift ? -1 : n << shift;
  }
}
