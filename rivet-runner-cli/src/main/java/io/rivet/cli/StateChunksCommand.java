package io.rivet.cli;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.ChunkTask;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code state chunks -e}: the latest run's chunk tasks. */
@Command(
    name = "chunks",
    mixinStandardHelpOptions = true,
    footer = {"", "Example: rivet state chunks -c rivet.yaml -e orders"},
    description = "Chunk tasks of an export's latest run (null if none).")
final class StateChunksCommand implements Callable<Integer> {
  @Mixin StateOptions o;

  @Option(
      names = {"-e", "--export"},
      required = true)
  String export;

  @Override
  public Integer call() {
    RivetConfig cfg = o.load();
    String name = StateOptions.export(cfg, export);
    try (StateStore s = o.open(cfg)) {
      Optional<RunRecord> run = s.runs(name, 1).stream().findFirst();
      if (run.isEmpty()) {
        if (o.json) {
          System.out.println("null");
        } else {
          System.out.println("export '" + name + "' has no runs");
        }
        return 0;
      }
      RunRecord r = run.get();
      Map<Integer, List<String>> filesByChunk = new LinkedHashMap<>();
      for (PartRecord p : s.parts(r.runId())) {
        if (p.isFile()) {
          filesByChunk.computeIfAbsent(p.chunkIndex(), k -> new ArrayList<>()).add(p.fileName());
        }
      }
      List<Map<String, Object>> tasks = new ArrayList<>();
      for (ChunkTask t : s.chunks(r.runId())) {
        tasks.add(task(t, filesByChunk.getOrDefault(t.chunkIndex(), List.of())));
      }
      if (o.json) {
        StateOptions.print(
            StateOptions.row(
                "export",
                name,
                "run_id",
                r.runId(),
                "plan_hash",
                r.planHash(),
                "status",
                r.status(),
                "updated_at",
                r.updatedAt(),
                "tasks",
                tasks));
      } else {
        System.out.println(r.runId() + "  " + r.status() + "  (plan " + r.planHash() + ")");
        tasks.forEach(
            t ->
                System.out.printf(
                    "  chunk %-5s %-10s %-9s [%s..%s) attempts %s rows %s%s%n",
                    t.get("chunk_index"),
                    t.get("kind"),
                    t.get("status"),
                    t.get("start_key"),
                    t.get("end_key"),
                    t.get("attempts"),
                    t.get("rows_written"),
                    t.get("last_error") == null ? "" : "  last error: " + t.get("last_error")));
      }
      return 0;
    }
  }

  private static Map<String, Object> task(ChunkTask t, List<String> files) {
    return StateOptions.row(
        "chunk_index",
        t.chunkIndex(),
        "kind",
        t.kind(),
        "status",
        t.status(),
        "start_key",
        t.startKey(),
        "end_key",
        t.endKey(),
        "attempts",
        t.attempts(),
        "rows_written",
        t.rowsWritten(),
        "files",
        files,
        "last_error",
        t.lastError());
  }
}
