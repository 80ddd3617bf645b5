package io.rivet.cli;

import io.rivet.beam.ExportJob;
import io.rivet.beam.Reconciler;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.reconcile.ReconcileReport;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rivet reconcile -c FILE -e NAME}: compare a finished run's files with the source. */
@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the files of an export's newest completed run with its source, chunk by chunk:",
      "the row count and a content checksum, each computed by the source in its own SQL and by",
      "rivet from the files. Exit 3 when a chunk differs; 'unknown' chunks are only warned about.",
      "",
      "Example: rivet reconcile -c rivet.yaml -e orders --format json -o orders-reconcile.json",
      "Then:    rivet repair -c rivet.yaml -e orders --report orders-reconcile.json --execute"
    })
final class ReconcileCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Mixin ReportOptions report;

  @Option(
      names = {"-e", "--export"},
      required = true,
      description = "the export to reconcile")
  String export;

  @Option(names = "--run-id", description = "a completed run other than the newest")
  String runId;

  @Override
  public Integer call() throws IOException {
    RivetConfig cfg = options.load();
    ExportConfig e = cfg.export(StateOptions.export(cfg, export)).orElseThrow();
    ReconcileReport result;
    try (StateStore state = StateStore.open(ExportJob.stateUrl(cfg))) {
      Reconciler r = new Reconciler(cfg, state, Version.VERSION);
      RunRecord run = r.run(e, runId);
      result = r.reconcile(e, run);
    }
    report.emit(result.toJson());
    if (!report.asJson()) {
      printPretty(result, System.out);
    }
    return exitCode(result);
  }

  /** 3 when a chunk differs, else 0 (unknown chunks are warned about, reference §1.2). */
  static int exitCode(ReconcileReport report) {
    return report.summary().mismatches() > 0 ? 3 : 0;
  }

  static void printPretty(ReconcileReport r, PrintStream out) {
    out.printf(
        "reconcile %s, run %s (%s, %s)%n", r.exportName(), r.runId(), r.strategy(), r.checksum());
    out.printf(
        "  %-34s %12s %12s  %-16s %-16s %s%n",
        "chunk", "source", "files", "source sum", "files sum", "status");
    for (ReconcileReport.Partition p : r.partitions()) {
      out.printf(
          "  %-34s %12s %12s  %-16s %-16s %s%s%n",
          p.identifier(),
          p.sourceCount() == null ? "?" : String.format("%,d", p.sourceCount()),
          p.exportedCount() == null ? "?" : String.format("%,d", p.exportedCount()),
          p.sourceChecksum() == null ? "?" : p.sourceChecksum(),
          p.exportedChecksum() == null ? "?" : p.exportedChecksum(),
          p.status(),
          p.mismatch() != null
              ? " (" + p.mismatch() + ")"
              : p.note() != null ? ": " + p.note() : "");
    }
    ReconcileReport.Summary s = r.summary();
    out.printf(
        "%d chunk(s): %d match, %d mismatch, %d unknown; %,d source rows, %,d in files%n",
        s.totalPartitions(),
        s.matches(),
        s.mismatches(),
        s.unknown(),
        s.totalSourceRows(),
        s.totalExportedRows());
    if (s.mismatches() > 0) {
      out.printf(
          "next: 'rivet repair -c <config> -e %s' re-exports the %d chunk(s) that differ (dry run; add --execute)%n",
          r.exportName(), s.mismatches());
    } else if (s.unknown() > 0) {
      out.println("warning: some chunks could not be compared (see their notes)");
    }
  }
}
