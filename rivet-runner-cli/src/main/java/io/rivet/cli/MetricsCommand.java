package io.rivet.cli;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.MetricsRecord;
import io.rivet.core.state.StateStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rivet metrics}: one row per run per export, newest first. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    footer = {"", "Example: rivet metrics -c rivet.yaml -e orders -l 5"},
    description = "Per-run metrics, newest first.")
final class MetricsCommand implements Callable<Integer> {
  @Mixin StateOptions o;

  @Option(names = {"-e", "--export"})
  String export;

  @Option(
      names = {"-l", "--limit"},
      defaultValue = "20")
  int limit;

  @Override
  public Integer call() {
    RivetConfig cfg = o.load();
    try (StateStore s = o.open(cfg)) {
      List<MetricsRecord> rows = s.metrics(StateOptions.export(cfg, export), limit);
      if (o.json) {
        StateOptions.print(rows);
      } else {
        rows.forEach(
            m ->
                System.out.printf(
                    "%-40s %-8s %,12d rows %4d files %,14d bytes %8d ms %5d MB rss %d retries%s%n",
                    m.runId(),
                    m.status(),
                    m.totalRows(),
                    m.filesProduced(),
                    m.bytesWritten(),
                    m.durationMs(),
                    m.peakRssMb(),
                    m.retries(),
                    m.errorMessage() == null ? "" : "  " + m.errorMessage()));
      }
      return 0;
    }
  }
}
