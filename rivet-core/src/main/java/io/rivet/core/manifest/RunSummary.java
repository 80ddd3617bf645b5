package io.rivet.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.Json;
import java.util.List;

/**
 * The run aggregate of one {@code rivet run} (reference §4.5), printed with {@code --json}; {@code
 * exitCode} is the run's: the most serious of its exports' failures, 0 when none failed.
 */
public record RunSummary(
    String runAggregateId,
    String startedAt,
    String finishedAt,
    long durationMs,
    String configPath,
    String runner,
    int totalExports,
    int successCount,
    int failedCount,
    int skippedCount,
    long totalRows,
    long totalFiles,
    long totalBytes,
    int exitCode,
    List<ExportResult> perExport) {

  public RunSummary {
    perExport = List.copyOf(perExport);
  }

  /** One export's outcome. */
  public record ExportResult(
      String exportName,
      String status,
      String runId,
      long rows,
      long files,
      long bytes,
      long durationMs,
      String mode,
      String outputDir,
      boolean resumed,
      String errorMessage,
      String errorCode) {}

  public String toJson() {
    try {
      return Json.DOCUMENTS.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
