package io.rivet.core.state;

import java.util.List;

/**
 * Which part of a chunk's restriction {@code [start, end)} its committed parts cover. A chunk is
 * complete when the parts cover its restriction contiguously from its start; a resume reads only
 * what no part covers.
 *
 * @param coveredTo the end of the contiguous run of parts from the chunk's start
 * @param rows the rows of all the chunk's parts
 */
public record ChunkCoverage(long start, long end, long coveredTo, long rows) {
  public static ChunkCoverage of(long start, long end, List<PartRecord> parts) {
    long covered = start;
    long rows = 0;
    for (PartRecord r :
        parts.stream().sorted((a, b) -> Long.compare(a.rangeStart(), b.rangeStart())).toList()) {
      if (r.rangeStart() <= covered && r.rangeEnd() > covered) {
        covered = r.rangeEnd();
      }
      rows += r.rows();
    }
    return new ChunkCoverage(start, end, covered, rows);
  }

  public boolean complete() {
    return coveredTo >= end;
  }

  /** The committed part that covers position {@code pos}, or null. */
  public static PartRecord covering(List<PartRecord> parts, long pos) {
    for (PartRecord p : parts) {
      if (p.rangeStart() <= pos && pos < p.rangeEnd()) {
        return p;
      }
    }
    return null;
  }

  /**
   * Where the next committed part after {@code pos} starts (Long.MAX_VALUE when none does): the gap
   * to read.
   */
  public static long nextStart(List<PartRecord> parts, long pos) {
    long next = Long.MAX_VALUE;
    for (PartRecord p : parts) {
      if (p.rangeStart() > pos) {
        next = Math.min(next, p.rangeStart());
      }
    }
    return next;
  }
}
