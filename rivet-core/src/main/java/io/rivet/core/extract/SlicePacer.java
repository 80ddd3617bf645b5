package io.rivet.core.extract;

import java.io.IOException;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads a key range, or a keyset page, as consecutive statements of about {@link
 * #STATEMENT_TARGET_NANOS} each: the first sized from the pace this pacer measured last (chunks of
 * one export have about the same density, so a chunk that fits in one statement's time is read in
 * one statement), or a sixteenth of the whole before any; each next one sized from the keys or rows
 * per second the last one read, growing at most fourfold. For engines whose statements stream whole
 * (MySQL row streaming, PostgreSQL COPY) this keeps each statement — and the read view the server
 * holds for it — short, and the throttle sleeps between statements, with none open.
 */
final class SlicePacer {
  static final long STATEMENT_TARGET_NANOS = 500_000_000L;

  /** A sliced read starts with this fraction of the range, before it knows the pace. */
  static final int FIRST_SLICES = 16;

  /** Reads {@code [from, to)} as one statement; returns the rows it read. */
  interface RangeSlice {
    long read(long from, long to) throws SQLException, IOException;
  }

  /**
   * Reads at most {@code rows} rows after key {@code after} (up to {@code upTo}) as one statement;
   * returns the rows.
   */
  interface PageSlice {
    long read(String after, String upTo, int rows) throws SQLException, IOException;
  }

  private final LongSupplier clock;

  /** Keys per statement the last sliced range suggested; -1 until measured. */
  private long keys = -1;

  /** Rows per statement the last sliced page suggested; -1 until measured. */
  private long rows = -1;

  SlicePacer() {
    this(System::nanoTime);
  }

  SlicePacer(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Reads {@code [from, to)} — or less, once {@code end} (the range's end after any split) is
   * smaller — until it is read or {@code stopped} (a claim was refused); {@code pause} runs after
   * each statement, outside its timing.
   */
  void range(
      long from,
      long to,
      LongSupplier end,
      BooleanSupplier stopped,
      RangeSlice slice,
      Runnable pause)
      throws SQLException, IOException {
    long lo = from;
    long step = keys > 0 ? keys : Math.max(1, span(from, to) / FIRST_SLICES);
    while (!stopped.getAsBoolean()) {
      long until = Math.min(to, end.getAsLong());
      if (lo >= until) {
        break;
      }
      long hi = span(lo, until) <= step ? until : lo + step;
      long started = clock.getAsLong();
      long read = slice.read(lo, hi);
      long elapsed = clock.getAsLong() - started;
      pause.run();
      step = nextSlice(hi - lo, read, elapsed, STATEMENT_TARGET_NANOS);
      if (read > 0) {
        keys = step;
      }
      lo = hi;
    }
  }

  /**
   * Reads one keyset page of {@code limit} rows after key {@code after} as sub-page statements
   * ({@code key > last … LIMIT n}), each continuing after {@code lastKey} of the one before, until
   * the page is full or a statement comes back short. Keys are unique (the planner proved it), so
   * continuing after the last key skips and repeats nothing.
   */
  void page(
      String after,
      String upTo,
      int limit,
      Supplier<String> lastKey,
      PageSlice slice,
      Runnable pause)
      throws SQLException, IOException {
    String lower = after;
    long step = rows > 0 ? rows : Math.max(1, limit / FIRST_SLICES);
    long total = 0;
    while (total < limit) {
      int n = (int) Math.min(step, limit - total);
      long started = clock.getAsLong();
      long read = slice.read(lower, upTo, n);
      long elapsed = clock.getAsLong() - started;
      total += read;
      pause.run();
      if (read < n) {
        break;
      }
      lower = lastKey.get();
      step = nextSlice(n, read, elapsed, STATEMENT_TARGET_NANOS);
      rows = step;
    }
  }

  /** {@code to - from} for {@code from < to}, saturated at Long.MAX_VALUE when it overflows. */
  static long span(long from, long to) {
    long d = to - from;
    return d < 0 ? Long.MAX_VALUE : d;
  }

  /**
   * The next slice, in keys or rows: as many as the last statement read in {@code targetNanos} at
   * its pace, at least one, at most four times the last (a slice without rows says nothing of the
   * pace: widen).
   */
  static long nextSlice(long size, long rowsRead, long elapsedNanos, long targetNanos) {
    long most = size > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : size * 4;
    if (rowsRead == 0 || elapsedNanos <= 0) {
      return Math.max(1, most);
    }
    double next = (double) size * targetNanos / elapsedNanos;
    return Math.max(1, next >= most ? most : (long) next);
  }
}
