package io.rivet.cli;

import io.rivet.beam.ExportJob;
import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rivet state …}: operator views of the state store. Only {@code reset-chunks} exists so far. */
@Command(name = "state", mixinStandardHelpOptions = true, description = "Inspect or reset the state store.",
    subcommands = {StateCommand.ResetChunks.class})
final class StateCommand {
  /** {@code rivet state reset-chunks -c FILE -e NAME}: abandon an export's unfinished run. */
  @Command(name = "reset-chunks", mixinStandardHelpOptions = true,
      description = {"Abandon the unfinished run of an export, so the next 'rivet run' starts a new one.",
          "Committed parts of the abandoned run stay where they are; they are not listed by any manifest."})
  static final class ResetChunks implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true)
    Path config;

    @Option(names = {"-e", "--export"}, required = true)
    String export;

    @Override
    public Integer call() {
      RivetConfig cfg = ConfigLoader.fromEnvironment(Map.of()).load(config);
      ExportConfig e = cfg.export(export).orElseThrow(() -> new RivetException(ErrorCode.CONFIG_INVALID, "-e " + export
          + ": no export of that name; the config has " + cfg.exports().stream().map(ExportConfig::name).toList()));
      try (StateStore state = StateStore.open(ExportJob.stateUrl(cfg))) {
        Optional<RunRecord> run = state.unfinishedRun(e.name());
        if (run.isEmpty()) {
          System.out.println("export '" + e.name() + "' has no unfinished run; nothing to reset");
          return 0;
        }
        state.finishRun(run.get().runId(), RunRecord.ABANDONED);
        state.journal(run.get().runId(), e.name(), "RunAbandoned", "{}");
        System.out.println("abandoned run " + run.get().runId() + " of export '" + e.name()
            + "'; its committed parts stay in place; the next 'rivet run' starts a new run");
        return 0;
      }
    }
  }
}
