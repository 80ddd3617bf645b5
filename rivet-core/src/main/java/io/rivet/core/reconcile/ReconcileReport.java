package io.rivet.core.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.Json;
import java.io.IOException;
import java.util.List;

/**
 * What {@code rivet reconcile} found for one run of one export (reference §7.6, with content): per
 * chunk the source's and the files' row counts and content checksums, and a status.
 *
 * @param checksum the checksum definition ({@link ContentChecksum#NAME})
 */
public record ReconcileReport(
    String rivetVersion,
    String exportName,
    String runId,
    String strategy,
    String checksum,
    List<Partition> partitions,
    Summary summary) {

  /** {@code match}, {@code mismatch} or {@code unknown}. */
  public static final String MATCH = "match";

  public static final String MISMATCH = "mismatch";
  public static final String UNKNOWN = "unknown";

  /**
   * One chunk.
   *
   * @param mismatch {@code count}, {@code content} or {@code missing_part} when {@code status} is
   *     mismatch
   * @param differingColumns on a content mismatch, the columns whose values differ
   * @param files the committed parts of the chunk that were read
   */
  public record Partition(
      String kind,
      String identifier,
      int chunkIndex,
      String startKey,
      String endKey,
      Long sourceCount,
      Long exportedCount,
      String sourceChecksum,
      String exportedChecksum,
      String status,
      String mismatch,
      List<String> differingColumns,
      List<String> files,
      String note) {}

  /** Totals. */
  public record Summary(
      int totalPartitions,
      int matches,
      int mismatches,
      int unknown,
      long totalSourceRows,
      long totalExportedRows) {
    static Summary of(List<Partition> ps) {
      return new Summary(
          ps.size(),
          (int) ps.stream().filter(p -> MATCH.equals(p.status())).count(),
          (int) ps.stream().filter(p -> MISMATCH.equals(p.status())).count(),
          (int) ps.stream().filter(p -> UNKNOWN.equals(p.status())).count(),
          ps.stream().mapToLong(p -> p.sourceCount() == null ? 0 : p.sourceCount()).sum(),
          ps.stream().mapToLong(p -> p.exportedCount() == null ? 0 : p.exportedCount()).sum());
    }
  }

  public static ReconcileReport of(
      String version,
      String exportName,
      String runId,
      String strategy,
      List<Partition> partitions) {
    return new ReconcileReport(
        version,
        exportName,
        runId,
        strategy,
        ContentChecksum.NAME,
        List.copyOf(partitions),
        Summary.of(partitions));
  }

  /** Whether every chunk matched. */
  public boolean clean() {
    return summary.mismatches() == 0 && summary.unknown() == 0;
  }

  public String toJson() {
    try {
      return Json.DOCUMENTS.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ReconcileReport parse(String json) {
    try {
      return Json.DOCUMENTS.readValue(json, ReconcileReport.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a reconcile report: " + e.getMessage(), e);
    }
  }
}
