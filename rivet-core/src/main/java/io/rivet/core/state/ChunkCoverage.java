package io.rivet.core.state;

import java.util.List;
import java.util.Objects;

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

  /** What the ledger does with a part offered for commit. */
  public enum Admission {
    /** Nothing committed overlaps it: it is recorded. */
    NEW,
    /** The very same part (name, sub-range, rows, fingerprint) is already recorded. */
    ALREADY_COMMITTED,
    /**
     * Another part holds its name or part of its sub-range: it is another copy of work already
     * committed and is not recorded.
     */
    DUPLICATE
  }

  /**
   * Whether {@code offered} may join the chunk's {@code committed} parts: at most one part holds
   * any position of the restriction, and a name is one part's. Keyset pages cover the empty range
   * {@code [0, 0)} and are told apart by name alone.
   */
  public static Admission admits(List<PartRecord> committed, PartRecord offered) {
    for (PartRecord c : committed) {
      if (c.fileName().equals(offered.fileName())) {
        boolean same =
            c.rangeStart() == offered.rangeStart()
                && c.rangeEnd() == offered.rangeEnd()
                && c.rows() == offered.rows()
                && Objects.equals(c.fingerprint(), offered.fingerprint());
        return same ? Admission.ALREADY_COMMITTED : Admission.DUPLICATE;
      }
    }
    for (PartRecord c : committed) {
      if (c.rangeStart() < offered.rangeEnd() && offered.rangeStart() < c.rangeEnd()) {
        return Admission.DUPLICATE;
      }
    }
    return Admission.NEW;
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
