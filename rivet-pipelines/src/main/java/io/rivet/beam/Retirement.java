package io.rivet.beam;

import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an export's directory to one copy of each row for readers that glob its files. A snapshot
 * export (full, chunked, time_window) into a directory that already holds a finished run retires
 * that run's parts to {@code _retired/<run_id>/} only after its own {@code _SUCCESS} — until then
 * readers of the manifest see the old snapshot whole. Incremental exports append: their completed
 * runs' parts stay. Parts of runs that never finished (failed, abandoned) are retired in both
 * cases. Nothing is deleted, and {@code _} hides the folder from readers that follow the Hadoop
 * convention.
 */
final class Retirement {
  private static final Logger LOG = LoggerFactory.getLogger(Retirement.class);

  private Retirement() {}

  static boolean appends(ExportPlan plan) {
    return "incremental".equals(plan.mode());
  }

  /**
   * Retires the parts in the export's directory that the current state no longer stands behind: of
   * every run but {@code plan}'s own and, for snapshot exports, the newest completed one — or none
   * once {@code plan}'s run has written its {@code _SUCCESS} ({@code published}); incremental
   * exports keep every completed run's parts. Returns how many files moved.
   */
  static int retireSuperseded(ExportPlan plan, StateStore state, boolean published)
      throws IOException {
    if (BeamPartStore.stdout(plan.outputDir())) {
      return 0;
    }
    String dir = plan.outputDir();
    DestinationGuard.Contents c = DestinationGuard.scan(dir, plan.exportName());
    if (c.parts().isEmpty()) {
      return 0;
    }
    Map<String, String> runOf = new HashMap<>();
    for (PartRecord p : state.files(plan.exportName(), Integer.MAX_VALUE)) {
      runOf.putIfAbsent(p.fileName(), p.runId());
    }
    Map<String, String> status = new HashMap<>();
    Optional<RunRecord> newestCompleted = Optional.empty();
    for (RunRecord r : state.runs(plan.exportName(), Integer.MAX_VALUE)) {
      status.put(r.runId(), r.status());
      if (newestCompleted.isEmpty() && RunRecord.COMPLETED.equals(r.status())) {
        newestCompleted = Optional.of(r);
      }
    }
    Map<String, List<String>> retire = new LinkedHashMap<>();
    for (String name : c.parts()) {
      if (name.startsWith(plan.filePrefix() + "_")) {
        continue;
      }
      String run = runOf.get(name);
      boolean keep =
          run != null
              && RunRecord.COMPLETED.equals(status.get(run))
              && (appends(plan)
                  || (!published && newestCompleted.map(r -> r.runId().equals(run)).orElse(false)));
      if (!keep) {
        retire.computeIfAbsent(run == null ? "untracked" : run, k -> new ArrayList<>()).add(name);
      }
    }
    int moved = 0;
    for (var e : retire.entrySet()) {
      DestinationGuard.retire(dir, e.getValue(), DestinationGuard.RETIRED + "/" + e.getKey());
      moved += e.getValue().size();
      LOG.info(
          "export '{}': {} part(s) of run {} moved to {}/{}/{}/",
          plan.exportName(),
          e.getValue().size(),
          e.getKey(),
          dir,
          DestinationGuard.RETIRED,
          e.getKey());
      state.journal(
          plan.runId(),
          plan.exportName(),
          "PartsRetired",
          "{\"run_id\":\"" + e.getKey() + "\",\"parts\":" + e.getValue().size() + "}");
    }
    return moved;
  }
}
