package io.rivet.core.state;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the previous run saw, to compare the next one with: {@code export_schema} (the written
 * columns and types, for schema drift) and {@code export_shape} (each text or binary column's
 * longest value, for shape drift).
 */
final class BaselineRepository {
  String schema(Sql sql, String exportName) throws SQLException {
    return sql.first(
            "SELECT columns_json FROM export_schema WHERE export_name = ?",
            rs -> rs.getString(1),
            exportName)
        .orElse(null);
  }

  void putSchema(Sql sql, String exportName, String columnsJson) throws SQLException {
    sql.update(
        "INSERT INTO export_schema (export_name, columns_json, updated_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (export_name) DO UPDATE SET columns_json = excluded.columns_json, updated_at = excluded.updated_at",
        exportName,
        columnsJson,
        Instant.now().toString());
  }

  Map<String, Integer> shape(Sql sql, String exportName) throws SQLException {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Object[] r :
        sql.list(
            "SELECT column_name, max_byte_len FROM export_shape WHERE export_name = ?",
            rs -> new Object[] {rs.getString(1), rs.getInt(2)},
            exportName)) {
      out.put((String) r[0], (Integer) r[1]);
    }
    return out;
  }

  void putShape(Sql sql, String exportName, Map<String, Integer> maxBytes) throws SQLException {
    String now = Instant.now().toString();
    List<Object[]> rows = new ArrayList<>();
    maxBytes.forEach((column, bytes) -> rows.add(new Object[] {exportName, column, bytes, now}));
    sql.batch(
        "INSERT INTO export_shape (export_name, column_name, max_byte_len, updated_at) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (export_name, column_name) DO UPDATE SET max_byte_len = excluded.max_byte_len,"
            + " updated_at = excluded.updated_at",
        rows);
  }
}
