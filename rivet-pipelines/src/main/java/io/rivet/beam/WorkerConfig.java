package io.rivet.beam;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.config.Secret;
import io.rivet.core.config.SourceConfig;
import io.rivet.core.dialect.ConnectionSpec;

/** The config as it may travel in a pipeline: its source's password only ever as a reference. */
final class WorkerConfig {
  private WorkerConfig() {}

  /**
   * The config as it travels to the workers: the source URL without its password (the password goes
   * as a reference, resolved where it is used).
   */
  static RivetConfig of(RivetConfig cfg, ConnectionSpec spec) {
    SourceConfig s = cfg.source();
    SourceConfig clean =
        new SourceConfig(
            s.type(),
            spec.jdbcUrl(),
            spec.user(),
            spec.password(),
            s.environment(),
            s.tls(),
            s.urlRef());
    return cfg.withSource(clean);
  }

  /** The config with its source's password read from {@code variable} wherever it is used. */
  static RivetConfig withPasswordEnv(RivetConfig config, String variable) {
    SourceConfig s = config.source();
    SourceConfig withRef =
        new SourceConfig(
            s.type(),
            s.url(),
            s.user(),
            Secret.reference("env:" + variable),
            s.environment(),
            s.tls(),
            s.urlRef());
    return config.withSource(withRef);
  }
}
