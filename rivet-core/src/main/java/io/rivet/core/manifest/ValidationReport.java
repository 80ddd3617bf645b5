package io.rivet.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.Json;
import java.util.List;

/**
 * What {@code rivet validate} found at an export's destination for one run, without querying the
 * source (reference §7.6): the manifest against {@code _SUCCESS}, itself, the ledger and the files.
 *
 * @param depthLevel {@code light}, {@code sample} or {@code full}
 * @param legacyRun a directory with parts but no manifest (nothing to validate against)
 * @param untrackedObjects part files of the export in the directory that no manifest lists
 *     (advisory: another run's, or left by a crash)
 */
public record ValidationReport(
    String exportName,
    String runId,
    String depthLevel,
    boolean manifestFound,
    boolean legacyRun,
    boolean successMarkerConsistent,
    boolean manifestSelfConsistent,
    int partsVerified,
    int partsFailed,
    List<String> untrackedObjects,
    boolean passed,
    List<Failure> failures) {

  /** One failed check: a stable code ({@code RIVET_VERIFY_…}), the part if any, what was seen. */
  public record Failure(String code, String part, String detail) {}

  public String toJson() {
    try {
      return Json.DOCUMENTS.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
