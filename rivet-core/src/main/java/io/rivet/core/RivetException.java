package io.rivet.core;

/** The one unchecked exception of Rivet; its message is already redacted and meant for the user. */
public class RivetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  public RivetException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public RivetException(ErrorCode code, String message, Throwable cause) {
    super(Redactor.redact(message), cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public int exitCode() {
    return code.exitCode();
  }
}
