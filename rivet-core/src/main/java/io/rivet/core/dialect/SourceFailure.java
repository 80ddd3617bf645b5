package io.rivet.core.dialect;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;

/**
 * A source error with what the dialect made of it (from SQLState and vendor code, never from
 * message text), so the retry decision and the journal can use the class rather than parse the
 * message.
 */
public final class SourceFailure extends RivetException {
  private static final long serialVersionUID = 1L;

  private final ErrorClass errorClass;
  private final String sqlState;
  private final int vendorCode;

  public SourceFailure(
      ErrorClass errorClass, String sqlState, int vendorCode, String message, Throwable cause) {
    super(codeOf(errorClass), message, cause);
    this.errorClass = errorClass;
    this.sqlState = sqlState;
    this.vendorCode = vendorCode;
  }

  /**
   * Connection failures that are worth retrying are the source being unavailable; others mid-read
   * are transient.
   */
  private static ErrorCode codeOf(ErrorClass c) {
    return switch (c) {
      case PERMANENT -> ErrorCode.SOURCE_QUERY_FAILED;
      case TRANSIENT_RECONNECT -> ErrorCode.SOURCE_UNAVAILABLE;
      case TRANSIENT -> ErrorCode.SOURCE_TRANSIENT;
    };
  }

  public ErrorClass errorClass() {
    return errorClass;
  }

  public String sqlState() {
    return sqlState;
  }

  public int vendorCode() {
    return vendorCode;
  }
}
