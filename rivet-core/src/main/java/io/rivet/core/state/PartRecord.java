package io.rivet.core.state;

import java.io.Serializable;

/**
 * A committed part in the file ledger: the file, the key sub-range {@code [rangeStart, rangeEnd)} of its chunk
 * that it covers, and its content fingerprint.
 */
public record PartRecord(
    String runId, String exportName, int chunkIndex, long rangeStart, long rangeEnd, String fileName, long rows,
    long bytes, String fingerprint)
    implements Serializable {}
