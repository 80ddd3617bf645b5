package io.rivet.core.extract;

import java.util.concurrent.atomic.AtomicLong;

/** Rows read in this JVM, for the progress line; counted per fetch batch, not per row. */
public final class Progress {
  private static final AtomicLong ROWS = new AtomicLong();

  private Progress() {}

  public static void add(long rows) {
    ROWS.addAndGet(rows);
  }

  public static long rows() {
    return ROWS.get();
  }
}
