package io.rivet.core.config;

import java.io.Serializable;

/**
 * {@code parquet:} row-group sizing. parquet-hadoop cuts row groups by bytes, so {@code fixed_rows}
 * is turned into bytes with the estimated row width at plan time.
 */
public record ParquetConfig(
    Strategy strategy, Long rowGroupRows, int targetRowGroupMb, Integer maxRowGroupMb)
    implements Serializable {
  /** {@code row_group_strategy}. */
  public enum Strategy {
    AUTO,
    FIXED_ROWS,
    FIXED_MEMORY
  }

  /** The row-group size in bytes for rows of {@code estimatedRowBytes}. */
  public long rowGroupBytes(int estimatedRowBytes) {
    long bytes =
        strategy == Strategy.FIXED_ROWS && rowGroupRows != null
            ? rowGroupRows * Math.max(1, estimatedRowBytes)
            : targetRowGroupMb * 1024L * 1024L;
    if (maxRowGroupMb != null) {
      bytes = Math.min(bytes, maxRowGroupMb * 1024L * 1024L);
    }
    return Math.max(64 * 1024, bytes);
  }
}
