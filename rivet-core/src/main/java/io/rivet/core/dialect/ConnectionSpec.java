package io.rivet.core.dialect;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.config.Secret;
import io.rivet.core.config.SourceConfig;
import io.rivet.core.config.SourceType;
import io.rivet.core.config.TlsConfig;
import java.io.Serializable;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;

/**
 * How to open a source connection: a JDBC URL without credentials plus user and password held apart, so
 * the URL can be logged and the spec can travel inside a serialized pipeline.
 */
public record ConnectionSpec(String jdbcUrl, String user, Secret password) implements Serializable {

  /**
   * Builds the spec from {@code source:}, accepting the original's URL forms ({@code postgresql://},
   * {@code mysql://}, {@code sqlserver://}, with credentials in the userinfo) as well as JDBC URLs.
   */
  public static ConnectionSpec from(SourceConfig source) {
    String url = source.url();
    String user = source.user();
    Secret password = source.password();
    String scheme = url.contains("://") ? url.substring(0, url.indexOf("://")).toLowerCase() : "";
    String jdbcPrefix = switch (scheme) {
      case "postgresql", "postgres" -> "jdbc:postgresql://";
      case "mysql", "mariadb" -> "jdbc:mysql://";
      case "sqlserver", "mssql" -> "jdbc:sqlserver://";
      default -> null;
    };
    if (jdbcPrefix != null) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new RivetException(ErrorCode.CONFIG_INVALID, "source url " + Redactor.redact(url) + " is not a valid URL;"
            + " write " + scheme + "://user:password@host:port/database (percent-encode special characters)");
      }
      if (uri.getRawUserInfo() != null) {
        String[] ui = uri.getRawUserInfo().split(":", 2);
        user = decode(ui[0]);
        if (ui.length == 2) {
          password = Secret.of(decode(ui[1]));
        }
      }
      String db = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "" : uri.getRawPath().substring(1);
      String query = uri.getRawQuery();
      url = switch (jdbcPrefix) {
        case "jdbc:sqlserver://" -> jdbcPrefix + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 1433)
            + (db.isEmpty() ? "" : ";databaseName=" + decode(db)) + (query == null ? "" : ";" + query.replace('&', ';'));
        case "jdbc:mysql://" -> jdbcPrefix + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 3306) + "/" + db
            + (query == null ? "" : "?" + query);
        default -> jdbcPrefix + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5432) + "/" + db
            + (query == null ? "" : "?" + query);
      };
    } else if (url.startsWith("jdbc:mariadb:")) {
      url = "jdbc:mysql:" + url.substring("jdbc:mariadb:".length());
    }
    url = withDriverDefaults(url, source.tls());
    ConnectionSpec spec = new ConnectionSpec(url, user, password);
    checkType(source.type(), spec.dialect().name(), url);
    return spec;
  }

  private static void checkType(SourceType type, String engine, String url) {
    String expected = switch (type) {
      case POSTGRES -> "postgres";
      case MYSQL -> "mysql";
      case MSSQL -> "sqlserver";
    };
    if (!expected.equals(engine)) {
      throw new RivetException(ErrorCode.CONFIG_INVALID, "source.type: is " + type.name().toLowerCase()
          + " but the url " + Redactor.redact(url) + " is a " + engine + " URL; make them agree");
    }
  }

  /** Driver settings Rivet relies on, added unless the URL sets them; TLS from {@code source.tls}. */
  static String withDriverDefaults(String url, TlsConfig tls) {
    if (url.startsWith("jdbc:postgresql:")) {
      // Keep-alives notice a peer that vanished without a word; a login that hangs (a frozen proxy after the TCP
      // accept) fails after 30 s instead of never. https://jdbc.postgresql.org/documentation/use/#connection-parameters
      for (String p : new String[] {"tcpKeepAlive=true", "loginTimeout=30", "connectTimeout=30"}) {
        url = url.contains(p.substring(0, p.indexOf('=') + 1)) ? url : param(url, "?", "&", p);
      }
      if (tls != null && !url.contains("sslmode=")) {
        url = param(url, "?", "&", "sslmode=" + tls.mode().name().toLowerCase().replace('_', '-'));
        if (tls.caFile() != null) {
          url = param(url, "?", "&", "sslrootcert=" + tls.caFile());
        }
      }
      return url;
    }
    if (url.startsWith("jdbc:mysql:")) {
      // YEAR as a number; zero dates raise an error the writer turns into NULL + a warning (never a silent value).
      // connectTimeout defaults to none in Connector/J: a login to a frozen peer would wait forever.
      for (String p : new String[] {"yearIsDateType=false", "zeroDateTimeBehavior=EXCEPTION", "tinyInt1isBit=true",
          "useCursorFetch=false", "connectTimeout=30000", "tcpKeepAlive=true"}) {
        url = url.contains(p.substring(0, p.indexOf('=') + 1)) ? url : param(url, "?", "&", p);
      }
      if (tls != null && !url.contains("sslMode=")) {
        url = param(url, "?", "&", "sslMode=" + switch (tls.mode()) {
          case DISABLE -> "DISABLED";
          case REQUIRE -> "REQUIRED";
          case VERIFY_CA -> "VERIFY_CA";
          case VERIFY_FULL -> "VERIFY_IDENTITY";
        });
      }
      return url;
    }
    if (url.startsWith("jdbc:sqlserver:")) {
      url = url.contains("responseBuffering=") ? url : url + ";responseBuffering=adaptive";
      if (tls != null && !url.contains("encrypt=")) {
        url = url + switch (tls.mode()) {
          case DISABLE -> ";encrypt=false";
          case REQUIRE -> ";encrypt=true;trustServerCertificate=true";
          case VERIFY_CA, VERIFY_FULL -> ";encrypt=true;trustServerCertificate=false";
        };
      }
      return url;
    }
    return url;
  }

  private static String param(String url, String first, String next, String p) {
    return url + (url.contains(first) ? next : first) + p;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** This spec as the source is really reached: with a pooler's safe settings when one is seen. */
  public record Probed(ConnectionSpec spec, Optional<String> pooler) {
    /** One line for logs and {@code doctor}: what was seen and what rivet does about it; empty when nothing was. */
    public Optional<String> notice() {
      return pooler.map(why -> "the source is reached through a pooler or proxy (" + why + "); "
          + spec.dialect().poolerPolicy());
    }
  }

  /** This spec with the settings a transaction-pooling pooler needs ({@link Dialect#poolerSafeUrl}). */
  public ConnectionSpec poolerSafe() {
    return new ConnectionSpec(dialect().poolerSafeUrl(jdbcUrl), user, password);
  }

  /**
   * Looks for a pooler or proxy between rivet and the server and, when one is seen, returns the spec with the
   * settings it needs; a failed probe changes nothing (the run reports its own errors).
   */
  public Probed probed() {
    // The probe itself must leave nothing behind on a pooled backend: it runs with the pooler-safe settings.
    try (Connection c = poolerSafe().open()) {
      Optional<String> evidence = dialect().poolerEvidence(c);
      return new Probed(evidence.isPresent() ? poolerSafe() : this, evidence);
    } catch (SQLException | RuntimeException e) {
      return new Probed(this, Optional.empty());
    }
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
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      props.setProperty("ApplicationName", "rivet");
      if (!jdbcUrl.contains("prepareThreshold=")) {
        // Server-prepare from the first execution, so rows arrive in the binary format: integers, dates and
        // timestamps decode without text parsing. https://jdbc.postgresql.org/documentation/server-prepare/
        props.setProperty("prepareThreshold", "-1");
      }
    }
    try {
      return DriverManager.getConnection(jdbcUrl, props);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      String message = "cannot connect to " + Redactor.redact(jdbcUrl) + " as " + user + ": " + e.getMessage();
      if (state.startsWith("28") || e.getErrorCode() == 1045 || e.getErrorCode() == 18456) {
        throw new RivetException(ErrorCode.SOURCE_AUTH_FAILED, message + " (check the user and password)", e);
      }
      // The dialect knows which refusals pass (a server starting up or shutting down, too many connections).
      ErrorClass cls = dialect().classify(e);
      if (cls == ErrorClass.TRANSIENT) {
        cls = ErrorClass.TRANSIENT_RECONNECT;
      }
      throw new SourceFailure(cls, e.getSQLState(), e.getErrorCode(), message
          + (cls != ErrorClass.PERMANENT ? " (SQLState " + state + ", retryable; check host/port, or run 'rivet doctor')"
          : " (SQLState " + state + ")"), e);
    }
  }

  @Override
  public String toString() {
    return "ConnectionSpec[" + Redactor.redact(jdbcUrl) + ", user=" + user + "]";
  }
}
