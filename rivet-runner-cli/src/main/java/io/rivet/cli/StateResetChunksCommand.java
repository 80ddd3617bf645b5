package io.rivet.cli;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code state reset-chunks -e NAME | --stuck-checkpoints}: abandon an export's unfinished run, or
 * every export's.
 */
@Command(
    name = "reset-chunks",
    mixinStandardHelpOptions = true,
    description = {
      "Abandon the unfinished run of an export (-e), or of every export of the config that has one",
      "(--stuck-checkpoints, alias --failed), so the next 'rivet run' starts a new one. Each is done",
      "under the export's lease: an export being written is refused (EXPORT_BUSY), never reset under",
      "a live run. Committed parts of an abandoned run stay where they are; no manifest lists them,",
      "and the next run moves them to _retired/<run_id>/.",
      "",
      "Example: rivet state reset-chunks -c rivet.yaml -e orders"
    })
final class StateResetChunksCommand implements Callable<Integer> {
  @Mixin StateOptions o;

  @ArgGroup(multiplicity = "1")
  Which which;

  static final class Which {
    @Option(
        names = {"-e", "--export"},
        description = "the export whose unfinished run to abandon")
    String export;

    @Option(
        names = {"--stuck-checkpoints", "--failed"},
        description = "every export of the config that has an unfinished run")
    boolean all;
  }

  @Override
  public Integer call() {
    RivetConfig cfg = o.load();
    List<String> names =
        which.all
            ? cfg.exports().stream().map(ExportConfig::name).toList()
            : List.of(StateOptions.export(cfg, which.export));
    int reset = 0;
    for (String name : names) {
      Optional<RunRecord> run;
      try (StateStore state = o.open(cfg)) {
        run = state.unfinishedRun(name);
      }
      if (run.isEmpty()) {
        if (!which.all) {
          System.out.println("export '" + name + "' has no unfinished run; nothing to reset");
        }
        continue;
      }
      try (LeaseKeeper lease = o.lease(cfg, name);
          StateStore state = o.open(cfg)) {
        // Read again under the lease: the run may have finished meanwhile.
        run = state.unfinishedRun(name);
        if (run.isEmpty()) {
          continue;
        }
        state.finishRun(run.get().runId(), RunRecord.ABANDONED);
        state.journal(run.get().runId(), name, "RunAbandoned", "{}");
        reset++;
        System.out.println(
            "abandoned run "
                + run.get().runId()
                + " of export '"
                + name
                + "'; its committed parts stay in place; the next 'rivet run' starts a new run");
      }
    }
    if (which.all && reset == 0) {
      System.out.println("no export of the config has an unfinished run; nothing to reset");
    }
    return 0;
  }
}
