package io.rivet.core;

/**
 * Every failure Rivet reports, tagged with who must act and mapped to the process exit code in one place.
 *
 * <p>Exit codes follow the original tool: 0 ok, 1 generic, 2 retryable, 3 data integrity, 4 schema drift.
 */
public enum ErrorCode {
  CONFIG_INVALID(Category.USER, 1),
  CONFIG_UNREADABLE(Category.USER, 1),
  NOT_SUPPORTED_YET(Category.USER, 1),
  TYPE_UNSUPPORTED(Category.USER, 1),
  RUN_IN_PROGRESS(Category.USER, 1),
  /** Another live process holds the export's lease; retrying after it finished succeeds. */
  EXPORT_BUSY(Category.EXTERNAL, 2),
  /** This process's lease was taken over (its heartbeat stopped too long): it stopped writing. */
  LEASE_LOST(Category.EXTERNAL, 2),
  /** The destination belongs to another export or state store, or holds files this state store does not know. */
  DESTINATION_CONFLICT(Category.USER, 1),
  PLAN_CHANGED(Category.USER, 1),
  SOURCE_UNAVAILABLE(Category.EXTERNAL, 2),
  SOURCE_TRANSIENT(Category.EXTERNAL, 2),
  SOURCE_QUERY_FAILED(Category.EXTERNAL, 1),
  SOURCE_AUTH_FAILED(Category.EXTERNAL, 1),
  VALUE_INVALID(Category.USER, 1),
  DESTINATION_FAILED(Category.EXTERNAL, 2),
  STATE_STORE_FAILED(Category.EXTERNAL, 1),
  DATA_INTEGRITY(Category.EXTERNAL, 3),
  SCHEMA_DRIFT(Category.USER, 4),
  INTERNAL(Category.INTERNAL, 1);

  /** Who must act on the error. */
  public enum Category {
    USER,
    EXTERNAL,
    INTERNAL
  }

  private final Category category;
  private final int exitCode;

  ErrorCode(Category category, int exitCode) {
    this.category = category;
    this.exitCode = exitCode;
  }

  public Category category() {
    return category;
  }

  public int exitCode() {
    return exitCode;
  }

  /** Severity used when several exports fail: integrity > drift > retryable > generic. */
  public int severity() {
    return switch (exitCode) {
      case 3 -> 4;
      case 4 -> 3;
      case 2 -> 2;
      default -> 1;
    };
  }
}
