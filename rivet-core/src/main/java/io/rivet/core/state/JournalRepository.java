package io.rivet.core.state;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * {@code journal}: what happened during a run, in order (retries, warnings, quarantines,
 * completion).
 */
final class JournalRepository {
  void append(Sql sql, String runId, String exportName, String event, String payloadJson)
      throws SQLException {
    sql.update(
        "INSERT INTO journal (run_id, export_name, recorded_at, event, payload_json) VALUES (?, ?, ?, ?, ?)",
        runId,
        exportName,
        Instant.now().toString(),
        event,
        payloadJson);
  }

  List<String> events(Sql sql, String runId) throws SQLException {
    return sql.list(
        "SELECT event FROM journal WHERE run_id = ? ORDER BY id", rs -> rs.getString(1), runId);
  }

  /** Each entry as {recorded_at, event, payload_json}. */
  List<String[]> entries(Sql sql, String runId) throws SQLException {
    return sql.list(
        "SELECT recorded_at, event, payload_json FROM journal WHERE run_id = ? ORDER BY id",
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)},
        runId);
  }
}
