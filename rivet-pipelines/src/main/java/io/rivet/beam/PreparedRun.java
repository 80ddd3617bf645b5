package io.rivet.beam;

import io.rivet.core.plan.ChunkSpec;
import java.io.Serializable;
import java.util.List;

/**
 * What planning decided for one export: its run and the chunks still to extract, or — when the
 * export has nothing to run (a resume with nothing to resume, or a failure of its own before it
 * started) — its outcome already.
 */
record PreparedRun(RunRef run, List<ChunkSpec> pending, ExportResult outcome)
    implements Serializable {
  PreparedRun {
    pending = List.copyOf(pending);
  }

  static PreparedRun decided(String configName, ExportResult outcome) {
    return new PreparedRun(
        new RunRef(outcome.export(), configName, outcome.runId(), null, 1, 0, null),
        List.of(),
        outcome);
  }
}
