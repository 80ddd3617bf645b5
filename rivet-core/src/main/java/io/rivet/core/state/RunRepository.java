package io.rivet.core.state;

import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code runs} and {@code chunk_tasks}: a run's stored plan and the state of each of its chunks. A
 * chunk's status only moves forward — pending → running → completed | failed — and attempts count
 * only real starts.
 */
final class RunRepository {
  private static final String RUN_COLUMNS =
      "run_id, export_name, plan_hash, status, created_at, updated_at";

  void create(Sql sql, ExportPlan plan, String planJson) throws SQLException {
    String now = Instant.now().toString();
    sql.update(
        "INSERT INTO runs (run_id, export_name, plan_hash, status, plan_json, created_at, updated_at)"
            + " VALUES (?, ?, ?, 'in_progress', ?, ?, ?)",
        plan.runId(),
        plan.exportName(),
        plan.planHash(),
        planJson,
        now,
        now);
    List<Object[]> chunks = new ArrayList<>();
    for (ChunkSpec ch : plan.chunks()) {
      chunks.add(new Object[] {plan.runId(), ch.index(), ch.kind().name(), ch.lo(), ch.hi(), now});
    }
    sql.batch(
        "INSERT INTO chunk_tasks (run_id, chunk_index, kind, start_key, end_key, status, attempts, rows_written,"
            + " updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, 0, ?)",
        chunks);
  }

  Optional<String> planJson(Sql sql, String runId) throws SQLException {
    return sql.first("SELECT plan_json FROM runs WHERE run_id = ?", rs -> rs.getString(1), runId);
  }

  Optional<RunRecord> unfinished(Sql sql, String exportName) throws SQLException {
    return sql.first(
        "SELECT "
            + RUN_COLUMNS
            + " FROM runs WHERE export_name = ? AND status = 'in_progress'"
            + " ORDER BY created_at DESC",
        RunRepository::run,
        exportName);
  }

  Optional<RunRecord> byId(Sql sql, String runId) throws SQLException {
    return sql.first(
        "SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ?", RunRepository::run, runId);
  }

  List<RunRecord> latest(Sql sql, String exportName, int limit) throws SQLException {
    return sql.list(
        "SELECT "
            + RUN_COLUMNS
            + " FROM runs WHERE export_name = ? ORDER BY created_at DESC LIMIT ?",
        RunRepository::run,
        exportName,
        limit);
  }

  private static RunRecord run(ResultSet rs) throws SQLException {
    return new RunRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6));
  }

  void finish(Sql sql, String runId, String status) throws SQLException {
    sql.update(
        "UPDATE runs SET status = ?, updated_at = ? WHERE run_id = ? AND status = 'in_progress'",
        status,
        Instant.now().toString(),
        runId);
  }

  /**
   * Marks a chunk running; returns its attempt number when this started it (from pending or
   * failed), 0 when it already ran (another piece of it, a retry within the attempt).
   */
  int chunkStarted(Sql sql, String runId, int chunkIndex) throws SQLException {
    String now = Instant.now().toString();
    int started =
        sql.update(
            "UPDATE chunk_tasks SET attempts = attempts + 1, status = 'running', updated_at = ?"
                + " WHERE run_id = ? AND chunk_index = ? AND status IN ('pending', 'failed')",
            now,
            runId,
            chunkIndex);
    if (started == 0) {
      sql.update(
          "UPDATE chunk_tasks SET updated_at = ? WHERE run_id = ? AND chunk_index = ?"
              + " AND status = 'running'",
          now,
          runId,
          chunkIndex);
      return 0;
    }
    return chunks(sql, runId).stream()
        .filter(t -> t.chunkIndex() == chunkIndex)
        .mapToInt(ChunkTask::attempts)
        .findFirst()
        .orElse(1);
  }

  /** Marks a running chunk failed; true if it was running. */
  boolean chunkFailed(Sql sql, String runId, int chunkIndex, String error) throws SQLException {
    return sql.update(
            "UPDATE chunk_tasks SET status = 'failed', last_error = ?, updated_at = ? WHERE run_id = ?"
                + " AND chunk_index = ? AND status = 'running'",
            error,
            Instant.now().toString(),
            runId,
            chunkIndex)
        > 0;
  }

  void resetRunning(Sql sql, String runId) throws SQLException {
    sql.update(
        "UPDATE chunk_tasks SET status = 'pending', updated_at = ? WHERE run_id = ? AND status = 'running'",
        Instant.now().toString(),
        runId);
  }

  void reopen(Sql sql, String runId, int chunkIndex) throws SQLException {
    sql.update(
        "UPDATE chunk_tasks SET status = 'pending', updated_at = ? WHERE run_id = ? AND chunk_index = ?",
        Instant.now().toString(),
        runId,
        chunkIndex);
  }

  /** Whether the run exists and is neither completed, failed nor abandoned. */
  boolean inProgress(Sql sql, String runId) throws SQLException {
    return sql.first(
            "SELECT 1 FROM runs WHERE run_id = ? AND status = 'in_progress'", rs -> true, runId)
        .orElse(false);
  }

  /** The chunk's restriction {@code [start, end)} as stored when the run was created. */
  long[] bounds(Sql sql, String runId, int chunkIndex) throws SQLException {
    return sql.first(
            "SELECT start_key, end_key FROM chunk_tasks WHERE run_id = ? AND chunk_index = ?",
            rs -> new long[] {rs.getLong(1), rs.getLong(2)},
            runId,
            chunkIndex)
        .orElseThrow(() -> new SQLException("no chunk " + chunkIndex + " in run " + runId));
  }

  /**
   * Records a chunk's rows so far, and completes it when its parts cover its restriction; true when
   * this call completed it.
   */
  boolean progress(Sql sql, String runId, int chunkIndex, ChunkCoverage coverage)
      throws SQLException {
    int updated =
        sql.update(
            "UPDATE chunk_tasks SET rows_written = ?, status = CASE WHEN ? THEN 'completed' ELSE status END,"
                + " updated_at = ? WHERE run_id = ? AND chunk_index = ? AND status <> 'completed'",
            coverage.rows(),
            coverage.complete(),
            Instant.now().toString(),
            runId,
            chunkIndex);
    return coverage.complete() && updated > 0;
  }

  List<ChunkTask> chunks(Sql sql, String runId) throws SQLException {
    return sql.list(
        "SELECT run_id, chunk_index, kind, start_key, end_key, status, attempts, rows_written, last_error"
            + " FROM chunk_tasks WHERE run_id = ? ORDER BY chunk_index",
        rs ->
            new ChunkTask(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getString(6),
                rs.getInt(7),
                rs.getLong(8),
                rs.getString(9)),
        runId);
  }
}
