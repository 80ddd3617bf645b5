package io.rivet.core.state;

/**
 * One row of {@code export_metrics}: the outcome of one run of one export (reference §1.2 {@code
 * rivet metrics}).
 */
public record MetricsRecord(
    String exportName,
    String runId,
    String runAt,
    long durationMs,
    long totalRows,
    long peakRssMb,
    String status,
    String errorMessage,
    String tuningProfile,
    String format,
    String mode,
    long filesProduced,
    long bytesWritten,
    long retries,
    boolean validated,
    boolean schemaChanged) {}
