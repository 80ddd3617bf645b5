package io.rivet.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One export's failure, recorded so that the other exports of the run go on (in the journal as
 * {@code ExportFailed}) and reported with the run: its code, exit code and message.
 *
 * <p>Some failures are the whole run's, never one export's: a lost lease (another run took over),
 * another live writer, a broken state store, a bug. Those stop the run as before.
 */
public record ExportFailure(String exportName, ErrorCode code, String message) {
  public static final String EVENT = "ExportFailed";

  public static ExportFailure of(String exportName, RivetException e) {
    return new ExportFailure(exportName, e.code(), e.getMessage());
  }

  /** Whether a failure of one export leaves the others of the run to go on. */
  public static boolean isOwnedByOneExport(RivetException e) {
    return switch (e.code()) {
      case LEASE_LOST, EXPORT_BUSY, STATE_STORE_FAILED, INTERNAL -> false;
      default -> true;
    };
  }

  public int exitCode() {
    return code.exitCode();
  }

  /** The failure as the exception a run of this one export alone would have ended with. */
  public RivetException toException() {
    return new RivetException(code, message);
  }

  /** The journal payload. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", code.name());
    m.put("exit_code", code.exitCode());
    m.put("message", message);
    try {
      return Json.MAPPER.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A failure from its journal payload; empty if the payload is not one. */
  public static Optional<ExportFailure> fromJson(String exportName, String json) {
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      return Optional.of(
          new ExportFailure(
              exportName, ErrorCode.valueOf(n.path("code").asText()), n.path("message").asText()));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * How serious an exit code is, as the original tool ranks them when several exports fail: data
   * integrity (3) over schema drift (4) over retryable (2) over generic (1) over success (0).
   */
  public static int severity(int exitCode) {
    return switch (exitCode) {
      case 3 -> 4;
      case 4 -> 3;
      case 2 -> 2;
      case 0 -> 0;
      default -> 1;
    };
  }

  /** The most serious failure of several, if any. */
  public static Optional<ExportFailure> mostSevere(Collection<ExportFailure> failures) {
    return failures.stream().max(Comparator.comparingInt(f -> severity(f.exitCode())));
  }
}
