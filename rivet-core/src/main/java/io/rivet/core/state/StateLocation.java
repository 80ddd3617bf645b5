package io.rivet.core.state;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where a state store is, as a reference that can travel in a plan and a pipeline without a secret
 * in it: a JDBC URL without a password ({@code jdbc:sqlite:<file>}, {@code
 * jdbc:postgresql://host/db?user=…}), or {@code env:<VARIABLE>} / {@code file:<path>} naming where
 * the URL (with its password) is read, on whichever machine opens the store. Parameters after
 * {@code ?} on an {@code env:} or {@code file:} reference (the store's {@code currentSchema}) are
 * added to the URL read there. The original's URL form ({@code postgresql://user:pass@host/db}) is
 * accepted wherever a URL is read.
 */
public final class StateLocation {
  private StateLocation() {}

  /**
   * The JDBC URL a reference names, read from the environment or the file it names where it is one.
   */
  public static String resolve(String ref, Map<String, String> env) {
    if (ref == null) {
      throw new RivetException(ErrorCode.STATE_STORE_FAILED, "no state store is configured");
    }
    if (!ref.startsWith("env:") && !ref.startsWith("file:")) {
      return jdbcUrl(ref);
    }
    int q = ref.indexOf('?');
    String where = q < 0 ? ref : ref.substring(0, q);
    String params = q < 0 ? "" : ref.substring(q + 1);
    String url =
        where.startsWith("env:") ? fromEnv(where.substring(4), env) : fromFile(where.substring(5));
    String jdbc = jdbcUrl(url);
    return params.isEmpty() ? jdbc : jdbc + (jdbc.contains("?") ? "&" : "?") + params;
  }

  private static String fromEnv(String name, Map<String, String> env) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new RivetException(
          ErrorCode.STATE_STORE_FAILED,
          "the state store's URL is read from the environment variable "
              + name
              + ", which is not set for this process; set it (on every worker too), or point state: at the"
              + " store another way");
    }
    return v.trim();
  }

  private static String fromFile(String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      throw new RivetException(
          ErrorCode.STATE_STORE_FAILED,
          "the state store's URL is read from the file "
              + path
              + ", which cannot be read here ("
              + e.getMessage()
              + "); put it at that path on every machine that runs the export",
          e);
    }
  }

  /**
   * A JDBC URL as it is, or one of the original's form ({@code
   * postgresql://user:pass@host:port/db}) as JDBC.
   */
  static String jdbcUrl(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
      return url;
    }
    URI uri = URI.create(url);
    StringBuilder out = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    out.append(':').append(uri.getPort() > 0 ? uri.getPort() : 5432);
    out.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
    String query = uri.getRawQuery();
    StringBuilder params = new StringBuilder(query == null ? "" : query);
    if (uri.getRawUserInfo() != null) {
      String[] ui = uri.getRawUserInfo().split(":", 2);
      append(params, "user", decode(ui[0]));
      if (ui.length == 2) {
        append(params, "password", decode(ui[1]));
      }
    }
    return params.length() == 0 ? out.toString() : out.append('?').append(params).toString();
  }

  private static void append(StringBuilder params, String key, String value) {
    params
        .append(params.length() == 0 ? "" : "&")
        .append(key)
        .append('=')
        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The default store: a SQLite file {@code .rivet_state.db} beside the config. */
  public static String besideConfig(Path configDir) {
    return SqliteBackend.PREFIX + configDir.resolve(".rivet_state.db");
  }
}
