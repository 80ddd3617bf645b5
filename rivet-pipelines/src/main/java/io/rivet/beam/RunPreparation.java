package io.rivet.beam;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.config.SchemaDriftPolicy;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.PartitionBucket;
import io.rivet.core.plan.PlanHash;
import io.rivet.core.plan.Planner;
import io.rivet.core.schema.SchemaDrift;
import io.rivet.core.state.ChunkTask;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares a run before its pipeline exists. Phase 1 takes each export's lease, decides (new run,
 * resume, nothing to resume), plans or reloads the plan and checks schema drift, without writing;
 * phase 2 claims the destinations and records the runs. A problem with one export in phase 1 leaves
 * no half-started run of any.
 */
final class RunPreparation {
  private static final Logger LOG = LoggerFactory.getLogger(RunPreparation.class);

  private final RivetConfig config;
  private final String configArg;
  private final String stateUrl;

  RunPreparation(RivetConfig config, String configArg) {
    this.config = config;
    this.configArg = configArg;
    this.stateUrl = ExportJob.stateUrl(config);
  }

  /** What phase 1 decided, per export. */
  private record Decided(
      Map<String, ExportPlan> plans,
      Map<String, Boolean> resumed,
      Map<String, Integer> parallel,
      Map<String, SchemaDrift> drifts,
      Map<String, String> skipped,
      Map<String, ExportConfig> configs) {
    Decided() {
      this(
          new LinkedHashMap<>(),
          new LinkedHashMap<>(),
          new LinkedHashMap<>(),
          new LinkedHashMap<>(),
          new LinkedHashMap<>(),
          new LinkedHashMap<>());
    }
  }

  ExportJob.Prepared prepare(
      List<ExportConfig> selected,
      boolean resume,
      boolean force,
      Instant started,
      LeaseKeeper leases) {
    for (ExportConfig e : selected) {
      List<String> unsupported = e.unsupported(config);
      if (!unsupported.isEmpty()) {
        throw new RivetException(
            ErrorCode.NOT_SUPPORTED_YET,
            "export '"
                + e.name()
                + "' uses settings that are "
                + "not supported yet: "
                + String.join(", ", unsupported)
                + "; remove them or run another export with -e");
      }
    }
    try (StateStore state = StateStore.open(stateUrl)) {
      String storeId = state.storeId();
      Planner planner = new Planner(config, stateUrl);
      Decided d = decide(state, storeId, planner, selected, resume, started, leases);
      checkDistinctDirectories(d.plans());
      List<ChunkRef> pending = new ArrayList<>();
      for (ExportPlan plan : d.plans().values()) {
        record(state, storeId, plan, d, force, leases);
        pending.addAll(pendingChunks(state, plan));
      }
      return new ExportJob.Prepared(
          d.plans(), pending, d.parallel(), d.resumed(), d.skipped(), leases, d.configs());
    }
  }

  /**
   * Phase 1: every export (partitions as exports of their own) decided and planned, nothing
   * written.
   */
  private Decided decide(
      StateStore state,
      String storeId,
      Planner planner,
      List<ExportConfig> selected,
      boolean resume,
      Instant started,
      LeaseKeeper leases) {
    Decided d = new Decided();
    Map<String, PartitionBucket> buckets = new LinkedHashMap<>();
    for (ExportConfig e : expand(planner, selected, buckets)) {
      d.configs().put(e.name(), e);
      // The lease comes first: what follows reads the export's runs and decides, and only one
      // process may.
      state.fence(e.name(), leases.acquire(e.name(), configArg).token());
      Optional<RunRecord> unfinished = state.unfinishedRun(e.name());
      if (unfinished.isEmpty() && resume) {
        checkNothingLeft(planner, state, storeId, e, started);
        d.skipped().put(e.name(), nothingToResume(state, e));
        continue;
      }
      if (unfinished.isPresent() && !resume) {
        throw new RivetException(
            ErrorCode.RUN_IN_PROGRESS,
            "export '"
                + e.name()
                + "' has an unfinished run "
                + unfinished.get().runId()
                + " (started "
                + unfinished.get().createdAt()
                + "); continue it with: rivet run -c "
                + configArg
                + " -e "
                + e.name()
                + " --resume");
      }
      ExportPlan plan =
          unfinished.isPresent()
              ? reload(state, e, unfinished.get(), planner)
              : planner.plan(e, started, state.cursor(e.name()), buckets.get(e.name()));
      if (unfinished.isEmpty()) {
        d.drifts().put(e.name(), drift(state, e, plan));
      }
      d.plans().put(e.name(), plan);
      d.resumed().put(e.name(), unfinished.isPresent());
      d.parallel().put(e.name(), e.parallel());
    }
    return d;
  }

