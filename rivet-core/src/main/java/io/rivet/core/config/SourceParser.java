package io.rivet.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads and validates {@code source:}. */
final class SourceParser {
  static final Set<String> KEYS =
      Set.of(
          "type",
          "url",
          "url_env",
          "url_file",
          "host",
          "port",
          "user",
          "password",
          "password_env",
          "database",
          "environment",
          "tuning",
          "tls");
  static final Set<String> TLS_KEYS =
      Set.of("mode", "ca_file", "accept_invalid_certs", "accept_invalid_hostnames");

  private final YamlObject node;
  private final Path configDir;
  private final Map<String, String> env;
  private final List<String> notSupported;

  SourceParser(
      YamlObject node, Path configDir, Map<String, String> env, List<String> notSupported) {
    this.node = node;
    this.configDir = configDir;
    this.env = env;
    this.notSupported = notSupported;
  }

  SourceConfig parse() {
    node.rejectUnknown(KEYS);
    SourceType type = null;
    if (!node.has("type")) {
      node.problem("type", "is required; set it to one of postgres, mysql, mssql");
    } else {
      type = node.enumValue("type", SourceType.class, null);
    }
    Environment environment =
        node.enumValue("environment", Environment.class, Environment.PRODUCTION);
    TlsConfig tls = parseTls(node.object("tls"));

    int urlForms = count("url", "url_env", "url_file");
    boolean structured =
        node.has("host") || node.has("user") || node.has("database") || node.has("port");
    String url = null;
    String user = null;
    Secret password = null;
    if (urlForms > 1) {
      node.problem(null, "set exactly one of url, url_env, url_file; remove the others");
    } else if (urlForms == 1 && structured) {
      node.problem(null, "a url cannot be combined with host/port/user/database; keep one form");
    } else if (urlForms == 1) {
      url = resolveUrl();
    } else if (structured) {
      String host = node.requiredString("host", "set the database host, e.g. host: db.internal");
      String database = node.requiredString("database", "set the database name");
      user = node.requiredString("user", "set the login user");
      Integer port = node.intValue("port", 1, 65535);
      int p = port != null ? port : defaultPort(type);
      if (type != null && host != null && database != null) {
        url =
            switch (type) {
              case POSTGRES -> "jdbc:postgresql://" + host + ":" + p + "/" + database;
              case MYSQL -> "jdbc:mysql://" + host + ":" + p + "/" + database;
              case MSSQL -> "jdbc:sqlserver://" + host + ":" + p + ";databaseName=" + database;
            };
      }
      password = resolvePassword();
    } else {
      node.problem(
          null,
          "no connection given; set url_env: DATABASE_URL (recommended), url, url_file, or host/user/database");
    }
    if (urlForms == 1 && (node.has("password") || node.has("password_env"))) {
      node.problem(
          "password",
          "cannot be combined with a url; put the password in the url or use host/user/password_env");
    }
    if (url != null) {
      checkUrl(url, tls, urlForms == 1 ? urlKey() : "host");
    }
    return new SourceConfig(type, url, user, password, environment, tls, urlRef());
  }

  /**
   * Where a worker reads the URL again: the variable or the file it came from (null: written in the
   * config).
   */
  private String urlRef() {
    if (node.has("url_env") && node.string("url_env") != null) {
      return "url-env:" + node.string("url_env");
    }
    if (node.has("url_file") && node.string("url_file") != null) {
      return "url-file:" + configDir.resolve(node.string("url_file")).toAbsolutePath().normalize();
    }
    return null;
  }

  private String urlKey() {
    return node.has("url") ? "url" : node.has("url_env") ? "url_env" : "url_file";
  }

