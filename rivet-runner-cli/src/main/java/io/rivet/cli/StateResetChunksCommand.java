package io.rivet.cli;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code state reset-chunks -e}: abandon an export's unfinished run. */
@Command(
    name = "reset-chunks",
    mixinStandardHelpOptions = true,
    description = {
      "Abandon the unfinished run of an export, so the next 'rivet run' starts a new one.",
      "Committed parts of the abandoned run stay where they are; they are not listed by any manifest."
    })
final class StateResetChunksCommand implements Callable<Integer> {
  @Mixin StateOptions o;

  @Option(
      names = {"-e", "--export"},
      required = true)
  String export;

  @Override
  public Integer call() {
    RivetConfig cfg = o.load();
    String name = StateOptions.export(cfg, export);
    try (LeaseKeeper lease = o.lease(cfg, name);
        StateStore state = o.open(cfg)) {
      Optional<RunRecord> run = state.unfinishedRun(name);
      if (run.isEmpty()) {
        System.out.println("export '" + name + "' has no unfinished run; nothing to reset");
        return 0;
      }
      state.finishRun(run.get().runId(), RunRecord.ABANDONED);
      state.journal(run.get().runId(), name, "RunAbandoned", "{}");
      System.out.println(
          "abandoned run "
              + run.get().runId()
              + " of export '"
              + name
              + "'; its committed parts stay in place; the next 'rivet run' starts a new run");
      return 0;
    }
  }
}
