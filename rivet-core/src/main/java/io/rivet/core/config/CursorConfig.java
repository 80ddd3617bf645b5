package io.rivet.core.config;

import java.io.Serializable;

/**
 * How an incremental export finds new rows: the cursor column (or {@code COALESCE(column,
 * fallback)}), and an optional look-back {@code lag} re-read by every run so rows committed late,
 * with a cursor already passed, are still exported (at the price of re-exporting the rows inside
 * the lag).
 *
 * @param lag for timestamp and date cursors a duration such as {@code 15m}, {@code 2h}, {@code 1d};
 *     for integer cursors a number of units; null for none
 */
public record CursorConfig(String column, String fallbackColumn, Mode mode, String lag)
    implements Serializable {
  /** {@code incremental_cursor_mode}. */
  public enum Mode {
    SINGLE_COLUMN,
    COALESCE
  }
}
