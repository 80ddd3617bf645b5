package io.rivet.core.extract;

import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.Dialect;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The session a chunk is read in: a read timeout that turns a stalled connection into an error, the
 * dialect's streaming set-up and session settings (timeouts, UTC) before the reads, its reset after
 * them — even when they fail — and the read transaction committed at the end. On PostgreSQL the
 * settings are {@code SET LOCAL}, so they end with the transaction; elsewhere the reset restores
 * what the session had.
 */
public final class SessionGuard {
  /** The reads a guard surrounds. */
  public interface Body {
    void run() throws SQLException, IOException;
  }

  private final Dialect dialect;
  private final TuningConfig tuning;

  public SessionGuard(Dialect dialect, TuningConfig tuning) {
    this.dialect = dialect;
    this.tuning = tuning;
  }

  public void run(Connection c, Body body) throws SQLException, IOException {
    // A read that waits longer than this for the server's next bytes is a stalled connection (a
    // frozen proxy, a dead peer): the driver fails it and the chunk is retried on a new connection.
    c.setNetworkTimeout(Runnable::run, tuning.socketTimeoutMs());
    dialect.prepareForStreaming(c);
    execute(c, dialect.sessionSetup(c, tuning));
    try {
      body.run();
    } finally {
      execute(c, dialect.sessionReset(c, tuning));
    }
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  private static void execute(Connection c, Iterable<String> statements) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }
}
