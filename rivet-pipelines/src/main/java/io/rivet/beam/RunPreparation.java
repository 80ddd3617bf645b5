package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.ExportFailure;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.PartitionBucket;
import io.rivet.core.plan.Planner;
import io.rivet.core.schema.SchemaDrift;
import io.rivet.core.state.ChunkTask;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prepares a run before its pipeline exists. Phase 1 takes each export's lease, decides (new run,
 * resume, nothing to resume), plans or reloads the plan and checks schema drift, without writing;
 * phase 2 claims the destinations and records the runs. A problem with one export in phase 1 leaves
 * no half-started run of any.
 */
final class RunPreparation {
  private final RivetConfig config;
  private final String configArg;
  private final String stateUrl;
  private final PlanChecks checks;

  /**
   * With {@code resume}: an export with nothing unfinished starts a new run instead of skipping.
   */
  private final boolean orStart;

  RunPreparation(RivetConfig config, String configArg) {
    this(config, configArg, false);
  }

  /** Sealed plans to replay ({@code rivet apply}), by export name. */
  private Map<String, ExportPlan> pinned = Map.of();

  RunPreparation(RivetConfig config, String configArg, boolean orStart) {
    this.config = config;
    this.configArg = configArg;
    this.stateUrl = ExportJob.stateUrl(config);
    this.checks = new PlanChecks(configArg);
    this.orStart = orStart;
  }

  /** This preparation replaying sealed plans instead of planning those exports. */
  RunPreparation pinned(Map<String, ExportPlan> plans) {
    this.pinned = Map.copyOf(plans);
    return this;
  }

  /** What phase 1 decided, per export. */
  private record Decided(
      Map<String, ExportPlan> plans,
      Map<String, Boolean> resumed,
      Map<String, Integer> parallel,
      Map<String, SchemaDrift> drifts,
      Map<String, String> skipped,
      Map<String, ExportConfig> configs,
      Map<String, ExportFailure> failed,
      Map<String, String> parents) {
    Decided() {
      this(
          new LinkedHashMap<>(),
          new LinkedHashMap<>(),
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
      Planner planner = new Planner(config, stateUrl).pinned(pinned);
      Decided d = decide(state, storeId, planner, selected, resume, started, leases);
      PlanChecks.checkDistinctDirectories(d.plans());
      Map<String, List<ChunkSpec>> pending = new LinkedHashMap<>();
      for (ExportPlan plan : List.copyOf(d.plans().values())) {
        try {
          record(state, storeId, plan, d, force, leases);
          pending.put(plan.exportName(), pendingChunks(state, plan));
        } catch (RivetException e) {
          giveUp(d, plan.exportName(), e, leases);
        }
      }
      return new ExportJob.Prepared(
          config,
          d.plans(),
          pending,
          d.parallel(),
          d.resumed(),
          d.skipped(),
          leases,
          d.configs(),
          d.failed(),
          d.parents());
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
    for (ExportConfig e : expand(planner, selected, buckets, d.parents())) {
      d.configs().put(e.name(), e);
      try {
        decideOne(state, storeId, planner, e, resume, started, leases, d, buckets);
      } catch (RivetException failure) {
        giveUp(d, e.name(), failure, leases);
      }
    }
    return d;
  }

  /**
   * An export this run cannot do (its source, its drift, its destination): its failure is recorded
   * and the other exports go on. A failure that is the whole run's stops the run.
   */
  private static void giveUp(Decided d, String name, RivetException e, LeaseKeeper leases) {
    if (!ExportFailure.isOwnedByOneExport(e)) {
      throw e;
    }
    d.plans().remove(name);
    d.resumed().remove(name);
    d.parallel().remove(name);
    d.drifts().remove(name);
    d.failed().put(name, ExportFailure.of(name, e));
    leases.release(name);
  }

  /** Phase 1 for one export: its lease taken, then planned, or reloaded to resume. */
  private void decideOne(
      StateStore state,
      String storeId,
      Planner planner,
      ExportConfig e,
      boolean resume,
      Instant started,
      LeaseKeeper leases,
      Decided d,
      Map<String, PartitionBucket> buckets) {
    // The lease comes first: what follows reads the export's runs and decides, and only one
    // process may.
    state.fence(e.name(), leases.acquire(e.name(), configArg).token());
    Optional<RunRecord> unfinished = state.unfinishedRun(e.name());
    if (unfinished.isEmpty() && resume && !orStart) {
      new DestinationClaim(configArg, stateUrl)
          .checkNothingLeft(planner, state, storeId, e, started);
      d.skipped().put(e.name(), checks.nothingToResume(state, e));
      return;
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
            ? checks.reload(state, e, unfinished.get(), planner)
            : planner.plan(e, started, state.cursor(e.name()), buckets.get(e.name()));
    if (unfinished.isEmpty()) {
      d.drifts().put(e.name(), checks.drift(state, e, plan));
    }
    d.plans().put(e.name(), plan);
    d.resumed().put(e.name(), unfinished.isPresent());
    d.parallel().put(e.name(), e.parallel());
  }

  /**
   * The exports to run: each partitioned export as its children, each with its own run, manifest
   * and _SUCCESS.
   */
  private static List<ExportConfig> expand(
      Planner planner,
      List<ExportConfig> selected,
      Map<String, PartitionBucket> buckets,
      Map<String, String> parents) {
    List<ExportConfig> expanded = new ArrayList<>();
    for (ExportConfig e : selected) {
      if (e.partition() == null) {
        expanded.add(e);
        parents.put(e.name(), e.name());
        continue;
      }
      for (PartitionBucket b : planner.partitions(e)) {
        ExportConfig child = e.child(b.childName(), b.pathValue());
        expanded.add(child);
        buckets.put(child.name(), b);
        parents.put(child.name(), e.name());
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
    new DestinationClaim(configArg, stateUrl).claimDestination(plan, state, storeId, force);
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
      state.journal(plan.runId(), plan.exportName(), "SchemaChanged", PlanChecks.driftJson(drift));
    }
  }

  /** The run's chunks not yet completed, each with its bounds. */
  private static List<ChunkSpec> pendingChunks(StateStore state, ExportPlan plan) {
    Map<Integer, ChunkSpec> chunks = new HashMap<>();
    plan.chunks().forEach(ch -> chunks.put(ch.index(), ch));
    List<ChunkSpec> out = new ArrayList<>();
    for (ChunkTask t : state.chunks(plan.runId())) {
      if (!ChunkTask.COMPLETED.equals(t.status())) {
        out.add(chunks.get(t.chunkIndex()));
      }
    }
    return out;
  }
}
