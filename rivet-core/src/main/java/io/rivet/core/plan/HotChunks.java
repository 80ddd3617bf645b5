package io.rivet.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Where to cut a chunk that holds far more rows than the others (a dense cluster of keys, a skewed
 * distribution), so that several workers read it at once instead of one straggling: cut points
 * chosen from the engine's estimates so that each piece holds about an average chunk's rows.
 * Nothing here reads rows: the estimates come from the engine's statistics.
 */
public final class HotChunks {
  /** A chunk is hot when it holds at least this many times the average chunk's rows. */
  static final double HOT_FACTOR = 2.0;

  /** Below this many estimated rows a chunk is never cut: a piece would not pay for its query. */
  static final long MIN_ROWS = 20_000;

  /** The estimate of rows in {@code [from, to)}, or a negative number when unknown. */
  @FunctionalInterface
  public interface Estimate {
    long rows(long from, long to);
  }

  private HotChunks() {}

  /**
   * Cut points strictly inside {@code (lo, hi)}, ascending, for a chunk of {@code [lo, hi)} among
   * {@code chunks} chunks holding {@code totalRows} together; empty when the chunk is not hot or
   * the estimates are unknown. At most {@code maxPieces - 1} points.
   */
  public static List<Long> cutPoints(
      Estimate estimate, long lo, long hi, long totalRows, int chunks, int maxPieces) {
    long rows = estimate.rows(lo, hi);
    if (chunks < 2 || totalRows <= 0 || rows < MIN_ROWS || hi - lo < 2 || maxPieces < 2) {
      return List.of();
    }
    double average = (double) totalRows / chunks;
    if (rows < HOT_FACTOR * average) {
      return List.of();
    }
    int pieces = (int) Math.min(maxPieces, Math.ceil(rows / average));
    List<Long> cuts = new ArrayList<>();
    long from = lo;
    for (int i = 1; i < pieces; i++) {
      long wanted = rows * i / pieces;
      // The smallest key b with at least `wanted` estimated rows in [lo, b): estimates grow with b.
      long left = from + 1;
      long right = hi - 1;
      long found = -1;
      while (left <= right) {
        long mid = left + (right - left) / 2;
        long below = estimate.rows(lo, mid);
        if (below < 0) {
          return List.of();
        }
        if (below >= wanted) {
          found = mid;
          right = mid - 1;
        } else {
          left = mid + 1;
        }
      }
      if (found < 0 || found <= from) {
        continue;
      }
      cuts.add(found);
      from = found;
    }
    return List.copyOf(cuts);
  }
}
