package io.rivet.beam;

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
import java.util.Map;
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
            0,
            (int)
                results.stream()
                    .filter(
                        r -> r.status().equals("skipped") || r.status().equals("nothing_to_resume"))
                    .count(),
            results.stream().mapToLong(RunSummary.ExportResult::rows).sum(),
            results.stream().mapToLong(RunSummary.ExportResult::files).sum(),
            results.stream().mapToLong(RunSummary.ExportResult::bytes).sum(),
            results);
    for (RunSummary.ExportResult r : results) {
      if (r.runId() != null) {
        writeReport(r.runId(), s);
      }
    }
    return s;
  }

  /**
   * One result per export: skipped ones with why, run ones with what they committed (recorded as
   * metrics).
   */
  private List<RunSummary.ExportResult> results(
      ExportJob.Prepared prepared, Instant started, Instant finished) {
    Map<String, ExportPlan> plans = prepared.plans();
    Map<String, Boolean> resumed = prepared.resumed();
    List<RunSummary.ExportResult> results = new ArrayList<>();
    prepared
        .skipped()
        .forEach(
            (name, why) -> {
              ExportConfig e = prepared.configs().get(name);
              results.add(
                  new RunSummary.ExportResult(
                      name,
                      "nothing_to_resume",
                      null,
                      0,
                      0,
                      0,
                      0,
                      e.mode().name().toLowerCase(Locale.ROOT),
                      null,
                      false,
                      why));
              LOG.info("export '{}': {}", name, why);
            });
    try (StateStore state = StateStore.open(stateUrl)) {
      for (ExportPlan plan : plans.values()) {
        List<PartRecord> parts =
            state.parts(plan.runId()).stream().filter(PartRecord::isFile).toList();
        ExportConfig e = prepared.configs().get(plan.exportName());
        String status = parts.isEmpty() && plan.skipEmpty() ? "skipped" : "success";
        state.recordMetrics(metrics(plan, started, status, null, parts, state));
        results.add(
            new RunSummary.ExportResult(
                plan.exportName(),
                status,
                plan.runId(),
                parts.stream().mapToLong(PartRecord::rows).sum(),
                parts.size(),
                parts.stream().mapToLong(PartRecord::bytes).sum(),
                Duration.between(started, finished).toMillis(),
                e.mode().name().toLowerCase(Locale.ROOT),
                plan.outputDir(),
                resumed.get(plan.exportName()),
                null));
      }
    }
    return results;
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
