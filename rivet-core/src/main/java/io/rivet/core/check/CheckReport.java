package io.rivet.core.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.Json;
import java.util.List;
import java.util.Map;

/**
 * {@code rivet check}'s advisory verdict on one export (reference §1.2): one JSON line per export
 * with {@code --json}.
 *
 * @param columns the type report (each column, its Parquet type, and per target what it becomes)
 * @param violations columns whose type a target would not receive exactly, or that rivet cannot
 *     export at all
 */
public record CheckReport(
    String export, List<Column> columns, List<String> violations, Diagnostic diagnostic) {

  /** One column of the type report. */
  public record Column(
      String name,
      String sourceType,
      String parquetType,
      Map<String, TargetTypes.Mapping> targets) {}

  /** The plan's verdict. */
  public record Diagnostic(
      String exportName,
      String strategy,
      String mode,
      String verdict,
      Long rowEstimate,
      Long avgRowBytes,
      int chunkCount,
      List<Warning> warnings,
      RecommendedParallel recommendedParallel,
      Capabilities capabilities) {}

  /** A warning, {@code low}, {@code medium} or {@code high}. */
  public record Warning(String severity, String message) {}

  /** How many chunks to read at once, and why. */
  public record RecommendedParallel(int level, String reason) {}

  /** What the plan can do. */
  public record Capabilities(Boolean usesIndex, boolean hasCursor, boolean canParallel) {}

  /** One line of NDJSON. */
  public String toJsonLine() {
    try {
      return Json.DOCUMENTS
          .copy()
          .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
