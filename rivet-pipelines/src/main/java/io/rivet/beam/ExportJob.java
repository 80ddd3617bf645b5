package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.ExportFailure;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.manifest.RunSummary;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.state.StateLocation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * One {@code rivet run}: prepares each selected export ({@link RunPreparation}), runs every export
 * in one Beam pipeline, and reports ({@link RunReport}).
 */
public final class ExportJob {
  private final RivetConfig config;
  private final String configArg;
  private Map<String, ExportPlan> pinned = Map.of();

  public ExportJob(RivetConfig config, String configArg) {
    this.config = config;
    this.configArg = configArg;
  }

  /**
   * This job replaying sealed plans ({@code rivet apply}), by export name: their stored chunk
   * ranges, window and run, with no new planning.
   */
  public ExportJob withPinnedPlans(Map<String, ExportPlan> plans) {
    this.pinned = Map.copyOf(plans);
    return this;
  }

  /**
   * Where the config's state store is, as a reference without a secret ({@link StateLocation}):
   * {@code state:} (or {@code --state-url}), else the SQLite file {@code .rivet_state.db} beside
   * the config.
   */
  public static String stateUrl(RivetConfig config) {
    return config.stateRef() != null
        ? config.stateRef()
        : StateLocation.besideConfig(config.configDir());
  }

  /**
   * Runs the selected exports (all when {@code only} is empty) and returns the summary. Each
   * export's failure is its own: the others finish, and the summary counts the failed ones and
   * carries the run's exit code (the most serious failure). A run whose only export failed throws
   * that export's error; so does a failure that is the whole run's (a lost lease, a broken state
   * store).
   */
  public RunSummary run(List<String> only, boolean resume, PipelineOptions options) {
    return run(only, resume, false, options);
  }

  /**
   * As {@link #run(List, boolean, PipelineOptions)}; {@code force} takes over a destination that
   * holds files this state store cannot account for, after moving them to {@code _retired/} (see
   * {@link DestinationGuard}).
   */
  public RunSummary run(List<String> only, boolean resume, boolean force, PipelineOptions options) {
    Instant started = Instant.now();
    RemoteWorkers.check(config, select(only), options);
    CloudOptions.apply(options, select(only), System.getenv());
    FileSystems.setDefaultPipelineOptions(options);
    try (Prepared prepared = prepare(only, resume, force, started)) {
      if (!prepared.plans().isEmpty()) {
        try {
          execute(prepared, options);
        } catch (RivetException e) {
          new RunReport(config, configArg).recordFailure(prepared, started, e);
          throw e;
        }
      }
      RunSummary summary = new RunReport(config, configArg).summarize(prepared, started, options);
      if (summary.totalExports() == 1 && summary.failedCount() == 1) {
        RunSummary.ExportResult alone = summary.perExport().get(0);
        throw new RivetException(ErrorCode.valueOf(alone.errorCode()), alone.errorMessage());
      }
      return summary;
    }
  }

  /**
   * Plans (or reloads, on resume) the selected exports and records them in the state store, ready
   * for {@link #transform}. A Beam job that embeds Rivet calls this, applies the transform, runs
   * its pipeline, then closes it: it holds the exports' leases (renewed in the background) until
   * closed.
   *
   * @param skipped exports this run leaves alone, with the reason (a {@code --resume} with nothing
   *     to resume)
   * @param configs the config of each export of the run by name, partition children included
   * @param failed exports this run could not start (their source, drift or destination), with why;
   *     the others run
   */
  public record Prepared(
      RivetConfig config,
      Map<String, ExportPlan> plans,
      Map<String, List<ChunkSpec>> pending,
      Map<String, Integer> parallel,
      Map<String, Boolean> resumed,
      Map<String, String> skipped,
      LeaseKeeper leases,
      Map<String, ExportConfig> configs,
      Map<String, ExportFailure> failed,
      Map<String, String> parents)
      implements AutoCloseable {
    /**
     * The transform that extracts the pending chunks and finalizes every planned export; the
     * launcher holds the leases.
     */
    public RivetIO.Export transform() {
      Map<String, String> tokens = leases.tokens();
      List<PreparedRun> runs = new ArrayList<>();
      for (ExportPlan plan : plans.values()) {
        String name = plan.exportName();
        runs.add(
            new PreparedRun(
                new RunRef(
                    name,
                    parents.getOrDefault(name, name),
                    plan.runId(),
                    tokens.get(name),
                    parallel.getOrDefault(name, 1),
                    0,
                    plan.connection()),
                pending.getOrDefault(name, List.of()),
                null));
      }
      return RivetIO.export()
          .withConfig(config)
          .withExports(
              runs.stream().map(r -> r.run().configName()).distinct().toArray(String[]::new))
          .withPreparedRuns(runs);
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
    LeaseKeeper leases =
        new LeaseKeeper(stateUrl(config), LeaseKeeper.configuredTtl(System.getenv()));
    try {
      return new RunPreparation(config, configArg)
          .pinned(pinned)
          .prepare(select(only), resume, force, started, leases);
    } catch (RuntimeException e) {
      leases.close();
      throw e;
    }
  }

  private List<ExportConfig> select(List<String> only) {
    return select(config, only, "-e ");
  }

  /**
   * The exports named in {@code only} (all when it is empty); an unknown name fails with the names
   * the config has, after {@code how} (how the name was given: {@code "-e "}, {@code "withExports:
   * "}).
   */
  static List<ExportConfig> select(RivetConfig config, List<String> only, String how) {
    if (only.isEmpty()) {
      return config.exports();
    }
    List<ExportConfig> out = new ArrayList<>();
    for (String name : only) {
      out.add(
          config
              .export(name)
              .orElseThrow(
                  () ->
                      new RivetException(
                          ErrorCode.CONFIG_INVALID,
                          how
                              + name
                              + ": no export of that name; the config has "
                              + config.exports().stream().map(ExportConfig::name).toList())));
    }
    return out;
  }

  /**
   * Sets the pipeline options that the exports' destinations need (S3 region, endpoint,
   * credentials).
   */
  public static void applyDestinationOptions(
      PipelineOptions options, Collection<ExportConfig> exports, Map<String, String> env) {
    CloudOptions.apply(options, exports, env);
  }

  private void execute(Prepared prepared, PipelineOptions options) {
    CloudOptions.apply(options, prepared.configs().values(), System.getenv());
    int maxParallel =
        prepared.parallel().values().stream().mapToInt(Integer::intValue).max().orElse(1);
    options.as(DirectOptions.class).setTargetParallelism(Math.max(1, maxParallel));
    if (RemoteWorkers.remoteRunner(options).isPresent()) {
      StagedJars.trim(options);
    }
    Pipeline p = Pipeline.create(options);
    p.apply("Rivet Export", prepared.transform());
    try {
      PipelineResult.State s = p.run().waitUntilFinish();
      if (s != PipelineResult.State.DONE) {
        throw new RivetException(
            ErrorCode.INTERNAL,
            "the pipeline ended in state " + s + "; 'rivet run --resume' continues the run");
      }
    } catch (RuntimeException e) {
      throw unwrap(e);
    }
  }

  /**
   * Runners wrap the DoFn's exception; the user needs the RivetException that says which export and
   * chunk.
   */
  static RuntimeException unwrap(RuntimeException e) {
    Throwable t = e;
    while (t != null) {
      if (t instanceof RivetException re) {
        return re;
      }
      t = t.getCause();
    }
    return new RivetException(
        ErrorCode.INTERNAL,
        "the pipeline failed: " + e + "; 'rivet run --resume' continues the run",
        e);
  }
}
