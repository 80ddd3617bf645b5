package io.rivet.core.state;

/** One run of one export. {@code status} is {@code in_progress}, {@code completed} or {@code failed}. */
public record RunRecord(String runId, String exportName, String planHash, String status, String createdAt, String updatedAt) {
  public static final String IN_PROGRESS = "in_progress";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
}
