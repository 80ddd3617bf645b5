package io.rivet.beam;

import io.rivet.core.ExportFailure;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.LeaseKeeper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Plans the exports as the pipeline's first step, so that building a pipeline touches nothing: the
 * same preparation as {@code rivet run}'s launcher ({@link RunPreparation} — each export's lease,
 * new run or resume, plan, drift, destination claim, run recorded), after which the leases pass to
 * the pipeline's workers ({@link WorkerLeases}). Emits one {@link PreparedRun} per export (each
 * partition's child export its own), with its outcome already for an export that has nothing to
 * run.
 */
final class PlanExportsFn extends DoFn<String, PreparedRun> {
  private static final long serialVersionUID = 1L;

  private final RivetConfig config;
  private final String configArg;
  private final List<ExportConfig> selected;
  private final boolean resume;
  private final boolean force;
  private final boolean orStart;

  PlanExportsFn(
      RivetConfig config,
      String configArg,
      List<ExportConfig> selected,
      boolean resume,
      boolean orStart,
      boolean force) {
    this.config = config;
    this.configArg = configArg;
    this.selected = List.copyOf(selected);
    this.resume = resume;
    this.orStart = orStart;
    this.force = force;
  }

  @ProcessElement
  public void process(OutputReceiver<PreparedRun> out) {
    Duration ttl = LeaseKeeper.configuredTtl(System.getenv());
    LeaseKeeper leases = new LeaseKeeper(ExportJob.stateUrl(config), ttl);
    ExportJob.Prepared prepared;
    try {
      prepared =
          new RunPreparation(config, configArg, orStart)
              .prepare(selected, resume, force, Instant.now(), leases);
    } catch (RuntimeException e) {
      leases.close();
      throw e;
    }
    Map<String, String> tokens = leases.handOver();
    for (ExportPlan plan : prepared.plans().values()) {
      String name = plan.exportName();
      RunRef run =
          new RunRef(
              name,
              prepared.parents().get(name),
              plan.runId(),
              tokens.get(name),
              prepared.parallel().get(name),
              ttl.toMillis(),
              plan.connection());
      out.output(new PreparedRun(run, prepared.pending().get(name), null));
    }
    prepared
        .skipped()
        .forEach(
            (name, why) ->
                out.output(
                    PreparedRun.decided(
                        prepared.parents().getOrDefault(name, name),
                        ExportResult.skipped(name, why))));
    for (ExportFailure f : prepared.failed().values()) {
      out.output(
          PreparedRun.decided(
              prepared.parents().getOrDefault(f.exportName(), f.exportName()),
              ExportResult.failed(f.exportName(), null, f)));
    }
  }
}
