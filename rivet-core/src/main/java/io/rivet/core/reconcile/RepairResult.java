package io.rivet.core.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.Json;
import java.util.List;

/**
 * What {@code rivet repair --execute} did: per chunk, the parts it wrote and the parts they
 * replaced (moved out of the manifest and the directory).
 *
 * @param repairId names this repair's parts ({@code <run prefix>_<repair id>_chunk…}) and the
 *     folder the replaced parts moved to ({@code _retired/<run_id>/<repair id>/})
 */
public record RepairResult(
    RepairPlan plan, String repairId, List<ChunkResult> results, Summary summary) {

  /** One chunk's outcome: {@code repaired} or {@code failed} (with the error). */
  public record ChunkResult(
      int chunkIndex,
      String status,
      long rowsWritten,
      List<String> written,
      List<String> replaced,
      String error) {}

  /** Totals. */
  public record Summary(int planned, int executed, int skipped, int failed, long rowsWritten) {}

  public static RepairResult of(RepairPlan plan, String repairId, List<ChunkResult> results) {
    int failed = (int) results.stream().filter(r -> "failed".equals(r.status())).count();
    return new RepairResult(
        plan,
        repairId,
        List.copyOf(results),
        new Summary(
            plan.actions().size(),
            results.size() - failed,
            plan.skipped().size(),
            failed,
            results.stream().mapToLong(ChunkResult::rowsWritten).sum()));
  }

  public String toJson() {
    try {
      return Json.DOCUMENTS.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