  /**
   * The URL must name a host and port, and a host that is not this machine needs {@code tls:} (the
   * original refuses plaintext to another machine: credentials and rows would cross the network
   * readable).
   */
  private void checkUrl(String url, TlsConfig tls, String key) {
    StringBuilder problem = new StringBuilder();
    SourceUrl parsed = SourceUrl.parse(url, problem);
    if (parsed == null) {
      String from =
          key.equals("url_env")
              ? " (the URL in $" + node.string("url_env") + ")"
              : key.equals("url_file") ? " (the URL in " + node.string("url_file") + ")" : "";
      node.problem(key, problem + from);
      return;
    }
    if (!parsed.loopback() && tls == null && !parsed.tlsInUrl()) {
      node.problem(
          "tls",
          "is required for "
              + parsed.host()
              + ", which is not this machine: without it the connection"
              + " would be plaintext (credentials and rows readable on the network). Add tls: {mode: verify-full} (with"
              + " ca_file for a private CA), tls: {mode: require} to encrypt without verifying the certificate, or"
              + " tls: {mode: disable} to accept plaintext on purpose");
    }
  }

  private int count(String... keys) {
    int n = 0;
    for (String k : keys) {
      if (node.has(k)) {
        n++;
      }
    }
    return n;
  }

  private String resolveUrl() {
    if (node.has("url")) {
      return node.requiredString(
          "url", "write url: postgresql://user:password@host:5432/db, or use url_env");
    }
    if (node.has("url_env")) {
      String var =
          node.requiredString(
              "url_env",
              "name the environment variable that holds the URL, e.g. url_env: DATABASE_URL");
      if (var == null) {
        return null;
      }
      String v = env.get(var);
      if (v == null || v.isBlank()) {
        node.problem(
            "url_env",
            "environment variable "
                + RowsParser.printable(var)
                + " is not set; export "
                + RowsParser.printable(var)
                + "=postgresql://user:pass@host:5432/db");
        return null;
      }
      return v.trim();
    }
    String f =
        node.requiredString(
            "url_file", "give a file next to the config that holds the connection URL");
    if (f == null) {
      return null;
    }
    try {
      return Files.readString(configDir.resolve(f)).trim();
    } catch (IOException | InvalidPathException e) {
      node.problem(
          "url_file",
          "cannot read '"
              + RowsParser.printable(f)
              + "' ("
              + e.getClass().getSimpleName()
              + "); give a file that holds the connection URL");
      return null;
    }
  }

  private Secret resolvePassword() {
    if (node.has("password") && node.has("password_env")) {
      node.problem(
          "password", "set either password or password_env, not both; prefer password_env");
      return null;
    }
    if (node.has("password_env")) {
      String var =
          node.requiredString(
              "password_env", "name the environment variable that holds the password");
      if (var == null) {
        return null;
      }
      String v = env.get(var);
      if (v == null) {
        node.problem(
            "password_env",
            "environment variable " + var + " is not set; export it before running");
      }
      return Secret.of(v, "env:" + var);
    }
    return Secret.of(node.string("password"));
  }

  private TlsConfig parseTls(YamlObject tls) {
    if (tls == null) {
      return null;
    }
    tls.rejectUnknown(TLS_KEYS);
    TlsConfig.Mode mode = tls.enumValue("mode", TlsConfig.Mode.class, TlsConfig.Mode.VERIFY_FULL);
    boolean invalidCerts = Boolean.TRUE.equals(tls.bool("accept_invalid_certs"));
    boolean invalidHosts = Boolean.TRUE.equals(tls.bool("accept_invalid_hostnames"));
    if ((invalidCerts || invalidHosts)
        && (mode == TlsConfig.Mode.VERIFY_CA || mode == TlsConfig.Mode.VERIFY_FULL)) {
      tls.problem(
          "mode",
          "verify-* cannot be combined with accept_invalid_*; use mode: require to skip verification");
    }
    if (invalidCerts || invalidHosts) {
      notSupported.add(
          "source.tls.accept_invalid_* (use mode: require, which encrypts without verifying)");
    }
    return new TlsConfig(mode, tls.string("ca_file"));
  }

  private static int defaultPort(SourceType type) {
    if (type == null) {
      return 0;
    }
    return switch (type) {
      case POSTGRES -> 5432;
      case MYSQL -> 3306;
      case MSSQL -> 1433;
    };
  }
}
