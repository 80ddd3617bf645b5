package io.rivet.beam;

import io.rivet.core.dialect.ConnectionSpec;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The source connection one DoFn instance reads with, kept from chunk to chunk: opened on first
 * use, reopened when a run needs another spec (a pooler's safe settings) or after {@link #close}
 * (every failed chunk discards its connection).
 */
final class SourceConnection implements AutoCloseable {
  private Connection connection;
  private String url;

  Connection get(ConnectionSpec spec) {
    boolean usable;
    try {
      usable = connection != null && spec.jdbcUrl().equals(url) && !connection.isClosed();
    } catch (SQLException e) {
      usable = false;
    }
    if (!usable) {
      close();
      connection = spec.open();
      url = spec.jdbcUrl();
    }
    return connection;
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // a broken connection is replaced on the next chunk
      }
      connection = null;
    }
  }
}
