package io.rivet.core.extract;

import java.util.function.LongConsumer;

/**
 * The reference's throttle: after each batch, sleep {@code throttle_ms · rows in the batch /
 * configured batch}, so small fetches sleep less. A read of several short statements ({@link
 * #deferToStatementEnds}) owes the time instead and sleeps it between statements, with none open on
 * the server.
 */
public final class Throttle {
  private final int throttleMs;
  private final int configuredBatch;
  private final LongConsumer sleeper;
  private boolean deferred;
  private long owedMs;

  public Throttle(int throttleMs, int configuredBatch) {
    this(throttleMs, configuredBatch, Throttle::sleep);
  }

  Throttle(int throttleMs, int configuredBatch, LongConsumer sleeper) {
    this.throttleMs = throttleMs;
    this.configuredBatch = Math.max(1, configuredBatch);
    this.sleeper = sleeper;
  }

  /** From now on, sleep only between statements ({@link #afterStatement}). */
  void deferToStatementEnds() {
    deferred = true;
  }

  /** A full batch of {@code rows} was read. */
  public void afterBatch(int rows) {
    if (throttleMs > 0 && rows > 0) {
      long ms = Math.max(1, (long) throttleMs * rows / configuredBatch);
      if (deferred) {
        owedMs += ms;
      } else {
        sleeper.accept(ms);
      }
    }
  }

  /**
   * A statement ended after {@code tailRows} rows since its last full batch: owed when deferring.
   */
  void statementEnded(int tailRows) {
    if (deferred) {
      afterBatch(tailRows);
    }
  }

  /** Sleeps the time owed for the statement that just ended. */
  void afterStatement() {
    if (owedMs > 0) {
      sleeper.accept(owedMs);
      owedMs = 0;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
