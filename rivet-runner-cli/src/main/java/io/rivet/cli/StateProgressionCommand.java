package io.rivet.cli;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code state progression}: what each export has committed. */
@Command(
    name = "progression",
    mixinStandardHelpOptions = true,
    footer = {"", "Example: rivet state progression -c rivet.yaml"},
    description = "Committed boundaries per export.")
final class StateProgressionCommand implements Callable<Integer> {
  @Mixin StateOptions o;

  @Option(names = {"-e", "--export"})
  String export;

  @Override
  public Integer call() {
    RivetConfig cfg = o.load();
    String only = StateOptions.export(cfg, export);
    try (StateStore s = o.open(cfg)) {
      Map<String, String[]> cursors = s.cursors();
      List<Map<String, Object>> out = new ArrayList<>();
      for (var e : cfg.exports()) {
        if (only != null && !only.equals(e.name())) {
          continue;
        }
        Optional<RunRecord> committed =
            s.runs(e.name(), 100).stream()
                .filter(r -> RunRecord.COMPLETED.equals(r.status()))
                .findFirst();
        String[] c = cursors.get(e.name());
        out.add(
            StateOptions.row(
                "export_name",
                e.name(),
                "strategy",
                e.mode().name().toLowerCase(Locale.ROOT),
                "last_committed_run_id",
                committed.map(RunRecord::runId).orElse(null),
                "last_committed_at",
                committed.map(RunRecord::updatedAt).orElse(null),
                "last_committed_cursor",
                c == null ? null : c[0]));
      }
      if (o.json) {
        StateOptions.print(out);
      } else {
        out.forEach(
            r ->
                System.out.printf(
                    "%-24s %-11s committed %s at %s%s%n",
                    r.get("export_name"),
                    r.get("strategy"),
                    r.get("last_committed_run_id") == null
                        ? "nothing yet"
                        : r.get("last_committed_run_id"),
                    r.get("last_committed_at"),
                    r.get("last_committed_cursor") == null
                        ? ""
                        : ", cursor " + r.get("last_committed_cursor")));
      }
      return 0;
    }
  }
}
