package io.rivet.core.plan;

import io.rivet.core.schema.ColumnKind;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * The window one incremental run exports: cursor values in {@code (low, high]}, where {@code high}
 * was captured at plan time and {@code low} is the stored cursor minus the lag. {@code high}
 * becomes the stored cursor only after every part of the run committed.
 *
 * @param previous the cursor stored before this run (null on the first run)
 * @param high null when no row had a cursor value at plan time (nothing to export, the cursor
 *     stays)
 */
public record CursorWindow(ColumnKind kind, String previous, String low, String high)
    implements Serializable {

  /** Compares two cursor texts of this window's kind. */
  public int compare(String a, String b) {
    return switch (kind) {
      case INT16, INT32, INT64 -> Long.compare(Long.parseLong(a), Long.parseLong(b));
      case DATE -> LocalDate.parse(a).compareTo(LocalDate.parse(b));
      case TIMESTAMP_MICROS -> LocalDateTime.parse(a).compareTo(LocalDateTime.parse(b));
      case TIMESTAMPTZ_MICROS ->
          OffsetDateTime.parse(a).toInstant().compareTo(OffsetDateTime.parse(b).toInstant());
      default -> a.compareTo(b);
    };
  }

  /** The cursor to store after the run: {@code high}, never moving backwards. */
  public String next() {
    if (high == null) {
      return previous;
    }
    return previous == null || compare(high, previous) > 0 ? high : previous;
  }
}
