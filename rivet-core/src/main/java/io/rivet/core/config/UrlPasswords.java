package io.rivet.core.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The password a connection URL carries — in its userinfo or as a {@code password=} parameter — and
 * the URL without it.
 */
public final class UrlPasswords {
  private static final Pattern USERINFO =
      Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@:]*:([^/@]*)@");
  private static final Pattern PARAM =
      Pattern.compile("([?&;])password=([^&;]*)", Pattern.CASE_INSENSITIVE);

  private UrlPasswords() {}

  /** The URL's password, or null when it has none. */
  public static String passwordOf(String url) {
    Matcher u = USERINFO.matcher(url);
    if (u.find()) {
      return decode(u.group(1));
    }
    Matcher p = PARAM.matcher(url);
    if (p.find()) {
      return p.group(1).equals(";") ? p.group(2) : decode(p.group(2));
    }
    return null;
  }

  /**
   * The URL without a {@code password=} parameter (a userinfo password is taken apart elsewhere).
   */
  public static String withoutPasswordParameter(String url) {
    Matcher p = PARAM.matcher(url);
    if (!p.find()) {
      return url;
    }
    String before = url.substring(0, p.start());
    String after = url.substring(p.end());
    if (p.group(1).equals("?") && after.startsWith("&")) {
      return before + "?" + after.substring(1);
    }
    return before + after;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
