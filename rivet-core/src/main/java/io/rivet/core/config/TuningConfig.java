package io.rivet.core.config;

import java.io.Serializable;

/**
 * Resolved tuning of one export: the profile's defaults overlaid by {@code source.tuning} and then
 * by {@code exports[].tuning}, field by field (reference §2.3).
 */
public record TuningConfig(
    Profile profile,
    Integer batchSize,
    Integer batchSizeMemoryMb,
    int throttleMs,
    int statementTimeoutS,
    int lockTimeoutS,
    int maxRetries,
    int retryBackoffMs,
    int retryWindowS,
    Integer socketTimeoutS)
    implements Serializable {

  /**
   * Before {@code retry_window_s} and {@code socket_timeout_s} were keys (tests and stored plans).
   */
  public TuningConfig(
      Profile profile,
      Integer batchSize,
      Integer batchSizeMemoryMb,
      int throttleMs,
      int statementTimeoutS,
      int lockTimeoutS,
      int maxRetries,
      int retryBackoffMs) {
    this(
        profile,
        batchSize,
        batchSizeMemoryMb,
        throttleMs,
        statementTimeoutS,
        lockTimeoutS,
        maxRetries,
        retryBackoffMs,
        DEFAULT_RETRY_WINDOW_S,
        null);
  }

  /**
   * How long a source may stay unreachable (a restart, a failover) while its chunks keep retrying.
   */
  public static final int DEFAULT_RETRY_WINDOW_S = 30;

  /**
   * How long a read may wait for the server's next bytes before the connection counts as stalled (a
   * frozen proxy, a dead peer) and the chunk is retried on a new one: {@code socket_timeout_s},
   * else the statement timeout (at least 5 minutes) plus a minute, so no statement the server is
   * still allowed to run is cut short.
   */
  public int socketTimeoutMs() {
    int s = socketTimeoutS != null ? socketTimeoutS : Math.max(statementTimeoutS, 300) + 60;
    return (int) Math.min(Integer.MAX_VALUE, s * 1000L);
  }

  /** Tuning profiles. */
  public enum Profile {
    FAST,
    BALANCED,
    SAFE
  }

  /** The defaults of a profile. */
  public static TuningConfig defaults(Profile p) {
    return switch (p) {
      case FAST -> new TuningConfig(p, null, 64, 0, 0, 0, 1, 1000);
      case BALANCED -> new TuningConfig(p, null, 32, 50, 300, 30, 3, 2000);
      case SAFE -> new TuningConfig(p, 2000, null, 500, 120, 10, 5, 5000);
    };
  }

  /**
   * Rows per fetch round trip: {@code batch_size} when given, otherwise a memory budget divided by
   * the estimated row width, clamped to [1 000, 150 000] as the original does.
   */
  public int fetchRows(int estimatedRowBytes) {
    if (batchSize != null) {
      return batchSize;
    }
    return rowsFor(estimatedRowBytes);
  }

  /**
   * Whether fetches are sized by memory (and so may adapt to the row width seen), not by a fixed
   * row count.
   */
  public boolean memorySized() {
    return batchSize == null;
  }

  /** Rows of {@code rowBytes} that fit the memory budget, clamped to [1 000, 150 000]. */
  public int rowsFor(long rowBytes) {
    int mb = batchSizeMemoryMb == null ? 32 : batchSizeMemoryMb;
    long rows = (long) mb * 1024 * 1024 / Math.max(1, rowBytes);
    return (int) Math.max(1_000, Math.min(150_000, rows));
  }
}
