package io.rivet.core.state;

/**
 * A chunk's row in the state store. Status only moves forward: pending → running → completed |
 * failed.
 */
public record ChunkTask(
    String runId,
    int chunkIndex,
    String kind,
    long startKey,
    long endKey,
    String status,
    int attempts,
    long rowsWritten,
    String lastError) {
  public static final String PENDING = "pending";
  public static final String RUNNING = "running";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
}
