package io.rivet.core.config;

import io.rivet.core.Redactor;
import java.io.Serializable;

/**
 * {@code source}: the database to read. {@code url} is the resolved connection URL (from {@code
 * url}, {@code url_env} or {@code url_file}, or built from host/port/database); credentials are
 * {@link Secret}s.
 */
public record SourceConfig(
    SourceType type,
    String url,
    String user,
    Secret password,
    Environment environment,
    TlsConfig tls)
    implements Serializable {

  @Override
  public String toString() {
    return "SourceConfig[type=" + type + ", url=" + Redactor.redact(url) + ", user=" + user + "]";
  }
}
