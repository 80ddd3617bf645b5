package io.rivet.core.dialect;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.config.Secret;
import io.rivet.core.config.SourceConfig;
import io.rivet.core.config.TlsConfig;
import java.io.Serializable;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How to open a source connection: a JDBC URL without credentials plus user and password held apart, so
 * the URL can be logged and the spec can travel inside a serialized pipeline.
 */
public record ConnectionSpec(String jdbcUrl, String user, Secret password) implements Serializable {

  /** Builds the spec from {@code source:}, accepting {@code postgresql://user:pass@host/db} URLs as the original does. */
  public static ConnectionSpec from(SourceConfig source) {
    String url = source.url();
    String user = source.user();
    Secret password = source.password();
    if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new RivetException(ErrorCode.CONFIG_INVALID, "source url " + Redactor.redact(url)
            + " is not a valid URL; write postgresql://user:password@host:5432/database (percent-encode special characters)");
      }
      if (uri.getRawUserInfo() != null) {
        String[] ui = uri.getRawUserInfo().split(":", 2);
        user = decode(ui[0]);
        if (ui.length == 2) {
          password = Secret.of(decode(ui[1]));
        }
      }
      int port = uri.getPort() > 0 ? uri.getPort() : 5432;
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      url = "jdbc:postgresql://" + uri.getHost() + ":" + port + path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
    if (source.tls() != null && url.startsWith("jdbc:postgresql:") && !url.contains("sslmode=")) {
      url = url + (url.contains("?") ? "&" : "?") + "sslmode=" + sslMode(source.tls().mode());
      if (source.tls().caFile() != null) {
        url = url + "&sslrootcert=" + source.tls().caFile();
      }
    }
    return new ConnectionSpec(url, user, password);
  }

  private static String sslMode(TlsConfig.Mode mode) {
    return mode.name().toLowerCase().replace('_', '-');
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public Dialect dialect() {
    return Dialects.forJdbcUrl(jdbcUrl);
  }

  /** Opens a connection; failures name the redacted URL and say whether it is worth retrying. */
  public Connection open() {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password.reveal());
    }
    props.setProperty("ApplicationName", "rivet");
    try {
      return DriverManager.getConnection(jdbcUrl, props);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      ErrorCode code = state.startsWith("28") ? ErrorCode.SOURCE_AUTH_FAILED
          : state.startsWith("08") ? ErrorCode.SOURCE_UNAVAILABLE : ErrorCode.SOURCE_QUERY_FAILED;
      throw new RivetException(code, "cannot connect to " + Redactor.redact(jdbcUrl) + " as " + user + ": "
          + e.getMessage() + (code == ErrorCode.SOURCE_UNAVAILABLE ? " (check host/port, or run 'rivet doctor')" : ""), e);
    }
  }

  @Override
  public String toString() {
    return "ConnectionSpec[" + Redactor.redact(jdbcUrl) + ", user=" + user + "]";
  }
}
