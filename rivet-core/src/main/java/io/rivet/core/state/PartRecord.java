package io.rivet.core.state;

import java.io.Serializable;
import java.util.Map;

/**
 * A committed part in the file ledger: the file, the sub-range {@code [rangeStart, rangeEnd)} of
 * its chunk's restriction that it covers, its content fingerprint (SHA-256, computed while it was
 * written), and for keyset pages the last key it holds.
 *
 * @param storeTag what an object store reported for the object right after its upload (its ETag or
 *     MD5), so a later check sees whether the object is still the one committed; null on a local
 *     disk
 */
public record PartRecord(
    String runId,
    String exportName,
    int chunkIndex,
    long rangeStart,
    long rangeEnd,
    String fileName,
    long rows,
    long bytes,
    String fingerprint,
    String lastKey,
    Map<String, Integer> maxBytes,
    String md5,
    String storeTag)
    implements Serializable {

  public PartRecord {
    maxBytes = maxBytes == null ? Map.of() : Map.copyOf(maxBytes);
  }

  /** A part without shape information. */
  public PartRecord(
      String runId,
      String exportName,
      int chunkIndex,
      long rangeStart,
      long rangeEnd,
      String fileName,
      long rows,
      long bytes,
      String fingerprint,
      String lastKey) {
    this(
        runId,
        exportName,
        chunkIndex,
        rangeStart,
        rangeEnd,
        fileName,
        rows,
        bytes,
        fingerprint,
        lastKey,
        null,
        null,
        null);
  }

  private static final String EMPTY = "empty:";

  /** A ledger entry saying a sub-range was read and held no rows; it names no file. */
  public static PartRecord empty(
      String runId, String exportName, int chunkIndex, long from, long to) {
    return new PartRecord(
        runId, exportName, chunkIndex, from, to, EMPTY + chunkIndex + ":" + from, 0, 0, "", null);
  }

  /** Whether this entry is a file (and not the record of an empty sub-range). */
  public boolean isFile() {
    return !fileName.startsWith(EMPTY);
  }
}
