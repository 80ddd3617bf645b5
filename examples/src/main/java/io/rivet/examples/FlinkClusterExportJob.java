package io.rivet.examples;

import io.rivet.beam.ExportResult;
import io.rivet.beam.RivetIO;
import java.util.Arrays;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * An export submitted to a Flink session cluster: the exports of a rivet.yaml whose source and
 * state store every TaskManager reaches ({@code url_env}, {@code state: {url_env: ...}}), planned
 * on the cluster as the job's first step; the job's exit code says whether every export succeeded.
 *
 * <pre>
 * java -cp ... io.rivet.examples.FlinkClusterExportJob rivet.yaml \
 *     --flinkMaster=jobmanager:8081 --parallelism=4
 * </pre>
 *
 * Set {@code RIVET_SOURCE_URL} / {@code RIVET_STATE_URL} (or whatever the config names) and the
 * destination's keys on the launcher and on every TaskManager: nothing secret travels in the job.
 */
public final class FlinkClusterExportJob {
  private FlinkClusterExportJob() {}

  public static void main(String[] args) {
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(Arrays.copyOfRange(args, 1, args.length))
            .withValidation()
            .as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    Pipeline p = Pipeline.create(options);
    p.apply("Rivet", RivetIO.export().withConfigFile(args[0]).withResumeOrStart())
        .apply("Report", ParDo.of(new Report()));
    PipelineResult result = p.run();
    PipelineResult.State state = result.waitUntilFinish();
    long failed = counter(result, "failed_exports");
    long succeeded = counter(result, "succeeded_exports");
    System.out.println(
        "job " + state + ": " + succeeded + " export(s) succeeded, " + failed + " failed");
    // Run it again after a failure: each unfinished export goes on where it stopped.
    System.exit(state == PipelineResult.State.DONE && failed == 0 ? 0 : 1);
  }

  /** Logs each export's result and counts them, so that the launcher can tell how it went. */
  static final class Report extends DoFn<ExportResult, Void> {
    private static final long serialVersionUID = 1L;
    private final Counter succeeded = Metrics.counter("rivet", "succeeded_exports");
    private final Counter failed = Metrics.counter("rivet", "failed_exports");
    private final Counter skipped = Metrics.counter("rivet", "skipped_exports");

    @ProcessElement
    public void process(@Element ExportResult r) {
      System.out.println(
          "export "
              + r.export()
              + " "
              + r.status()
              + ": "
              + r.rows()
              + " rows in "
              + r.files()
              + " files"
              + (r.message() == null ? "" : " — " + r.message()));
      switch (r.status()) {
        case SUCCEEDED -> succeeded.inc();
        case SKIPPED -> skipped.inc();
        case FAILED -> failed.inc();
      }
    }
  }

  private static long counter(PipelineResult result, String name) {
    MetricQueryResults m =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("rivet", name))
                    .build());
    long total = 0;
    for (MetricResult<Long> c : m.getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }
}
