package io.rivet.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code state:} — where the state store is when it is not the SQLite file beside the config:
 * {@code url} (no password in it), {@code url_env} or {@code url_file} (where the URL with its
 * password is read, on every machine that opens the store), and the PostgreSQL {@code schema} that
 * holds it. The result is a reference that travels in plans and pipelines without a secret (see
 * {@code io.rivet.core.state.StateLocation}).
 */
final class StateParser {
  static final Set<String> KEYS = Set.of("url", "url_env", "url_file", "schema");

  private StateParser() {}

  /** The store's reference, or null where a problem was reported. */
  static String parse(YamlObject s, Path configDir, Map<String, String> env) {
    s.rejectUnknown(KEYS);
    int given = (s.has("url") ? 1 : 0) + (s.has("url_env") ? 1 : 0) + (s.has("url_file") ? 1 : 0);
    if (given != 1) {
      s.problem(
          null,
          "set exactly one of url, url_env, url_file (e.g. url_env: RIVET_STATE_URL holding"
              + " postgresql://user:password@host:5432/db)");
      return null;
    }
    String schema = s.string("schema");
    if (schema != null && !schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      s.problem("schema", "'" + schema + "' is not a schema name; use letters, digits and '_'");
      return null;
    }
    String ref = reference(s, configDir, env);
    if (ref == null || schema == null) {
      return ref;
    }
    return ref + (ref.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static String reference(YamlObject s, Path configDir, Map<String, String> env) {
    if (s.has("url")) {
      String url = s.string("url");
      String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
      if (StateReferences.hasPassword(url)) {
        s.problem(
            "url",
            "holds a password, which would travel in every plan and pipeline; put the URL in an"
                + " environment variable (url_env) or a file (url_file) instead");
        return null;
      }
      if (lower.startsWith("jdbc:sqlite:")) {
        return "jdbc:sqlite:"
            + configDir.resolve(url.substring("jdbc:sqlite:".length())).normalize();
      }
      if (!lower.startsWith("postgresql://")
          && !lower.startsWith("postgres://")
          && !lower.startsWith("jdbc:postgresql:")) {
        s.problem(
            "url",
            "is not a state store URL; use postgresql://user@host:5432/db, jdbc:postgresql:…, or"
                + " jdbc:sqlite:<file>");
        return null;
      }
      return url;
    }
    if (s.has("url_env")) {
      String name = s.string("url_env");
      if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        s.problem("url_env", "'" + name + "' is not an environment variable name");
        return null;
      }
      if (env.get(name) == null) {
        s.problem(
            "url_env",
            "the environment variable " + name + " is not set; set it to the store's URL");
      }
      return "env:" + name;
    }
    String file = s.string("url_file");
    Path p = configDir.resolve(file == null ? "" : file).normalize();
    if (file == null || !Files.isReadable(p)) {
      s.problem(
          "url_file", "'" + file + "' cannot be read; give the file that holds the store's URL");
      return null;
    }
    return "file:" + p;
  }
}
