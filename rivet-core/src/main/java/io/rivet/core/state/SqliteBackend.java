package io.rivet.core.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * A state store in an embedded SQLite file beside the config: WAL journaling, synchronous commits,
 * and immediate transactions, so the writers of one machine queue for the file's lock instead of
 * deadlocking.
 */
final class SqliteBackend implements StoreBackend {
  static final String PREFIX = "jdbc:sqlite:";

  private final String url;
  private final Path file;
  private final boolean existed;

  SqliteBackend(String url) {
    this.url = url;
    this.file = Path.of(url.substring(PREFIX.length()));
    this.existed = Files.exists(file);
  }

  @Override
  public String describe() {
    return url;
  }

  @Override
  public Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("journal_mode", "WAL");
    p.setProperty("busy_timeout", Long.toString(busyTimeoutMs()));
    p.setProperty("synchronous", "FULL");
    // Autocommit on, with explicit BEGIN IMMEDIATE per transaction: the driver's own transactions
    // would re-open one right after each commit, and an idle worker would then hold the write lock
    // forever.
    Connection c = DriverManager.getConnection(url, p);
    c.setAutoCommit(true);
    return c;
  }

  /**
   * How long a write waits for another process's transaction; {@code RIVET_STATE_BUSY_TIMEOUT_MS}
   * overrides 60 s.
   */
  private static long busyTimeoutMs() {
    String v = System.getenv("RIVET_STATE_BUSY_TIMEOUT_MS");
    try {
      return v == null || v.isBlank() ? 60_000 : Math.max(0, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return 60_000;
    }
  }

  @Override
  public String beginWrite() {
    return "BEGIN IMMEDIATE";
  }

  @Override
  public List<List<String>> migrations() {
    return SqliteMigrations.VERSIONS;
  }

  @Override
  public String explain(SQLException e) {
    return StateStoreFaults.describe(e);
  }

  @Override
  public void discardIfCreated() {
    if (existed) {
      return;
    }
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      try {
        Files.deleteIfExists(Path.of(file + suffix));
      } catch (IOException ignored) {
        // a read-only directory cannot have had the file created either
      }
    }
  }
}
