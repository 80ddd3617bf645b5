package io.rivet.cli;

import io.rivet.beam.ExportJob;
import io.rivet.core.ErrorCode;
import io.rivet.core.ExportFailure;
import io.rivet.core.RivetException;
import io.rivet.core.check.PlanArtifact;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.ExportMode;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.manifest.RunSummary;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.PlanHash;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code rivet apply PLAN.json | rivet.yaml}. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Apply a sealed plan (a .json from 'rivet plan'): check its integrity, its age (over 1 h warns,",
      "24 h refuses without --force), that the config still makes the same plan and, for an",
      "incremental export, that the cursor has not moved since; then run it replaying the stored",
      "chunk ranges, without planning again. Or apply a config (.yaml): its exports in waves",
      "(wave: ascending, exports without one last), each wave finished before the next, the",
      "parallel_safe exports of a wave together (never two of one source_group), the others alone;",
      "one failure does not stop the others.",
      "",
      "Example: rivet apply orders.plan.json",
      "Example: rivet apply rivet.yaml --resume"
    })
final class ApplyCommand implements Callable<Integer> {
  @Parameters(paramLabel = "PATH", description = "a plan artifact (.json) or a config (.yaml)")
  Path path;

  @Option(names = "--force", description = "apply a plan older than 24 h")
  boolean force;

