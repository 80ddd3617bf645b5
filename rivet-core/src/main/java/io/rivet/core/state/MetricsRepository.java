package io.rivet.core.state;

import java.sql.SQLException;
import java.util.List;

/**
 * {@code export_metrics}: one row per run of an export — its outcome, rows, files, bytes, time and
 * retries.
 */
final class MetricsRepository {
  private static final String COLUMNS =
      "export_name, run_id, run_at, duration_ms, total_rows, peak_rss_mb, status,"
          + " error_message, tuning_profile, format, mode, files_produced, bytes_written, retries, validated, schema_changed";

  void record(Sql sql, MetricsRecord m) throws SQLException {
    sql.update(
        "INSERT INTO export_metrics ("
            + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        m.exportName(),
        m.runId(),
        m.runAt(),
        m.durationMs(),
        m.totalRows(),
        m.peakRssMb(),
        m.status(),
        m.errorMessage(),
        m.tuningProfile(),
        m.format(),
        m.mode(),
        m.filesProduced(),
        m.bytesWritten(),
        m.retries(),
        m.validated() ? 1 : 0,
        m.schemaChanged() ? 1 : 0);
  }

  /** The newest runs' metrics, of one export or of all ({@code exportName} null). */
  List<MetricsRecord> latest(Sql sql, String exportName, int limit) throws SQLException {
    return sql.list(
        "SELECT "
            + COLUMNS
            + " FROM export_metrics WHERE (CAST(? AS TEXT) IS NULL OR export_name = ?)"
            + " ORDER BY id DESC LIMIT ?",
        rs ->
            new MetricsRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                rs.getLong(12),
                rs.getLong(13),
                rs.getLong(14),
                rs.getInt(15) == 1,
                rs.getInt(16) == 1),
        exportName,
        exportName,
        limit);
  }
}
