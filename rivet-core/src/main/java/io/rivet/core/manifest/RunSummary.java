package io.rivet.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.Json;
import java.io.IOException;
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

  /**
   * The aggregate of exports that ran apart (one process each): counts and totals from their
   * results, the exit code given.
   */
  public static RunSummary of(
      String runAggregateId,
      String startedAt,
      String finishedAt,
      long durationMs,
      String configPath,
      String runner,
      int exitCode,
      List<ExportResult> results) {
    return new RunSummary(
        runAggregateId,
        startedAt,
        finishedAt,
        durationMs,
        configPath,
        runner,
        results.size(),
        (int) results.stream().filter(r -> "success".equals(r.status())).count(),
        (int) results.stream().filter(r -> "failed".equals(r.status())).count(),
        (int)
            results.stream()
                .filter(r -> "skipped".equals(r.status()) || "nothing_to_resume".equals(r.status()))
                .count(),
        results.stream().mapToLong(ExportResult::rows).sum(),
        results.stream().mapToLong(ExportResult::files).sum(),
        results.stream().mapToLong(ExportResult::bytes).sum(),
        exitCode,
        results);
  }

  public static RunSummary parse(String json) {
    try {
      return Json.DOCUMENTS.readValue(json, RunSummary.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a run summary: " + e.getMessage(), e);
    }
  }

  public String toJson() {
    try {
      return Json.DOCUMENTS.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
