package io.rivet.core.state;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Every read and write of a state store is one transaction that holds the write lock from its
 * start, so concurrent writers queue instead of deadlocking; a failure rolls back and becomes an
 * error naming what failed, its cause and the fix.
 */
final class Transactions {
  /** The work of one transaction, with its result. */
  interface Work<T> {
    T run(Sql sql) throws SQLException;
  }

  /** The work of one transaction that writes. */
  interface Step {
    void run(Sql sql) throws SQLException;
  }

  private final StoreBackend backend;
  private final Connection c;
  private final Sql sql;

  Transactions(StoreBackend backend, Connection c) {
    this.backend = backend;
    this.c = c;
    this.sql = new Sql(c);
  }

  /** Runs {@code work} in one transaction; {@code what} names it in the error if it fails. */
  synchronized <T> T run(String what, Work<T> work) {
    try {
      sql.execute(backend.beginWrite());
      try {
        T out = work.run(sql);
        sql.execute("COMMIT");
        return out;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(e);
        throw e;
      }
    } catch (SQLException e) {
      throw failure(backend, what, e);
    }
  }

  /** Runs {@code step} in one transaction (see {@link #run}). */
  void write(String what, Step step) {
    run(
        what,
        sql -> {
          step.run(sql);
          return null;
        });
  }

  /**
   * Rolls back after a failure, keeping the failure as the error: a failed COMMIT (disk full) may
   * already have ended the transaction, and "no transaction is active" would hide its cause.
   */
  private void rollbackQuietly(Exception cause) {
    try {
      sql.execute("ROLLBACK");
    } catch (SQLException alreadyEnded) {
      cause.addSuppressed(alreadyEnded);
    }
  }

  static RivetException failure(StoreBackend backend, String what, SQLException e) {
    return new RivetException(
        ErrorCode.STATE_STORE_FAILED,
        "state store " + backend.describe() + ": " + what + " failed: " + backend.explain(e),
        e);
  }

  synchronized void close() {
    try {
      c.close();
    } catch (SQLException e) {
      // closing is best effort; every write was already committed
    }
  }
}
