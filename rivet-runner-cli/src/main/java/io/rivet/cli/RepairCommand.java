package io.rivet.cli;

import io.rivet.beam.ExportJob;
import io.rivet.beam.Reconciler;
import io.rivet.beam.Repairer;
import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.reconcile.ReconcileReport;
import io.rivet.core.reconcile.RepairPlan;
import io.rivet.core.reconcile.RepairResult;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rivet repair -c FILE -e NAME [--report F] [--execute]}. */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description = {
      "Re-export the chunks a reconcile found different, in place: their new parts replace the old",
      "ones in the ledger and the manifest, the old ones move to _retired/<run_id>/<repair id>/, and",
      "_SUCCESS is written again. A dry run (the plan) unless --execute.",
      "",
      "Example: rivet reconcile -c rivet.yaml -e orders -o report.json",
      "         rivet repair -c rivet.yaml -e orders --report report.json --execute"
    })
final class RepairCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Mixin ReportOptions report;

  @Option(
      names = {"-e", "--export"},
      required = true,
      description = "the export to repair")
  String export;

  @Option(
      names = "--report",
      description = "a reconcile report (rivet reconcile -o); without it, a reconcile runs first")
  Path reportFile;

  @Option(names = "--execute", description = "do it (without: print the plan only)")
  boolean execute;

  @Override
  public Integer call() throws IOException {
    RivetConfig cfg = options.load();
    ExportConfig e = cfg.export(StateOptions.export(cfg, export)).orElseThrow();
    boolean asJson = report.asJson();
    try (StateStore state = StateStore.open(ExportJob.stateUrl(cfg))) {
      RepairPlan plan = RepairPlan.of(reconcileReport(cfg, e, state));
      if (!execute || plan.actions().isEmpty()) {
        report.emit(plan.toJson());
        if (!asJson) {
          printPlan(plan, System.out);
        }
        return 0;
      }
      try (LeaseKeeper lease =
          new LeaseKeeper(ExportJob.stateUrl(cfg), LeaseKeeper.configuredTtl(System.getenv()))) {
        lease.acquire(e.name(), options.config.toString());
        RepairResult result = new Repairer(cfg, state).execute(e, plan, lease.token(e.name()));
        report.emit(result.toJson());
        if (!asJson) {
          printResult(result, System.out);
        }
        return result.summary().failed() > 0 ? 1 : 0;
      }
    }
  }

  private ReconcileReport reconcileReport(RivetConfig cfg, ExportConfig e, StateStore state)
      throws IOException {
    if (reportFile == null) {
      Reconciler r = new Reconciler(cfg, state, Version.VERSION);
      return r.reconcile(e, r.run(e, null));
    }
    ReconcileReport parsed;
    try {
      parsed = ReconcileReport.parse(Files.readString(reportFile));
    } catch (IllegalArgumentException x) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "--report "
              + reportFile
              + " is not a reconcile report; write one with 'rivet reconcile -c <config> -e "
              + e.name()
              + " -o "
              + reportFile
              + "'");
    }
    if (!e.name().equals(parsed.exportName())) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "--report "
              + reportFile
              + " is a report of export '"
              + parsed.exportName()
              + "', not of '"
              + e.name()
              + "'; reconcile '"
              + e.name()
              + "' first");
    }
    return parsed;
  }

  static void printPlan(RepairPlan plan, PrintStream out) {
    out.printf(
        "repair plan for %s, run %s (%s)%n",
        plan.exportName(), plan.reconcileRunId(), plan.strategy());
    if (plan.actions().isEmpty()) {
      out.println("  nothing to repair: no chunk differs");
    }
    for (RepairPlan.Action a : plan.actions()) {
      out.printf("  re-export chunk %d: %s%n", a.chunkIndex(), a.reason());
    }
    for (RepairPlan.Skipped s : plan.skipped()) {
      out.printf("  skip chunk %d: %s%n", s.chunkIndex(), s.reason());
    }
    if (!plan.actions().isEmpty()) {
      out.println("dry run: add --execute to do it");
    }
  }

  static void printResult(RepairResult r, PrintStream out) {
    for (RepairResult.ChunkResult c : r.results()) {
      if ("failed".equals(c.status())) {
        out.printf("✗  chunk %d failed: %s%n", c.chunkIndex(), c.error());
      } else {
        out.printf(
            "✓  chunk %d: %,d rows in %d new part(s); %d old part(s) moved out%n",
            c.chunkIndex(), c.rowsWritten(), c.written().size(), c.replaced().size());
      }
    }
    RepairResult.Summary s = r.summary();
    out.printf(
        "repair %s of %s: %d of %d chunk(s) repaired, %d failed, %d skipped; %,d rows written."
            + " Check it: rivet reconcile -c <config> -e %s%n",
        r.repairId(),
        r.plan().exportName(),
        s.executed(),
        s.planned(),
        s.failed(),
        s.skipped(),
        s.rowsWritten(),
        r.plan().exportName());
  }
}
