package io.rivet.cli;

import io.rivet.beam.ExportJob;
import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.check.CheckReport;
import io.rivet.core.check.Checker;
import io.rivet.core.check.TargetTypes;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.StateStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rivet check -c FILE}: an advisory preflight of each export. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Plan each export as a run would (nothing written, no lease) and say how it will treat the",
      "source: strategy, row estimate, chunk count, a verdict EFFICIENT > ACCEPTABLE > DEGRADED >",
      "UNSAFE, warnings from the engine's plan (a chunk that scans the whole table), the parallel",
      "worth asking for; with --type-report each column's Parquet type and what a warehouse sees.",
      "Advisory: it never blocks a run (exit 0), unless --strict finds a lossy or unsupported type.",
      "",
      "Example: rivet check -c rivet.yaml --type-report --target bigquery",
      "Example: rivet check -c rivet.yaml -e orders --json    (one JSON line per export)"
    })
final class CheckCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(
      names = {"-e", "--export"},
      description = "check only this export (repeatable)")
  List<String> exports = new ArrayList<>();

  @Option(
      names = "--type-report",
      description = "each column's Parquet type and, per target, what it becomes")
  boolean typeReport;

  @Option(
      names = "--target",
      description =
          "bigquery (bq), duckdb, snowflake (sf) or clickhouse (ch); default: each export's target:")
  String target;

  @Option(
      names = "--strict",
      description = "exit 1 when a column is lossy for a target or cannot be exported")
  boolean strict;

  @Option(
      names = "--json",
      description = "one JSON object per export and line (implies --type-report)")
  boolean json;

  @Override
  public Integer call() {
    RivetConfig cfg = options.load();
    List<ExportConfig> selected = new ArrayList<>();
    if (exports.isEmpty()) {
      selected.addAll(cfg.exports());
    } else {
      for (String n : exports) {
        selected.add(cfg.export(StateOptions.export(cfg, n)).orElseThrow());
      }
    }
    TargetTypes.Target forced;
    try {
      forced = target == null ? null : TargetTypes.Target.parse(target);
    } catch (IllegalArgumentException e) {
      throw new RivetException(ErrorCode.CONFIG_INVALID, "--target: " + e.getMessage());
    }
    Checker checker = new Checker(cfg, ExportJob.stateUrl(cfg));
    List<CheckReport> reports = new ArrayList<>();
    try (StateStore state = StateStore.open(ExportJob.stateUrl(cfg))) {
      for (ExportConfig e : selected) {
        Set<TargetTypes.Target> targets = new LinkedHashSet<>();
        if (forced != null) {
          targets.add(forced);
        } else if (e.target() != null) {
          targets.add(TargetTypes.Target.parse(e.target()));
        }
        reports.add(checker.check(e, targets, state.cursor(e.name())));
      }
    }
    for (CheckReport r : reports) {
      if (json) {
        System.out.println(r.toJsonLine());
      } else {
        printPretty(r, typeReport, System.out);
      }
    }
    boolean violations = reports.stream().anyMatch(r -> !r.violations().isEmpty());
    return strict && violations ? 1 : 0;
  }

  static void printPretty(CheckReport r, boolean types, PrintStream out) {
    CheckReport.Diagnostic d = r.diagnostic();
    out.printf(
        "%-10s %-24s %s%s, %s, %d chunk(s), parallel %d recommended (%s)%n",
        d.verdict(),
        r.export(),
        d.mode(),
        d.strategy() == null ? "" : "/" + d.strategy(),
        d.rowEstimate() == null
            ? "rows unknown"
            : String.format(Locale.ROOT, "~%,d rows", d.rowEstimate()),
        d.chunkCount(),
        d.recommendedParallel().level(),
        d.recommendedParallel().reason());
    for (CheckReport.Warning w : d.warnings()) {
      out.printf("           %-6s %s%n", w.severity(), w.message());
    }
    if (types) {
      for (CheckReport.Column c : r.columns()) {
        StringBuilder t = new StringBuilder();
        c.targets()
            .forEach(
                (name, m) ->
                    t.append("  ")
                        .append(name)
                        .append(": ")
                        .append(m.type())
                        .append(
                            m.lossy()
                                ? " LOSSY (" + m.note() + ")"
                                : m.note() == null ? "" : " (" + m.note() + ")"));
        out.printf(
            "           %-24s %-16s -> %s%s%n", c.name(), c.sourceType(), c.parquetType(), t);
      }
    }
    for (String v : r.violations()) {
      out.printf("           violation: %s%n", v);
    }
  }
}
