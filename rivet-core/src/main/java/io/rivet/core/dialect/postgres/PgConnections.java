package io.rivet.core.dialect.postgres;

import io.rivet.core.config.TlsConfig;
import io.rivet.core.dialect.AbstractDialect;
import java.util.Locale;
import java.util.Properties;

/**
 * How rivet connects to PostgreSQL: the JDBC URL of the original's URL form, and the driver
 * settings it relies on.
 */
final class PgConnections {
  private PgConnections() {}

  static String jdbcUrl(String host, int port, String database, String query) {
    return "jdbc:postgresql://"
        + host
        + ":"
        + (port > 0 ? port : 5432)
        + "/"
        + database
        + (query == null ? "" : "?" + query);
  }

  /**
   * Keep-alives notice a peer that vanished without a word; a login that hangs (a frozen proxy
   * after the TCP accept) fails after 30 s instead of never.
   * https://jdbc.postgresql.org/documentation/use/#connection-parameters
   */
  static String withDriverDefaults(String url, TlsConfig tls) {
    for (String p : new String[] {"tcpKeepAlive=true", "loginTimeout=30", "connectTimeout=30"}) {
      url = AbstractDialect.withParam(url, "?", "&", p);
    }
    if (tls != null && !url.contains("sslmode=")) {
      url =
          AbstractDialect.withParam(
              url,
              "?",
              "&",
              "sslmode=" + tls.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      if (tls.caFile() != null) {
        url = AbstractDialect.withParam(url, "?", "&", "sslrootcert=" + tls.caFile());
      }
    }
    return url;
  }

  /**
   * Server-prepare from the first execution (unless the URL says otherwise, as through a pooler),
   * so rows arrive in the binary format: integers, dates and timestamps decode without text
   * parsing. https://jdbc.postgresql.org/documentation/server-prepare/
   */
  static Properties properties(String url) {
    Properties p = new Properties();
    p.setProperty("ApplicationName", "rivet");
    if (!url.contains("prepareThreshold=")) {
      p.setProperty("prepareThreshold", "-1");
    }
    return p;
  }
}
