package io.rivet.core.extract;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.dialect.SourceFailure;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a chunk retries a source failure, and how long it waits first (reference §7.1, with a time
 * window added): a transient failure is retried while the series of consecutive failures has had at
 * most {@code max_retries} attempts, or — however many it took — for as long as the source has been
 * failing for less than {@code retry_window_s} (30 s by default), which carries a chunk across a
 * server restart or a failover. The wait grows from {@code retry_backoff_ms} doubling per attempt,
 * at most 8 s; a series ends when an attempt ran longer than the window before failing (it had
 * recovered). Permanent failures are never retried.
 *
 * <p>One instance per chunk call; not thread-safe.
 */
public final class SourceRetries {
  private static final long MAX_WAIT_MS = 8_000;

  private final TuningConfig tuning;
  private final LongSupplier nanos;
  private long seriesStart = -1;
  private long lastFailure = -1;
  private int attempts;
  private Throwable judged;
  private boolean verdict;

  public SourceRetries(TuningConfig tuning, LongSupplier nanos) {
    this.tuning = tuning;
    this.nanos = nanos;
  }

  public SourceRetries(TuningConfig tuning) {
    this(tuning, System::nanoTime);
  }

  /**
   * Whether {@code failure} is retried; counts it (asking twice about the same failure counts it
   * once).
   */
  public boolean retry(Throwable failure) {
    if (failure == judged) {
      return verdict;
    }
    judged = failure;
    verdict = decide(failure);
    return verdict;
  }

  private boolean decide(Throwable failure) {
    if (!retryable(failure)) {
      return false;
    }
    long now = nanos.getAsLong();
    long window = Duration.ofSeconds(tuning.retryWindowS()).toNanos();
    if (seriesStart < 0 || now - lastFailure > Math.max(window, Duration.ofSeconds(1).toNanos())) {
      seriesStart = now;
      attempts = 0;
    }
    lastFailure = now;
    attempts++;
    return attempts <= tuning.maxRetries() || now - seriesStart < window;
  }

  /**
   * Retried at all: a transient source failure (never a bad value, a destination error or a lost
   * lease).
   */
  public static boolean retryable(Throwable e) {
    if (e instanceof SourceFailure sf) {
      return sf.errorClass() != ErrorClass.PERMANENT;
    }
    return e instanceof RivetException re
        && (re.code() == ErrorCode.SOURCE_TRANSIENT || re.code() == ErrorCode.SOURCE_UNAVAILABLE);
  }

  /** The attempts of the current series so far. */
  public int attempts() {
    return attempts;
  }

  /** How long to wait before the next attempt. */
  public Duration delay() {
    long base = Math.max(1, tuning.retryBackoffMs());
    long ms = base << Math.min(20, Math.max(0, attempts - 1));
    return Duration.ofMillis(Math.min(MAX_WAIT_MS, Math.max(1, ms)));
  }
}