  /**
   * The exports to run: each partitioned export as its children, each with its own run, manifest
   * and _SUCCESS.
   */
  private static List<ExportConfig> expand(
      Planner planner, List<ExportConfig> selected, Map<String, PartitionBucket> buckets) {
    List<ExportConfig> expanded = new ArrayList<>();
    for (ExportConfig e : selected) {
      if (e.partition() == null) {
        expanded.add(e);
        continue;
      }
      for (PartitionBucket b : planner.partitions(e)) {
        ExportConfig child = e.child(b.childName(), b.pathValue());
        expanded.add(child);
        buckets.put(child.name(), b);
      }
    }
    return expanded;
  }

  /**
   * Phase 2 for one export: its destination claimed, then its run recorded (new) or checked and
   * reopened (resume).
   */
  private void record(
      StateStore state,
      String storeId,
      ExportPlan plan,
      Decided d,
      boolean force,
      LeaseKeeper leases) {
    claimDestination(plan, state, storeId, force);
    leases.runIs(plan.exportName(), plan.runId());
    if (d.resumed().get(plan.exportName())) {
      try {
        ResumeCheck.verify(plan, state);
      } catch (IOException e) {
        throw new RivetException(
            ErrorCode.DESTINATION_FAILED,
            "export '"
                + plan.exportName()
                + "': cannot check the"
                + " committed parts at "
                + plan.outputDir()
                + " before resuming: "
                + e.getMessage()
                + "; fix access to the destination and resume again",
            e);
      }
      state.resetRunning(plan.runId());
      state.journal(plan.runId(), plan.exportName(), "RunResumed", "{}");
      return;
    }
    state.createRun(plan);
    state.journal(
        plan.runId(),
        plan.exportName(),
        "PlanResolved",
        "{\"chunks\":" + plan.chunks().size() + "}");
    SchemaDrift drift = d.drifts().get(plan.exportName());
    if (drift == null || drift.any()) {
      state.storeSchemaBaseline(plan.exportName(), SchemaDrift.baseline(plan.columns()));
    }
    if (drift != null && drift.any()) {
      state.journal(plan.runId(), plan.exportName(), "SchemaChanged", driftJson(drift));
    }
  }

  /** The run's chunks not yet completed, each with its bounds. */
  private static List<ChunkRef> pendingChunks(StateStore state, ExportPlan plan) {
    Map<Integer, ChunkSpec> chunks = new HashMap<>();
    plan.chunks().forEach(ch -> chunks.put(ch.index(), ch));
    List<ChunkRef> out = new ArrayList<>();
    for (ChunkTask t : state.chunks(plan.runId())) {
      if (!ChunkTask.COMPLETED.equals(t.status())) {
        out.add(new ChunkRef(plan.exportName(), chunks.get(t.chunkIndex())));
      }
    }
    return out;
  }

