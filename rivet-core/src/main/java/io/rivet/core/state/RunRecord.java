package io.rivet.core.state;

/**
 * One run of one export. {@code status} is {@code in_progress}, {@code completed}, {@code failed}
 * or {@code abandoned}.
 */
public record RunRecord(
    String runId,
    String exportName,
    String planHash,
    String status,
    String createdAt,
    String updatedAt) {
  public static final String IN_PROGRESS = "in_progress";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  /**
   * Given up by {@code rivet state reset-chunks}: its committed parts stay, but it is never resumed
   * or finalized.
   */
  public static final String ABANDONED = "abandoned";
}
