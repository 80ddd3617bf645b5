package io.rivet.core.config;

import java.io.Serializable;

/** {@code source.tls}: how the connection to the database is encrypted and verified. */
public record TlsConfig(Mode mode, String caFile) implements Serializable {
  /** TLS modes, as in libpq's sslmode. */
  public enum Mode {
    DISABLE,
    REQUIRE,
    VERIFY_CA,
    VERIFY_FULL
  }
}
