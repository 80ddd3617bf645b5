package io.rivet.core.state;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code export_state}: each incremental export's committed cursor and the run that moved it. */
final class CursorRepository {
  String get(Sql sql, String exportName) throws SQLException {
    return sql.first(
            "SELECT last_cursor_value FROM export_state WHERE export_name = ?",
            rs -> rs.getString(1),
            exportName)
        .orElse(null);
  }

  void put(Sql sql, String exportName, String value, String runId) throws SQLException {
    sql.update(
        "INSERT INTO export_state (export_name, last_cursor_value, last_run_id, updated_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (export_name) DO UPDATE SET last_cursor_value = excluded.last_cursor_value,"
            + " last_run_id = excluded.last_run_id, updated_at = excluded.updated_at",
        exportName,
        value,
        runId,
        Instant.now().toString());
  }

  /** Every export's cursor as {value, run id, updated at}, by export name. */
  Map<String, String[]> all(Sql sql) throws SQLException {
    Map<String, String[]> out = new LinkedHashMap<>();
    for (String[] r :
        sql.list(
            "SELECT export_name, last_cursor_value, last_run_id, updated_at FROM export_state"
                + " ORDER BY export_name",
            rs ->
                new String[] {
                  rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)
                })) {
      out.put(r[0], new String[] {r[1], r[2], r[3]});
    }
    return out;
  }
}
