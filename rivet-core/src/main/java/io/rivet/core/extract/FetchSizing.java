package io.rivet.core.extract;

/**
 * Rows per fetch round trip: the memory budget divided by the width of the rows seen so far
 * (fixed-width columns plus their text and binary bytes; a fetched row costs the driver about twice
 * its raw width in Java objects), and never more than {@link #ROUND_TRIP_BYTES}. A batch of the
 * budget's size is read in several round trips then: each round trip's rows are written and dropped
 * before the next arrives, so they die young in the heap instead of being promoted and collected by
 * full GCs (measured in docs/performance.md), and the throttle still sleeps in proportion to the
 * rows read.
 */
final class FetchSizing {
  /**
   * The first fetch of a memory-sized read, before any row's width is known (the original probes
   * 500 rows too).
   */
  static final int PROBE_ROWS = 500;

  /** The most a single fetch round trip holds, in estimated Java bytes. */
  static final long ROUND_TRIP_BYTES = 4L * 1024 * 1024;

  private static final long FIXED_BYTES_PER_COLUMN = 24;

  /** The budget of a memory-sized read when the config sets none. */
  static final int DEFAULT_BUDGET_MB = 32;

  private FetchSizing() {}

  static int fetchRows(int columns, long variableBytesSeen, long rowsSeen, int budgetMb) {
    long width = FIXED_BYTES_PER_COLUMN * columns + variableBytesSeen / Math.max(1, rowsSeen);
    long bytes = Math.min((long) budgetMb * 1024 * 1024, ROUND_TRIP_BYTES);
    return (int) Math.max(100, Math.min(150_000, bytes / (width * 2)));
  }
}
