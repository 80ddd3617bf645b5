package io.rivet.core.state;

import java.io.Serializable;

/**
 * A committed part in the file ledger: the file, the sub-range {@code [rangeStart, rangeEnd)} of its chunk's
 * restriction that it covers, its content fingerprint, and for keyset pages the last key it holds.
 */
public record PartRecord(
    String runId, String exportName, int chunkIndex, long rangeStart, long rangeEnd, String fileName, long rows,
    long bytes, String fingerprint, String lastKey)
    implements Serializable {
  private static final String EMPTY = "empty:";

  /** A ledger entry saying a sub-range was read and held no rows; it names no file. */
  public static PartRecord empty(String runId, String exportName, int chunkIndex, long from, long to) {
    return new PartRecord(runId, exportName, chunkIndex, from, to, EMPTY + chunkIndex + ":" + from, 0, 0, "", null);
  }

  /** Whether this entry is a file (and not the record of an empty sub-range). */
  public boolean isFile() {
    return !fileName.startsWith(EMPTY);
  }
}
