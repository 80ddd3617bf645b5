package io.rivet.core;

/**
 * Every failure Rivet reports, mapped to the process exit code in one place.
 *
 * <p>Exit codes follow the original tool: 0 ok, 1 generic, 2 retryable, 3 data integrity, 4 schema
 * drift.
 */
public enum ErrorCode {
  CONFIG_INVALID(1),
  CONFIG_UNREADABLE(1),
  NOT_SUPPORTED_YET(1),
  TYPE_UNSUPPORTED(1),
  RUN_IN_PROGRESS(1),
  /** Another live process holds the export's lease; retrying after it finished succeeds. */
  EXPORT_BUSY(2),
  /** This process's lease was taken over (its heartbeat stopped too long): it stopped writing. */
  LEASE_LOST(2),
  /**
   * The destination belongs to another export or state store, or holds files this state store does
   * not know.
   */
  DESTINATION_CONFLICT(1),
  PLAN_CHANGED(1),
  SOURCE_UNAVAILABLE(2),
  SOURCE_TRANSIENT(2),
  SOURCE_QUERY_FAILED(1),
  SOURCE_AUTH_FAILED(1),
  VALUE_INVALID(1),
  DESTINATION_FAILED(2),
  STATE_STORE_FAILED(1),
  DATA_INTEGRITY(3),
  SCHEMA_DRIFT(4),
  INTERNAL(1);

  private final int exitCode;

  ErrorCode(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
