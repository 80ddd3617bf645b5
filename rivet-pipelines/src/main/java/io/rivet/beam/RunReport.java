package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.ExportFailure;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.manifest.RunSummary;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.Planner;
import io.rivet.core.state.MetricsRecord;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.options.PipelineOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run leaves behind besides its files: one metrics row per export (success, skipped or
 * failed), the run summary (returned, and written to {@code .rivet/runs/<run_id>/summary.json}).
 */
final class RunReport {
  private static final Logger LOG = LoggerFactory.getLogger(RunReport.class);

  private final RivetConfig config;
  private final String configArg;
  private final String stateUrl;

  RunReport(RivetConfig config, String configArg) {
    this.config = config;
    this.configArg = configArg;
    this.stateUrl = ExportJob.stateUrl(config);
  }

  void recordFailure(ExportJob.Prepared prepared, Instant started, RivetException error) {
    try (StateStore state = StateStore.open(stateUrl)) {
      for (ExportPlan plan : prepared.plans().values()) {
        boolean done =
            state.run(plan.runId()).map(r -> RunRecord.COMPLETED.equals(r.status())).orElse(false);
        if (!done) {
          List<PartRecord> parts =
              state.parts(plan.runId()).stream().filter(PartRecord::isFile).toList();
          state.recordMetrics(metrics(plan, started, "failed", error.getMessage(), parts, state));
        }
      }
    } catch (RuntimeException bookkeeping) {
      LOG.warn("could not record the failed run's metrics: {}", bookkeeping.getMessage());
    }
  }

  private MetricsRecord metrics(
      ExportPlan plan,
      Instant started,
      String status,
      String error,
      List<PartRecord> parts,
      StateStore state) {
    long retries = state.journal(plan.runId()).stream().filter("RetryAttempted"::equals).count();
    boolean schemaChanged = state.journal(plan.runId()).contains("SchemaChanged");
    return new MetricsRecord(
        plan.exportName(),
        plan.runId(),
        started.toString(),
        Duration.between(started, Instant.now()).toMillis(),
        parts.stream().mapToLong(PartRecord::rows).sum(),
        PeakRss.megabytes(),
        status,
        error,
        plan.tuning().profile().name().toLowerCase(Locale.ROOT),
        plan.format().extension(),
        plan.mode(),
        parts.size(),
        parts.stream().mapToLong(PartRecord::bytes).sum(),
        retries,
        false,
        schemaChanged);
  }

  RunSummary summarize(ExportJob.Prepared prepared, Instant started, PipelineOptions options) {
    Instant finished = Instant.now();
    List<RunSummary.ExportResult> results = results(prepared, started, finished);
    List<ExportFailure> failures = new ArrayList<>();
    for (RunSummary.ExportResult r : results) {
      if (r.errorCode() != null) {
        failures.add(
            new ExportFailure(r.exportName(), ErrorCode.valueOf(r.errorCode()), r.errorMessage()));
      }
    }
    RunSummary s =
        new RunSummary(
            "agg_" + Planner.runId("run", started).substring(4),
            started.toString(),
            finished.toString(),
            Duration.between(started, finished).toMillis(),
            configArg,
            options.getRunner().getSimpleName(),
            results.size(),
            (int) results.stream().filter(r -> r.status().equals("success")).count(),
            failures.size(),
            (int)
                results.stream()
                    .filter(
                        r -> r.status().equals("skipped") || r.status().equals("nothing_to_resume"))
                    .count(),
            results.stream().mapToLong(RunSummary.ExportResult::rows).sum(),
            results.stream().mapToLong(RunSummary.ExportResult::files).sum(),
            results.stream().mapToLong(RunSummary.ExportResult::bytes).sum(),
            ExportFailure.mostSevere(failures).map(ExportFailure::exitCode).orElse(0),
            results);
    for (RunSummary.ExportResult r : results) {
      if (r.runId() != null) {
        writeReport(r.runId(), s);
      }
    }
    return s;
  }