  /**
   * Before anything is written: the destination must be this export's and this state store's (or be
   * taken over with {@code force}); then the marker names this run, and parts of runs that never
   * finished are retired.
   */
  private void claimDestination(ExportPlan plan, StateStore state, String storeId, boolean force) {
    if (BeamPartStore.stdout(plan.outputDir())) {
      return;
    }
    try {
      DestinationGuard.check(plan, state, storeId, stateUrl, force, configArg);
      DestinationGuard.claim(plan, storeId, stateUrl, holder());
      Retirement.retireSuperseded(plan, state, false);
    } catch (IOException e) {
      throw new RivetException(
          ErrorCode.DESTINATION_FAILED,
          "export '"
              + plan.exportName()
              + "': cannot check the"
              + " destination "
              + plan.outputDir()
              + " before writing: "
              + e.getMessage()
              + "; nothing was written; fix"
              + " access to the destination and run again",
          e);
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
   * A {@code --resume} with nothing unfinished writes nothing — unless the destination shows the
   * state was lost (files of a run this store does not know), which is refused as a plain run would
   * be.
   */
  private void checkNothingLeft(
      Planner planner, StateStore state, String storeId, ExportConfig e, Instant started) {
    String dir = planner.outputDirOf(e, started);
    if (dir == null) {
      return;
    }
    ExportPlan probe =
        new ExportPlan(
            e.name(),
            "probe",
            "",
            null,
            "",
            List.of(),
            null,
            List.of(),
            List.of(),
            e.format(),
            e.compression(),
            null,
            dir,
            e.name() + "_probe",
            0,
            0,
            e.tuning(),
            false,
            false,
            false,
            stateUrl,
            e.mode().name().toLowerCase(Locale.ROOT),
            null,
            0,
            null,
            0,
            0);
    try {
      DestinationGuard.check(probe, state, storeId, stateUrl, false, configArg);
    } catch (IOException io) {
      throw new RivetException(
          ErrorCode.DESTINATION_FAILED,
          "export '"
              + e.name()
              + "': cannot check the destination "
              + dir
              + ": "
              + io.getMessage()
              + "; nothing was written",
          io);
    }
  }

  private String nothingToResume(StateStore state, ExportConfig e) {
    List<RunRecord> last = state.runs(e.name(), 1);
    String why =
        last.isEmpty()
            ? "this state store has no run of it"
            : "its last run "
                + last.get(0).runId()
                + " is "
                + last.get(0).status()
                + " ("
                + last.get(0).updatedAt()
                + ")";
    return "nothing to resume: "
        + why
        + "; nothing was written. Run without --resume to start a new run";
  }

  /**
   * Compares the planned columns with the stored baseline (reference §7.3): {@code fail} stops
   * here, before any chunk and without storing, with exit 4; {@code warn} logs; {@code continue} is
   * silent. Null on the first run.
   */
  private SchemaDrift drift(StateStore state, ExportConfig e, ExportPlan plan) {
    String baseline = state.schemaBaseline(e.name());
    if (baseline == null) {
      return null;
    }
    SchemaDrift d = SchemaDrift.compare(baseline, plan.columns());
    if (d.any() && e.onSchemaDrift() == SchemaDriftPolicy.FAIL) {
      throw new RivetException(
          ErrorCode.SCHEMA_DRIFT,
          "export '"
              + e.name()
              + "': the schema changed since the last run: "
              + d.describe()
              + "; on_schema_drift: fail stops before any chunk (nothing written, baseline kept)."
              + " Adapt the consumers, then set on_schema_drift: warn for one run to accept the new schema");
    }
    if (d.any() && e.onSchemaDrift() == SchemaDriftPolicy.WARN) {
      LOG.warn("export '{}': the schema changed since the last run: {}", e.name(), d.describe());
    }
    return d;
  }

  private static String driftJson(SchemaDrift d) {
    try {
      return Json.MAPPER.writeValueAsString(d);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void checkDistinctDirectories(Map<String, ExportPlan> plans) {
    Map<String, String> dirs = new LinkedHashMap<>();
    for (ExportPlan p : plans.values()) {
      String other = dirs.putIfAbsent(p.outputDir(), p.exportName());
      if (other != null) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "exports '"
                + other
                + "' and '"
                + p.exportName()
                + "' both write to "
                + p.outputDir()
                + ", so their manifests would overwrite each other; give each its own"
                + " destination.path, e.g. ./out/{export}");
      }
    }
  }

  private ExportPlan reload(StateStore state, ExportConfig e, RunRecord run, Planner planner) {
    if (!run.planHash().equals(PlanHash.of(e))) {
      throw new RivetException(
          ErrorCode.PLAN_CHANGED,
          "export '"
              + e.name()
              + "': the config changed since run "
              + run.runId()
              + " started (query, chunking, format or destination), so its chunks no longer mean the same rows;"
              + " restore the config to resume, or abandon the run with 'rivet state reset-chunks -c "
              + configArg
              + " -e "
              + e.name()
              + "'");
    }
    for (ChunkTask t : state.chunks(run.runId())) {
      if (ChunkTask.FAILED.equals(t.status()) && t.attempts() >= e.chunkMaxAttempts()) {
        throw new RivetException(
            ErrorCode.SOURCE_QUERY_FAILED,
            "export '"
                + e.name()
                + "', chunk "
                + t.chunkIndex()
                + " failed "
                + t.attempts()
                + " times (chunk_max_attempts: "
                + e.chunkMaxAttempts()
                + "); last error: "
                + t.lastError()
                + "; fix the cause, then raise chunk_max_attempts to resume");
      }
    }
    ExportPlan p = state.loadPlan(run.runId());
    return p.withConnection(planner.connectionSpec());
  }
}
