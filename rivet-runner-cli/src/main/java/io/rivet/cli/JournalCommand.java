package io.rivet.cli;

import io.rivet.core.Json;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rivet journal -e}: the events of an export's recent runs (reference §4.3), one block per
 * run.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    footer = {"", "Example: rivet journal -c rivet.yaml -e orders --json"},
    description = "Events of an export's recent runs.")
final class JournalCommand implements Callable<Integer> {
  @Mixin StateOptions o;

  @Option(
      names = {"-e", "--export"},
      required = true)
  String export;

  @Option(
      names = {"-l", "--limit"},
      defaultValue = "5")
  int limit;

  @Option(names = "--run-id")
  String runId;

  @Override
  public Integer call() throws Exception {
    RivetConfig cfg = o.load();
    String name = StateOptions.export(cfg, export);
    try (StateStore s = o.open(cfg)) {
      List<Map<String, Object>> blocks = new ArrayList<>();
      for (RunRecord r : s.runs(name, runId == null ? limit : 10_000)) {
        if (runId != null && !runId.equals(r.runId())) {
          continue;
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (String[] e : s.journalEntries(r.runId())) {
          entries.add(
              StateOptions.row(
                  "recorded_at", e[0], "event", e[1], "data", Json.DOCUMENTS.readTree(e[2])));
        }
        blocks.add(
            StateOptions.row(
                "run_id",
                r.runId(),
                "export_name",
                name,
                "status",
                r.status(),
                "entries",
                entries));
      }
      if (o.json) {
        StateOptions.print(blocks);
      } else {
        for (Map<String, Object> b : blocks) {
          String mark =
              switch ((String) b.get("status")) {
                case RunRecord.COMPLETED -> "✓";
                case RunRecord.IN_PROGRESS -> "•";
                default -> "✗";
              };
          System.out.println(mark + " " + b.get("run_id") + " (" + b.get("status") + ")");
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> entries = (List<Map<String, Object>>) b.get("entries");
          entries.forEach(
              e ->
                  System.out.println(
                      "    "
                          + e.get("recorded_at")
                          + "  "
                          + e.get("event")
                          + "  "
                          + e.get("data")));
        }
      }
      return 0;
    }
  }
}
