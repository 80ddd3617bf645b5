package io.rivet.cli;

import io.rivet.beam.ExportJob;
import io.rivet.beam.Reconciler;
import io.rivet.beam.Validator;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.manifest.RunSummary;
import io.rivet.core.manifest.ValidationReport;
import io.rivet.core.reconcile.ReconcileReport;
import io.rivet.core.state.StateStore;
import java.io.PrintStream;

/**
 * What {@code rivet run} does after its exports finished: {@code --validate} and {@code
 * --reconcile} (or {@code reconcile_required: true}) on each export that succeeded, as {@code rivet
 * validate} and {@code rivet reconcile} would; 3 when one finds a difference.
 */
final class AfterRun {
  private AfterRun() {}

  /** Validates the exports that succeeded ({@code --validate}); 3 when one fails, else 0. */
  static int validate(RivetConfig cfg, RunSummary s, PrintStream out) {
    int code = 0;
    try (StateStore state = StateStore.open(ExportJob.stateUrl(cfg))) {
      Validator validator = new Validator(cfg, state);
      for (RunSummary.ExportResult r : s.perExport()) {
        ExportConfig e = cfg.export(r.exportName()).orElse(null);
        if (e == null || !"success".equals(r.status())) {
          continue;
        }
        ValidationReport rep = validator.validate(e, r.runId(), Validator.defaultDepth(e));
        out.print("verify: ");
        ValidateCommand.printPretty(rep, out);
        code = rep.passed() ? code : 3;
      }
    }
    return code;
  }

  /**
   * Reconciles the exports that succeeded, those of {@code --reconcile} or with {@code
   * reconcile_required: true} ({@code all}: every export); 3 when one differs, else 0.
   */
  static int reconcile(RivetConfig cfg, RunSummary s, boolean all, PrintStream out) {
    int code = 0;
    try (StateStore state = StateStore.open(ExportJob.stateUrl(cfg))) {
      Reconciler reconciler = new Reconciler(cfg, state, Version.VERSION);
      for (RunSummary.ExportResult r : s.perExport()) {
        ExportConfig e = cfg.export(r.exportName()).orElse(null);
        if (e == null) {
          if (all && "success".equals(r.status())) {
            out.println(
                "reconcile "
                    + r.exportName()
                    + ": a partition of a partitioned export; reconciling those is not supported yet");
          }
          continue;
        }
        if (!"success".equals(r.status()) || !(all || e.reconcileRequired())) {
          continue;
        }
        ReconcileReport rep = reconciler.reconcile(e, reconciler.run(e, r.runId()));
        ReconcileCommand.printPretty(rep, out);
        code = Math.max(code, ReconcileCommand.exitCode(rep));
      }
    }
    return code;
  }
}
