package io.rivet.core.dialect;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.config.Secret;
import io.rivet.core.config.SourceConfig;
import io.rivet.core.config.UrlPasswords;
import java.io.Serializable;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * How to open a source connection: a JDBC URL without credentials plus user and password held
 * apart, so the URL can be logged and the spec can travel inside a serialized pipeline.
 */
public record ConnectionSpec(String jdbcUrl, String user, Secret password) implements Serializable {

  /**
   * Builds the spec from {@code source:}, accepting the original's URL forms ({@code
   * postgresql://}, {@code mysql://}, {@code sqlserver://}, with credentials in the userinfo) as
   * well as JDBC URLs; the engine's dialect says what its URLs look like and which driver settings
   * rivet relies on.
   */
  public static ConnectionSpec from(SourceConfig source) {
    String url = source.url();
    String user = source.user();
    Secret password = source.password();
    String scheme =
        url.contains("://") ? url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT) : "";
    Optional<Dialect> nativeForm = Dialects.forScheme(scheme);
    if (nativeForm.isPresent()) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "source url "
                + Redactor.redact(url)
                + " is not a valid URL;"
                + " write "
                + scheme
                + "://user:password@host:port/database (percent-encode special characters)");
      }
      if (uri.getRawUserInfo() != null) {
        String[] ui = uri.getRawUserInfo().split(":", 2);
        user = decode(ui[0]);
        if (ui.length == 2) {
          password = Secret.of(decode(ui[1]), source.urlRef());
        }
      }
      String db =
          uri.getRawPath() == null || uri.getRawPath().length() <= 1
              ? ""
              : uri.getRawPath().substring(1);
      url = nativeForm.get().jdbcUrl(uri.getHost(), uri.getPort(), db, uri.getRawQuery());
    }
    // A JDBC URL's password parameter leaves the URL too: the spec travels in pipelines, its Secret
    // as a reference.
    String inUrl = UrlPasswords.passwordOf(url);
    if (inUrl != null && password == null) {
      password = Secret.of(inUrl, source.urlRef());
      url = UrlPasswords.withoutPasswordParameter(url);
    }
    Dialect dialect = Dialects.forJdbcUrl(url);
    url = dialect.withDriverDefaults(url, source.tls());
    if (dialect.sourceType() != source.type()) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "source.type: is "
              + source.type().name().toLowerCase(Locale.ROOT)
              + " but the url "
              + Redactor.redact(url)
              + " is a "
              + dialect.name()
              + " URL; make them agree");
    }
    return new ConnectionSpec(url, user, password);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** This spec as the source is really reached: with a pooler's safe settings when one is seen. */
  public record Probed(ConnectionSpec spec, Optional<String> pooler) {
    /**
     * One line for logs and {@code doctor}: what was seen and what rivet does about it; empty when
     * nothing was.
     */
    public Optional<String> notice() {
      return pooler.map(
          why ->
              "the source is reached through a pooler or proxy ("
                  + why
                  + "); "
                  + spec.dialect().poolerPolicy());
    }
  }

  /**
   * This spec with the settings a transaction-pooling pooler needs ({@link Dialect#poolerSafeUrl}).
   */
  public ConnectionSpec poolerSafe() {
    return new ConnectionSpec(dialect().poolerSafeUrl(jdbcUrl), user, password);
  }

  /**
   * Looks for a pooler or proxy between rivet and the server and, when one is seen, returns the
   * spec with the settings it needs; a failed probe changes nothing (the run reports its own
   * errors).
   */
  public Probed probed() {
    // The probe itself must leave nothing behind on a pooled backend: it runs with the pooler-safe
    // settings.
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
    props.putAll(dialect().connectionProperties(jdbcUrl));
    try {
      return DriverManager.getConnection(jdbcUrl, props);
    } catch (SQLException e) {
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      String message =
          "cannot connect to " + Redactor.redact(jdbcUrl) + " as " + user + ": " + e.getMessage();
      if (dialect().isAuthFailure(e)) {
        throw new RivetException(
            ErrorCode.SOURCE_AUTH_FAILED, message + " (check the user and password)", e);
      }
      // The dialect knows which refusals pass (a server starting up or shutting down, too many
      // connections).
      ErrorClass cls = dialect().classify(e);
      if (cls == ErrorClass.TRANSIENT) {
        cls = ErrorClass.TRANSIENT_RECONNECT;
      }
      throw new SourceFailure(
          cls,
          e.getSQLState(),
          e.getErrorCode(),
          message
              + (cls != ErrorClass.PERMANENT
                  ? " (SQLState " + state + ", retryable; check host/port, or run 'rivet doctor')"
                  : " (SQLState " + state + ")"),
          e);
    }
  }

  @Override
  public String toString() {
    return "ConnectionSpec[" + Redactor.redact(jdbcUrl) + ", user=" + user + "]";
  }
}
