package io.rivet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a failure is shown: the text line {@code Error: [CODE] message} (reference §1.1), or the
 * error object {@code {"error", "exit_class", "code"}} for {@code --json} and {@code
 * --json-errors}. Never a stack trace unless {@code RIVET_DEBUG} is set: a failure rivet did not
 * foresee names itself as a bug and how to get the trace.
 */
record ErrorReport(String code, String message, int exitCode) {

  static ErrorReport of(Throwable e) {
    if (e instanceof RivetException re) {
      return new ErrorReport(re.code().name(), re.getMessage(), re.exitCode());
    }
    return new ErrorReport(
        ErrorCode.INTERNAL.name(),
        "unexpected "
            + Redactor.redact(String.valueOf(e))
            + " — a bug in rivet, not in your config or data; nothing more was written. Please report it with the log;"
            + " RIVET_DEBUG=1 prints the stack trace",
        ErrorCode.INTERNAL.exitCode());
  }

  static ErrorReport usage(String message) {
    return new ErrorReport("USAGE", message, 2);
  }

  /** The exit class as the reference names it. */
  String exitClass() {
    return switch (exitCode) {
      case 2 -> "retryable";
      case 3 -> "data_integrity";
      case 4 -> "schema_drift";
      default -> "generic";
    };
  }

  String text() {
    return "Error: [" + code + "] " + message;
  }

  String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    m.put("exit_class", exitClass());
    m.put("exit_code", exitCode);
    m.put("code", code);
    try {
      return Json.MAPPER.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean debug() {
    String v = System.getenv("RIVET_DEBUG");
    return v != null && !v.isBlank() && !v.equals("0");
  }
}
