package io.rivet.cli;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.state.StateStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code state reset -e}: clears a cursor, so the next run exports everything again. */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    footer = {"", "Example: rivet state reset -c rivet.yaml -e orders"},
    description = "Clear an export's incremental cursor.")
final class StateResetCommand implements Callable<Integer> {
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
        StateStore s = o.open(cfg)) {
      s.storeCursor(name, null, null);
      System.out.println("cleared the cursor of '" + name + "'; its next run exports every row");
      return 0;
    }
  }
}
