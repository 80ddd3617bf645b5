package io.rivet.core.read;

/**
 * A source value the written type cannot hold exactly; the message names the column and the value.
 */
public final class BadValueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