  @Option(
      names = "--resume",
      description = "continue unfinished runs; exports with nothing unfinished are skipped")
  boolean resume;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description = "a value for ${NAME} in the config; repeatable")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--state-url", description = "the state store, instead of state:")
  String stateUrl;

  @Unmatched List<String> pipelineArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    RunSummary s = path.toString().endsWith(".json") ? artifact() : waves();
    RunCommand.printHuman(s, System.out, false);
    for (RunSummary.ExportResult r : s.perExport()) {
      if (r.errorCode() != null) {
        System.err.println(
            new ErrorReport(
                    r.errorCode(), r.errorMessage(), ErrorCode.valueOf(r.errorCode()).exitCode())
                .text());
      }
    }
    return s.exitCode();
  }

  private RivetConfig load(Path cfgPath) {
    return StateOptions.withStateUrl(ConfigLoader.fromEnvironment(params).load(cfgPath), stateUrl);
  }

  private RunSummary artifact() throws Exception {
    PlanArtifact a = PlanArtifact.parse(Files.readAllBytes(path));
    ExportPlan plan = a.plan();
    Path cfgPath = Path.of(a.configPath());
    RivetConfig cfg = load(cfgPath);
    ExportConfig e =
        cfg.export(a.exportName())
            .orElseThrow(
                () ->
                    new RivetException(
                        ErrorCode.PLAN_CHANGED,
                        "the config "
                            + cfgPath
                            + " has no export '"
                            + a.exportName()
                            + "' any more; plan again"));
    Duration age = a.age(Instant.now());
    if (age.compareTo(PlanArtifact.LIFETIME) >= 0 && !force) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "the plan of '"
              + a.exportName()
              + "' was made "
              + age.toHours()
              + " h ago (plans last 24 h): plan again, or apply it anyway with --force");
    }
    if (age.compareTo(Duration.ofHours(1)) > 0) {
      System.err.println(
          "warning: the plan of '" + a.exportName() + "' was made " + age.toMinutes() + " min ago");
    }
    if (!PlanHash.of(e).equals(a.planFingerprint())) {
      throw new RivetException(
          ErrorCode.PLAN_CHANGED,
          "the config changed what export '"
              + a.exportName()
              + "' means since it was planned (query, chunking, format, destination or overrides);"
              + " plan again: rivet plan -c "
              + cfgPath
              + " -e "
              + a.exportName());
    }
    try (StateStore state = StateStore.open(ExportJob.stateUrl(cfg))) {
      if (e.mode() == ExportMode.INCREMENTAL) {
        String now = state.cursor(e.name());
        if (!Objects.equals(now, a.computed().cursorSnapshot())) {
          throw new RivetException(
              ErrorCode.PLAN_CHANGED,
              "the cursor of '"
                  + e.name()
                  + "' moved since it was planned (then "
                  + a.computed().cursorSnapshot()
                  + ", now "
                  + now
                  + "): the plan's window no longer follows it; plan again");
        }
      }
      Optional<RunRecord> existing = state.run(plan.runId());
      if (existing.isPresent()
          && !(resume && RunRecord.IN_PROGRESS.equals(existing.get().status()))) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "this plan was applied already: run "
                + plan.runId()
                + " is "
                + existing.get().status()
                + (RunRecord.IN_PROGRESS.equals(existing.get().status())
                    ? "; continue it with: rivet apply " + path + " --resume"
                    : "; make a new plan with: rivet plan -c " + cfgPath + " -e " + e.name()));
      }
    }
    return new ExportJob(cfg, cfgPath.toString())
        .withPinnedPlans(Map.of(e.name(), plan))
        .run(List.of(e.name()), resume, false, RunCommand.pipelineOptions(pipelineArgs));
  }

  /** A config's exports in waves; each wave's parallel-safe exports in batches, the rest alone. */
  private RunSummary waves() {
    RivetConfig cfg = load(path);
    TreeMap<Integer, List<ExportConfig>> waves = new TreeMap<>();
    for (ExportConfig e : cfg.exports()) {
      int w = e.apply().wave() == null ? Integer.MAX_VALUE : e.apply().wave();
      waves.computeIfAbsent(w, k -> new ArrayList<>()).add(e);
    }
    Instant started = Instant.now();
    List<RunSummary.ExportResult> results = new ArrayList<>();
    int exit = 0;
    for (List<ExportConfig> wave : waves.values()) {
      for (List<String> batch : batches(wave)) {
        RunSummary s;
        try {
          s = RunCommand.execute(cfg, path.toString(), batch, resume, pipelineArgs, false);
        } catch (RivetException x) {
          // A batch of one whose export failed before running: its failure is its own.
          results.add(
              new RunSummary.ExportResult(
                  batch.get(0),
                  "failed",
                  null,
                  0,
                  0,
                  0,
                  0,
                  null,
                  null,
                  false,
                  x.getMessage(),
                  x.code().name()));
          if (ExportFailure.severity(x.code().exitCode()) > ExportFailure.severity(exit)) {
            exit = x.code().exitCode();
          }
          continue;
        }
        results.addAll(s.perExport());
        if (ExportFailure.severity(s.exitCode()) > ExportFailure.severity(exit)) {
          exit = s.exitCode();
        }
      }
    }
    Instant finished = Instant.now();
    return RunSummary.of(
        "agg_apply_" + started.toEpochMilli(),
        started.toString(),
        finished.toString(),
        Duration.between(started, finished).toMillis(),
        path.toString(),
        "waves",
        exit,
        results);
  }

  /**
   * One wave's runs: its parallel-safe exports together, split so that no batch holds two of one
   * source_group; every other export alone.
   */
  static List<List<String>> batches(List<ExportConfig> wave) {
    List<List<String>> out = new ArrayList<>();
    List<List<String>> safe = new ArrayList<>();
    List<Set<String>> groups = new ArrayList<>();
    for (ExportConfig e : wave) {
      if (!Boolean.TRUE.equals(e.apply().parallelSafe())) {
        out.add(List.of(e.name()));
        continue;
      }
      String g = e.apply().sourceGroup();
      int slot = 0;
      while (slot < safe.size() && g != null && groups.get(slot).contains(g)) {
        slot++;
      }
      if (slot == safe.size()) {
        safe.add(new ArrayList<>());
        groups.add(new HashSet<>());
      }
      safe.get(slot).add(e.name());
      if (g != null) {
        groups.get(slot).add(g);
      }
    }
    List<List<String>> all = new ArrayList<>(safe);
    all.addAll(out);
    return all;
  }
}
