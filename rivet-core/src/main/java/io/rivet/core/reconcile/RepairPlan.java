package io.rivet.core.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code rivet repair} would do (reference §7.6): the chunks a reconcile report found
 * different, to be read again from the source, and the chunks it leaves alone with why.
 */
public record RepairPlan(
    String exportName,
    String reconcileRunId,
    String strategy,
    List<Action> actions,
    List<Skipped> skipped) {

  /** A chunk to read again. */
  public record Action(int chunkIndex, String startKey, String endKey, String reason) {}

  /** A chunk left as it is. */
  public record Skipped(int chunkIndex, String reason) {}

  /** The plan of a report: every mismatched chunk; unknown chunks are skipped, with their note. */
  public static RepairPlan of(ReconcileReport report) {
    List<Action> actions = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (ReconcileReport.Partition p : report.partitions()) {
      if (ReconcileReport.MISMATCH.equals(p.status())) {
        String why =
            switch (String.valueOf(p.mismatch())) {
              case "count" ->
                  "row count differs: source " + p.sourceCount() + ", files " + p.exportedCount();
              case "content" ->
                  "content differs"
                      + (p.differingColumns() == null || p.differingColumns().isEmpty()
                          ? ""
                          : " in " + String.join(", ", p.differingColumns()));
              default -> String.valueOf(p.note());
            };
        actions.add(new Action(p.chunkIndex(), p.startKey(), p.endKey(), why));
      } else if (ReconcileReport.UNKNOWN.equals(p.status())) {
        skipped.add(
            new Skipped(
                p.chunkIndex(),
                "not compared ("
                    + p.note()
                    + "); reconcile again once it can be, before repairing it"));
      }
    }
    return new RepairPlan(report.exportName(), report.runId(), report.strategy(), actions, skipped);
  }

  public String toJson() {
    try {
      return Json.DOCUMENTS.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
