package io.rivet.core.config;

import io.rivet.core.Redactor;
import java.io.Serializable;

/**
 * {@code source}: the database to read. {@code url} is the resolved connection URL (from {@code
 * url}, {@code url_env} or {@code url_file}, or built from host/port/database); credentials are
 * {@link Secret}s. {@code urlRef} says where the URL (and so its password) is read again on a
 * worker — {@code url-env:VAR} or {@code url-file:PATH} — or is null for a URL written into the
 * config.
 */
public record SourceConfig(
    SourceType type,
    String url,
    String user,
    Secret password,
    Environment environment,
    TlsConfig tls,
    String urlRef)
    implements Serializable {

  @Override
  public String toString() {
    return "SourceConfig[type=" + type + ", url=" + Redactor.redact(url) + ", user=" + user + "]";
  }
}
