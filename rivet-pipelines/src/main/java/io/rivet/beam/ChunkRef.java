package io.rivet.beam;

import io.rivet.core.plan.ChunkSpec;
import java.io.Serializable;

/** The element of the extraction step: one chunk of one export's run, with its bounds. */
record ChunkRef(RunRef run, ChunkSpec chunk) implements Serializable {
  String exportName() {
    return run.exportName();
  }
}
