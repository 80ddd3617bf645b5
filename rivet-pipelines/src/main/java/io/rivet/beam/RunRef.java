package io.rivet.beam;

import io.rivet.core.dialect.ConnectionSpec;
import java.io.Serializable;

/**
 * One export's run as the pipeline's steps see it: the plan itself stays in the state store (the
 * workers load it by {@code runId}), so what travels is only this.
 *
 * @param exportName the export (a partition's child export for a partitioned one)
 * @param configName the export of the config it comes from (the parent of a partition's child)
 * @param runId the run, whose plan and ledger the state store holds
 * @param lease the token of the export's lease, checked before every write; null when none is held
 * @param parallel at most this many chunks of the run are read at once in one worker
 * @param pipelineLeaseTtlMs when the pipeline itself holds the lease (it planned the run), its
 *     lifetime: the workers renew it while they read and finalize releases it; 0 when a launcher
 *     holds it
 * @param connection how the run reaches the source, as planning probed it (through a pooler: its
 *     safe settings), the password as a reference; a stored plan has none
 */
record RunRef(
    String exportName,
    String configName,
    String runId,
    String lease,
    int parallel,
    long pipelineLeaseTtlMs,
    ConnectionSpec connection)
    implements Serializable {

  boolean heldByPipeline() {
    return lease != null && pipelineLeaseTtlMs > 0;
  }
}
