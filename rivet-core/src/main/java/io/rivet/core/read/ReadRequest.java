package io.rivet.core.read;

import java.time.LocalDate;

/** What one statement of a chunk read selects: its kind of window and its bounds. */
public sealed interface ReadRequest {
  /** Rows whose integer chunk key lies in {@code [from, to)}, in key order. */
  record Range(long from, long to) implements ReadRequest {}

  /**
   * Rows whose ordinal in chunk-key order lies in {@code [from, to)}, each followed by its ordinal
   * (not written).
   */
  record Dense(long from, long to) implements ReadRequest {}

  /** Rows whose date or timestamp chunk column lies in the day window {@code [from, to)}. */
  record Days(LocalDate from, LocalDate to) implements ReadRequest {}

  /** Rows whose chunk column is NULL. */
  record NullKeys() implements ReadRequest {}

  /** Every row of the base query. */
  record Whole() implements ReadRequest {}

  /**
   * At most {@code limit} rows in key order with keys after {@code after} (exclusive, when set) up
   * to {@code upTo} (inclusive, when set); keys as the text the ledger keeps.
   */
  record KeysetPage(String after, String upTo, int limit) implements ReadRequest {}

  /**
   * The fields each row of this request carries: the columns, plus the ordinal of a dense window.
   */
  default int fields(int columns) {
    return this instanceof Dense ? columns + 1 : columns;
  }
}
