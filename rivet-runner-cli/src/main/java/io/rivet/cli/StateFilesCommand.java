package io.rivet.cli;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.StateStore;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code state files}: the file ledger, newest first. */
@Command(
    name = "files",
    mixinStandardHelpOptions = true,
    footer = {"", "Example: rivet state files -c rivet.yaml -e orders -l 20"},
    description = "Committed files from the ledger, newest first.")
final class StateFilesCommand implements Callable<Integer> {
  @Mixin StateOptions o;

  @Option(names = {"-e", "--export"})
  String export;

  @Option(
      names = {"-l", "--limit"},
      defaultValue = "50")
  int limit;

  @Override
  public Integer call() {
    RivetConfig cfg = o.load();
    try (StateStore s = o.open(cfg)) {
      List<PartRecord> files = s.files(StateOptions.export(cfg, export), limit);
      if (o.json) {
        StateOptions.print(
            files.stream()
                .map(
                    p ->
                        StateOptions.row(
                            "run_id",
                            p.runId(),
                            "export_name",
                            p.exportName(),
                            "chunk_index",
                            p.chunkIndex(),
                            "file_name",
                            p.fileName(),
                            "row_count",
                            p.rows(),
                            "bytes",
                            p.bytes(),
                            "fingerprint",
                            p.fingerprint()))
                .toList());
      } else {
        files.forEach(
            p ->
                System.out.printf(
                    "%-40s %-60s %,12d rows %,14d bytes%n",
                    p.runId(), p.fileName(), p.rows(), p.bytes()));
      }
      return 0;
    }
  }
}