  /**
   * One result per export: skipped ones with why, failed ones with their failure, run ones with
   * what they committed (recorded as metrics).
   */
  private List<RunSummary.ExportResult> results(
      ExportJob.Prepared prepared, Instant started, Instant finished) {
    List<RunSummary.ExportResult> results = new ArrayList<>();
    prepared
        .skipped()
        .forEach(
            (name, why) -> {
              results.add(
                  result(prepared, name, "nothing_to_resume", null, List.of(), started, finished)
                      .withMessage(why, null));
              LOG.info("export '{}': {}", name, why);
            });
    prepared
        .failed()
        .forEach(
            (name, f) ->
                results.add(
                    result(prepared, name, "failed", null, List.of(), started, finished)
                        .withMessage(f.message(), f.code().name())));
    try (StateStore state = StateStore.open(stateUrl)) {
      for (ExportPlan plan : prepared.plans().values()) {
        List<PartRecord> parts =
            state.parts(plan.runId()).stream().filter(PartRecord::isFile).toList();
        boolean completed =
            state.run(plan.runId()).map(r -> RunRecord.COMPLETED.equals(r.status())).orElse(false);
        Outcome o = result(prepared, plan.exportName(), "success", plan, parts, started, finished);
        if (!completed) {
          ExportFailure f = recordedFailure(state, plan, started);
          state.recordMetrics(metrics(plan, started, "failed", f.message(), parts, state));
          results.add(o.withStatus("failed").withMessage(f.message(), f.code().name()));
          continue;
        }
        String status = parts.isEmpty() && plan.skipEmpty() ? "skipped" : "success";
        state.recordMetrics(metrics(plan, started, status, null, parts, state));
        results.add(o.withStatus(status).withMessage(null, null));
      }
    }
    return results;
  }

  /**
   * The most serious failure the export's branch recorded during this run; a run that ended without
   * one (it cannot, short of a bug) is named as such.
   */
  private static ExportFailure recordedFailure(StateStore state, ExportPlan plan, Instant since) {
    List<ExportFailure> recorded = new ArrayList<>();
    for (String[] e : state.journalEntries(plan.runId())) {
      if (ExportFailure.EVENT.equals(e[1]) && !Instant.parse(e[0]).isBefore(since)) {
        ExportFailure.fromJson(plan.exportName(), e[2]).ifPresent(recorded::add);
      }
    }
    return ExportFailure.mostSevere(recorded)
        .orElseGet(
            () ->
                new ExportFailure(
                    plan.exportName(),
                    ErrorCode.INTERNAL,
                    "export '"
                        + plan.exportName()
                        + "' ended unfinished without a recorded failure (a bug in rivet);"
                        + " 'rivet run --resume' continues its run "
                        + plan.runId()));
  }

  /** An export's result being put together. */
  private record Outcome(
      String name,
      String status,
      String runId,
      long rows,
      long files,
      long bytes,
      long durationMs,
      String mode,
      String outputDir,
      boolean resumed) {
    Outcome withStatus(String s) {
      return new Outcome(name, s, runId, rows, files, bytes, durationMs, mode, outputDir, resumed);
    }

    RunSummary.ExportResult withMessage(String message, String code) {
      return new RunSummary.ExportResult(
          name,
          status,
          runId,
          rows,
          files,
          bytes,
          durationMs,
          mode,
          outputDir,
          resumed,
          message,
          code);
    }
  }

  private static Outcome result(
      ExportJob.Prepared prepared,
      String name,
      String status,
      ExportPlan plan,
      List<PartRecord> parts,
      Instant started,
      Instant finished) {
    ExportConfig e = prepared.configs().get(name);
    return new Outcome(
        name,
        status,
        plan == null ? null : plan.runId(),
        parts.stream().mapToLong(PartRecord::rows).sum(),
        parts.size(),
        parts.stream().mapToLong(PartRecord::bytes).sum(),
        plan == null ? 0 : Duration.between(started, finished).toMillis(),
        e.mode().name().toLowerCase(Locale.ROOT),
        plan == null ? null : plan.outputDir(),
        plan != null && Boolean.TRUE.equals(prepared.resumed().get(name)));
  }

  private void writeReport(String runId, RunSummary s) {
    Path dir = config.configDir().resolve(".rivet").resolve("runs").resolve(runId);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("summary.json"), s.toJson());
    } catch (IOException e) {
      // the report is bookkeeping (I7): the export itself is committed
      System.err.println("WARN could not write run report to " + dir + ": " + e.getMessage());
    }
  }
}
