package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.SchemaDriftPolicy;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.dialect.ConnectionSpec;
import io.rivet.core.manifest.RunSummary;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.PartitionBucket;
import io.rivet.core.plan.PlanHash;
import io.rivet.core.plan.Planner;
import io.rivet.core.schema.SchemaDrift;
import io.rivet.core.state.ChunkTask;
import io.rivet.core.state.LeaseKeeper;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * One {@code rivet run}: plans (or reloads, on resume) each selected export, records it in the state store,
 * runs every export in one Beam pipeline, and writes the run summary.
 */
public final class ExportJob {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExportJob.class);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON_MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

  private final RivetConfig config;
  private final String configArg;
  /** The exports of this run by name, partition children included. */
  private final Map<String, ExportConfig> configs = new LinkedHashMap<>();

  public ExportJob(RivetConfig config, String configArg) {
    this.config = config;
    this.configArg = configArg;
  }

  public static String stateUrl(RivetConfig config) {
    return "jdbc:sqlite:" + config.configDir().resolve(".rivet_state.db");
  }

  /** Runs the selected exports (all when {@code only} is empty) and returns the summary; throws on failure. */
  public RunSummary run(List<String> only, boolean resume, PipelineOptions options) {
    return run(only, resume, false, options);
  }

  /**
   * As {@link #run(List, boolean, PipelineOptions)}; {@code force} takes over a destination that holds files this
   * state store cannot account for, after moving them to {@code _retired/} (see {@link DestinationGuard}).
   */
  public RunSummary run(List<String> only, boolean resume, boolean force, PipelineOptions options) {
    Instant started = Instant.now();
    CloudOptions.apply(options, select(only), System.getenv());
    FileSystems.setDefaultPipelineOptions(options);
    try (Prepared prepared = prepare(only, resume, force, started)) {
      if (!prepared.plans().isEmpty()) {
        try {
          execute(prepared, options);
        } catch (RivetException e) {
          recordFailure(prepared, started, e);
          throw e;
        }
      }
      return summarize(prepared, started, options);
    }
  }

  /**
   * Plans (or reloads, on resume) the selected exports and records them in the state store, ready for
   * {@link #transform}. A Beam job that embeds Rivet calls this, applies the transform, runs its pipeline, then
   * closes it: it holds the exports' leases (renewed in the background) until closed.
   *
   * @param skipped exports this run leaves alone, with the reason (a {@code --resume} with nothing to resume)
   */
  public record Prepared(Map<String, ExportPlan> plans, List<ChunkRef> pending, Map<String, Integer> parallel,
      Map<String, Boolean> resumed, Map<String, String> skipped, LeaseKeeper leases) implements AutoCloseable {
    /** The transform that extracts the pending chunks and finalizes every export. */
    public RivetIO.Export transform() {
      return RivetIO.export(plans).withPendingChunks(pending).withParallelism(parallel).withLeases(leases.tokens());
    }

    /** Releases the exports' leases. */
    @Override
    public void close() {
      leases.close();
    }
  }

  public Prepared prepare(List<String> only, boolean resume, Instant started) {
    return prepare(only, resume, false, started);
  }

  public Prepared prepare(List<String> only, boolean resume, boolean force, Instant started) {
    LeaseKeeper leases = new LeaseKeeper(stateUrl(config), LeaseKeeper.configuredTtl(System.getenv()));
    try {
      return prepare(only, resume, force, started, leases);
    } catch (RuntimeException e) {
      leases.close();
      throw e;
    }
  }

  private Prepared prepare(List<String> only, boolean resume, boolean force, Instant started, LeaseKeeper leases) {
    List<ExportConfig> selected = select(only);
    for (ExportConfig e : selected) {
      List<String> unsupported = e.unsupported(config);
      if (!unsupported.isEmpty()) {
        throw new RivetException(ErrorCode.NOT_SUPPORTED_YET, "export '" + e.name() + "' uses settings that are "
            + "not supported yet: " + String.join(", ", unsupported) + "; remove them or run another export with -e");
      }
    }
    String stateUrl = stateUrl(config);
    Map<String, ExportPlan> plans = new LinkedHashMap<>();
    Map<String, Boolean> resumed = new LinkedHashMap<>();
    List<ChunkRef> pending = new ArrayList<>();
    Map<String, Integer> parallel = new LinkedHashMap<>();
    Map<String, SchemaDrift> drifts = new LinkedHashMap<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    configs.clear();
    try (StateStore state = StateStore.open(stateUrl)) {
      String storeId = state.storeId();
      // Phase 1 decides and plans everything without writing, so a problem with one export leaves no half-started run.
      Planner planner = new Planner(config, stateUrl);
      Map<String, PartitionBucket> buckets = new LinkedHashMap<>();
      List<ExportConfig> expanded = new ArrayList<>();
      for (ExportConfig e : selected) {
        if (e.partition() == null) {
          expanded.add(e);
          continue;
        }
        // Each partition is a child export of its own: own run, state, manifest and _SUCCESS.
        for (PartitionBucket b : planner.partitions(e)) {
          ExportConfig child = e.child(b.childName(), b.pathValue());
          expanded.add(child);
          buckets.put(child.name(), b);
        }
      }
      for (ExportConfig e : expanded) {
        configs.put(e.name(), e);
        // The lease comes first: what follows reads the export's runs and decides, and only one process may.
        state.fence(e.name(), leases.acquire(e.name(), configArg).token());
        Optional<RunRecord> unfinished = state.unfinishedRun(e.name());
        if (unfinished.isEmpty() && resume) {
          checkNothingLeft(planner, state, storeId, e, started);
          skipped.put(e.name(), nothingToResume(state, e));
          continue;
        }
        if (unfinished.isPresent() && !resume) {
          throw new RivetException(ErrorCode.RUN_IN_PROGRESS, "export '" + e.name() + "' has an unfinished run "
              + unfinished.get().runId() + " (started " + unfinished.get().createdAt() + "); continue it with: rivet run -c "
              + configArg + " -e " + e.name() + " --resume");
        }
        ExportPlan plan = unfinished.isPresent() ? reload(state, e, unfinished.get(), planner)
            : planner.plan(e, started, state.cursor(e.name()), buckets.get(e.name()));
        if (unfinished.isEmpty()) {
          drifts.put(e.name(), drift(state, e, plan));
        }
        plans.put(e.name(), plan);
        resumed.put(e.name(), unfinished.isPresent());
        parallel.put(e.name(), e.parallel());
      }
      checkDistinctDirectories(plans);
      // Phase 2 claims the destinations and records the runs.
      for (ExportPlan plan : plans.values()) {
        claimDestination(plan, state, storeId, force);
        leases.runIs(plan.exportName(), plan.runId());
        if (resumed.get(plan.exportName())) {
          try {
            ResumeCheck.verify(plan, state);
          } catch (java.io.IOException e) {
            throw new RivetException(ErrorCode.DESTINATION_FAILED, "export '" + plan.exportName() + "': cannot check the"
                + " committed parts at " + plan.outputDir() + " before resuming: " + e.getMessage()
                + "; fix access to the destination and resume again", e);
          }
          state.resetRunning(plan.runId());
          state.journal(plan.runId(), plan.exportName(), "RunResumed", "{}");
        } else {
          state.createRun(plan);
          state.journal(plan.runId(), plan.exportName(), "PlanResolved", "{\"chunks\":" + plan.chunks().size() + "}");
          SchemaDrift d = drifts.get(plan.exportName());
          if (d == null || d.any()) {
            state.storeSchemaBaseline(plan.exportName(), SchemaDrift.baseline(plan.columns()));
          }
          if (d != null && d.any()) {
            state.journal(plan.runId(), plan.exportName(), "SchemaChanged", driftJson(d));
          }
        }
        Map<Integer, ChunkSpec> chunks = new HashMap<>();
        plan.chunks().forEach(ch -> chunks.put(ch.index(), ch));
        for (ChunkTask t : state.chunks(plan.runId())) {
          if (!ChunkTask.COMPLETED.equals(t.status())) {
            pending.add(new ChunkRef(plan.exportName(), chunks.get(t.chunkIndex())));
          }
        }
      }
    }
    return new Prepared(plans, pending, parallel, resumed, skipped, leases);
  }

  /**
   * Before anything is written: the destination must be this export's and this state store's (or be taken over
   * with {@code force}); then the marker names this run, and parts of runs that never finished are retired.
   */
  private void claimDestination(ExportPlan plan, StateStore state, String storeId, boolean force) {
    if (BeamPartStore.stdout(plan.outputDir())) {
      return;
    }
    try {
      DestinationGuard.check(plan, state, storeId, stateUrl(config), force, configArg);
      DestinationGuard.claim(plan, storeId, stateUrl(config), holder());
      Retirement.retireSuperseded(plan, state, false);
    } catch (IOException e) {
      throw new RivetException(ErrorCode.DESTINATION_FAILED, "export '" + plan.exportName() + "': cannot check the"
          + " destination " + plan.outputDir() + " before writing: " + e.getMessage() + "; nothing was written; fix"
          + " access to the destination and run again", e);
    }
  }

  private static String holder() {
    return ProcessHandle.current().pid() + "@" + hostName();
  }

  private static String hostName() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException | RuntimeException e) {
      return "localhost";
    }
  }

  /**
   * A {@code --resume} with nothing unfinished writes nothing — unless the destination shows the state was lost
   * (files of a run this store does not know), which is refused as a plain run would be.
   */
  private void checkNothingLeft(Planner planner, StateStore state, String storeId, ExportConfig e, Instant started) {
    String dir = planner.outputDirOf(e, started);
    if (dir == null) {
      return;
    }
    ExportPlan probe = new ExportPlan(e.name(), "probe", "", null, "", List.of(), null, List.of(), List.of(),
        e.format(), e.compression(), null, dir, e.name() + "_probe", 0, 0, e.tuning(), false, false, false,
        stateUrl(config), e.mode().name().toLowerCase(), null, 0, null, 0, 0);
    try {
      DestinationGuard.check(probe, state, storeId, stateUrl(config), false, configArg);
    } catch (IOException io) {
      throw new RivetException(ErrorCode.DESTINATION_FAILED, "export '" + e.name() + "': cannot check the destination "
          + dir + ": " + io.getMessage() + "; nothing was written", io);
    }
  }

  private String nothingToResume(StateStore state, ExportConfig e) {
    List<RunRecord> last = state.runs(e.name(), 1);
    String why = last.isEmpty() ? "this state store has no run of it"
        : "its last run " + last.get(0).runId() + " is " + last.get(0).status() + " (" + last.get(0).updatedAt() + ")";
    return "nothing to resume: " + why + "; nothing was written. Run without --resume to start a new run";
  }

  /**
   * Compares the planned columns with the stored baseline (reference §7.3): {@code fail} stops here, before any
   * chunk and without storing, with exit 4; {@code warn} logs; {@code continue} is silent. Null on the first run.
   */
  private SchemaDrift drift(StateStore state, ExportConfig e, ExportPlan plan) {
    String baseline = state.schemaBaseline(e.name());
    if (baseline == null) {
      return null;
    }
    SchemaDrift d = SchemaDrift.compare(baseline, plan.columns());
    if (d.any() && e.onSchemaDrift() == SchemaDriftPolicy.FAIL) {
      throw new RivetException(ErrorCode.SCHEMA_DRIFT, "export '" + e.name() + "': the schema changed since the last run: "
          + d.describe() + "; on_schema_drift: fail stops before any chunk (nothing written, baseline kept)."
          + " Adapt the consumers, then set on_schema_drift: warn for one run to accept the new schema");
    }
    if (d.any() && e.onSchemaDrift() == SchemaDriftPolicy.WARN) {
      LOG.warn("export '{}': the schema changed since the last run: {}", e.name(), d.describe());
    }
    return d;
  }

  private static String driftJson(SchemaDrift d) {
    try {
      return JSON_MAPPER.writeValueAsString(d);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void recordFailure(Prepared prepared, Instant started, RivetException error) {
    try (StateStore state = StateStore.open(stateUrl(config))) {
      for (ExportPlan plan : prepared.plans().values()) {
        boolean done = state.run(plan.runId()).map(r -> RunRecord.COMPLETED.equals(r.status())).orElse(false);
        if (!done) {
          List<PartRecord> parts = state.parts(plan.runId()).stream().filter(PartRecord::isFile).toList();
          state.recordMetrics(metrics(plan, started, "failed", error.getMessage(), parts, state));
        }
      }
    } catch (RuntimeException bookkeeping) {
      LOG.warn("could not record the failed run's metrics: {}", bookkeeping.getMessage());
    }
  }

  private MetricsRecord metrics(ExportPlan plan, Instant started, String status, String error, List<PartRecord> parts,
      StateStore state) {
    long retries = state.journal(plan.runId()).stream().filter("RetryAttempted"::equals).count();
    boolean schemaChanged = state.journal(plan.runId()).contains("SchemaChanged");
    return new MetricsRecord(plan.exportName(), plan.runId(), started.toString(),
        Duration.between(started, Instant.now()).toMillis(), parts.stream().mapToLong(PartRecord::rows).sum(),
        PeakRss.megabytes(), status, error, plan.tuning().profile().name().toLowerCase(), plan.format().extension(),
        plan.mode(), parts.size(), parts.stream().mapToLong(PartRecord::bytes).sum(), retries, false, schemaChanged);
  }

  private static void checkDistinctDirectories(Map<String, ExportPlan> plans) {
    Map<String, String> dirs = new LinkedHashMap<>();
    for (ExportPlan p : plans.values()) {
      String other = dirs.putIfAbsent(p.outputDir(), p.exportName());
      if (other != null) {
        throw new RivetException(ErrorCode.CONFIG_INVALID, "exports '" + other + "' and '" + p.exportName()
            + "' both write to " + p.outputDir() + ", so their manifests would overwrite each other; give each its own"
            + " destination.path, e.g. ./out/{export}");
      }
    }
  }

  private List<ExportConfig> select(List<String> only) {
    if (only.isEmpty()) {
      return config.exports();
    }
    List<ExportConfig> out = new ArrayList<>();
    for (String name : only) {
      out.add(config.export(name).orElseThrow(() -> new RivetException(ErrorCode.CONFIG_INVALID, "-e " + name
          + ": no export of that name; the config has " + config.exports().stream().map(ExportConfig::name).toList())));
    }
    return out;
  }

  private ExportPlan reload(StateStore state, ExportConfig e, RunRecord run, Planner planner) {
    if (!run.planHash().equals(PlanHash.of(e))) {
      throw new RivetException(ErrorCode.PLAN_CHANGED, "export '" + e.name() + "': the config changed since run "
          + run.runId() + " started (query, chunking, format or destination), so its chunks no longer mean the same rows;"
          + " restore the config to resume, or abandon the run with 'rivet state reset-chunks -c " + configArg + " -e " + e.name() + "'");
    }
    for (ChunkTask t : state.chunks(run.runId())) {
      if (ChunkTask.FAILED.equals(t.status()) && t.attempts() >= e.chunkMaxAttempts()) {
        throw new RivetException(ErrorCode.SOURCE_QUERY_FAILED, "export '" + e.name() + "', chunk " + t.chunkIndex()
            + " failed " + t.attempts() + " times (chunk_max_attempts: " + e.chunkMaxAttempts() + "); last error: "
            + t.lastError() + "; fix the cause, then raise chunk_max_attempts to resume");
      }
    }
    ExportPlan p = state.loadPlan(run.runId());
    return p.withConnection(planner.connectionSpec());
  }

  /** Sets the pipeline options that the exports' destinations need (S3 region, endpoint, credentials). */
  public static void applyDestinationOptions(PipelineOptions options, java.util.Collection<ExportConfig> exports,
      Map<String, String> env) {
    CloudOptions.apply(options, exports, env);
  }

  private void execute(Prepared prepared, PipelineOptions options) {
    CloudOptions.apply(options, configs.values(), System.getenv());
    int maxParallel = prepared.parallel().values().stream().mapToInt(Integer::intValue).max().orElse(1);
    options.as(DirectOptions.class).setTargetParallelism(Math.max(1, maxParallel));
    Pipeline p = Pipeline.create(options);
    p.apply("Rivet Export", prepared.transform());
    try {
      PipelineResult.State s = p.run().waitUntilFinish();
      if (s != PipelineResult.State.DONE) {
        throw new RivetException(ErrorCode.INTERNAL, "the pipeline ended in state " + s + "; 'rivet run --resume' continues the run");
      }
    } catch (RuntimeException e) {
      throw unwrap(e);
    }
  }

  /** Runners wrap the DoFn's exception; the user needs the RivetException that says which export and chunk. */
  static RuntimeException unwrap(RuntimeException e) {
    Throwable t = e;
    while (t != null) {
      if (t instanceof RivetException re) {
        return re;
      }
      t = t.getCause();
    }
    return new RivetException(ErrorCode.INTERNAL, "the pipeline failed: " + e + "; 'rivet run --resume' continues the run", e);
  }

  private RunSummary summarize(Prepared prepared, Instant started, PipelineOptions options) {
    Map<String, ExportPlan> plans = prepared.plans();
    Map<String, Boolean> resumed = prepared.resumed();
    Instant finished = Instant.now();
    List<RunSummary.ExportResult> results = new ArrayList<>();
    prepared.skipped().forEach((name, why) -> {
      ExportConfig e = configs.get(name);
      results.add(new RunSummary.ExportResult(name, "nothing_to_resume", null, 0, 0, 0, 0,
          e.mode().name().toLowerCase(), null, false, why));
      LOG.info("export '{}': {}", name, why);
    });
    try (StateStore state = StateStore.open(stateUrl(config))) {
      for (ExportPlan plan : plans.values()) {
        List<PartRecord> parts = state.parts(plan.runId()).stream().filter(PartRecord::isFile).toList();
        ExportConfig e = configs.get(plan.exportName());
        String status = parts.isEmpty() && plan.skipEmpty() ? "skipped" : "success";
        state.recordMetrics(metrics(plan, started, status, null, parts, state));
        results.add(new RunSummary.ExportResult(plan.exportName(), status, plan.runId(),
            parts.stream().mapToLong(PartRecord::rows).sum(), parts.size(), parts.stream().mapToLong(PartRecord::bytes).sum(),
            Duration.between(started, finished).toMillis(), e.mode().name().toLowerCase(), plan.outputDir(),
            resumed.get(plan.exportName()), null));
      }
    }
    RunSummary s = new RunSummary("agg_" + Planner.runId("run", started).substring(4), started.toString(), finished.toString(),
        Duration.between(started, finished).toMillis(), configArg, options.getRunner().getSimpleName(), results.size(),
        (int) results.stream().filter(r -> r.status().equals("success")).count(), 0,
        (int) results.stream().filter(r -> r.status().equals("skipped") || r.status().equals("nothing_to_resume")).count(),
        results.stream().mapToLong(RunSummary.ExportResult::rows).sum(),
        results.stream().mapToLong(RunSummary.ExportResult::files).sum(),
        results.stream().mapToLong(RunSummary.ExportResult::bytes).sum(), results);
    for (RunSummary.ExportResult r : results) {
      if (r.runId() == null) {
        continue;
      }
      writeReport(r.runId(), s);
    }
    return s;
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
