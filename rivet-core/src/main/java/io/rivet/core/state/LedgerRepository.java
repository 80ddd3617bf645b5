package io.rivet.core.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.rivet.core.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code file_ledger}: every committed part — the file, the sub-range of its chunk it covers, its
 * rows, size and fingerprints — and the empty sub-ranges read. Committing the same part again (a
 * retried bundle) replaces its row.
 */
final class LedgerRepository {
  private static final String COLUMNS =
      "run_id, export_name, chunk_index, range_start, range_end, file_name,"
          + " row_count, bytes, fingerprint, last_key, shape_json, content_md5, store_tag";
  private static final TypeReference<Map<String, Integer>> SHAPE = new TypeReference<>() {};

  void commit(Sql sql, PartRecord p) throws SQLException {
    sql.update(
        "INSERT INTO file_ledger ("
            + COLUMNS
            + ", created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (run_id, file_name) DO UPDATE SET range_end = excluded.range_end, row_count = excluded.row_count,"
            + " bytes = excluded.bytes, fingerprint = excluded.fingerprint, last_key = excluded.last_key,"
            + " shape_json = excluded.shape_json, content_md5 = excluded.content_md5, store_tag = excluded.store_tag",
        p.runId(),
        p.exportName(),
        p.chunkIndex(),
        p.rangeStart(),
        p.rangeEnd(),
        p.fileName(),
        p.rows(),
        p.bytes(),
        p.fingerprint(),
        p.lastKey(),
        shapeJson(p.maxBytes()),
        p.md5(),
        p.storeTag(),
        Instant.now().toString());
  }

  List<PartRecord> ofRun(Sql sql, String runId) throws SQLException {
    return sql.list(
        "SELECT "
            + COLUMNS
            + " FROM file_ledger WHERE run_id = ? ORDER BY chunk_index, range_start",
        LedgerRepository::part,
        runId);
  }

  List<PartRecord> ofChunk(Sql sql, String runId, int chunkIndex) throws SQLException {
    return sql.list(
        "SELECT "
            + COLUMNS
            + " FROM file_ledger WHERE run_id = ? AND chunk_index = ? ORDER BY range_start",
        LedgerRepository::part,
        runId,
        chunkIndex);
  }

  /** The newest files (not empty sub-ranges), of one export or of all ({@code exportName} null). */
  List<PartRecord> latestFiles(Sql sql, String exportName, int limit) throws SQLException {
    return sql.list(
        "SELECT run_id, export_name, chunk_index, range_start, range_end, file_name, row_count, bytes,"
            + " fingerprint, last_key FROM file_ledger WHERE file_name NOT LIKE 'empty:%' AND (CAST(? AS TEXT) IS NULL OR export_name = ?)"
            + " ORDER BY created_at DESC, file_name DESC LIMIT ?",
        rs ->
            new PartRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getString(6),
                rs.getLong(7),
                rs.getLong(8),
                rs.getString(9),
                rs.getString(10)),
        exportName,
        exportName,
        limit);
  }

  void forget(Sql sql, String runId, String fileName) throws SQLException {
    sql.update("DELETE FROM file_ledger WHERE run_id = ? AND file_name = ?", runId, fileName);
  }

  void forgetChunk(Sql sql, String runId, int chunkIndex) throws SQLException {
    sql.update("DELETE FROM file_ledger WHERE run_id = ? AND chunk_index = ?", runId, chunkIndex);
  }

  private static PartRecord part(ResultSet rs) throws SQLException {
    return new PartRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getLong(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getLong(7),
        rs.getLong(8),
        rs.getString(9),
        rs.getString(10),
        shape(rs.getString(11)),
        rs.getString(12),
        rs.getString(13));
  }

  private static String shapeJson(Map<String, Integer> m) {
    try {
      return m.isEmpty() ? null : Json.MAPPER.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Integer> shape(String json) {
    try {
      return json == null ? Map.of() : Json.MAPPER.readValue(json, SHAPE);
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }
}
