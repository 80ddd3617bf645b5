package io.rivet.core.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** {@link StateStore} on an embedded SQLite file (WAL, immediate transactions, so concurrent workers queue). */
final class JdbcStateStore implements StateStore {
  private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final String url;
  private final Connection c;
  /** Exports whose writes check the lease token first (see {@link #fence}). */
  private final java.util.Map<String, String> fences = new java.util.concurrent.ConcurrentHashMap<>();

  JdbcStateStore(String url) {
    this.url = url;
    java.nio.file.Path file = url.startsWith("jdbc:sqlite:") ? java.nio.file.Path.of(url.substring("jdbc:sqlite:".length()))
        : null;
    boolean existed = file != null && java.nio.file.Files.exists(file);
    Connection opened = null;
    try {
      Properties p = new Properties();
      p.setProperty("journal_mode", "WAL");
      p.setProperty("busy_timeout", Long.toString(busyTimeoutMs()));
      p.setProperty("synchronous", "FULL");
      // Autocommit on, with explicit BEGIN IMMEDIATE per transaction: the driver's own transactions would
      // re-open one right after each commit, and an idle worker would then hold the write lock forever.
      opened = DriverManager.getConnection(url, p);
      opened.setAutoCommit(true);
      c = opened;
      tx("create or migrate", () -> Migrations.apply(c));
    } catch (SQLException | RuntimeException e) {
      closeQuietly(opened);
      if (file != null && !existed) {
        // A store this open created and could not set up is removed, not left as an empty file to trip the next run.
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
          try {
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(file + suffix));
          } catch (java.io.IOException ignored) {
            // a read-only directory cannot have had the file created either
          }
        }
      }
      throw e instanceof SQLException se ? fail("open", se) : (RuntimeException) e;
    }
  }

  /** How long a write waits for another process's transaction; {@code RIVET_STATE_BUSY_TIMEOUT_MS} overrides 60 s. */
  private static long busyTimeoutMs() {
    String v = System.getenv("RIVET_STATE_BUSY_TIMEOUT_MS");
    try {
      return v == null || v.isBlank() ? 60_000 : Math.max(0, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return 60_000;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // the failure being reported matters more
      }
    }
  }

  private RivetException fail(String what, SQLException e) {
    return new RivetException(ErrorCode.STATE_STORE_FAILED, "state store " + url + ": " + what + " failed: "
        + StateStoreFaults.describe(e), e);
  }

  private interface Tx<T> {
    T run() throws SQLException;
  }

  /** Runs {@code body} in one transaction that holds the write lock from its start, so writers queue instead of deadlocking. */
  private synchronized <T> T tx(String what, Tx<T> body) {
    try (Statement st = c.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      try {
        T out = body.run();
        st.execute("COMMIT");
        return out;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(st, e);
        throw e;
      }
    } catch (SQLException e) {
      throw fail(what, e);
    }
  }

  /**
   * Rolls back after a failure, keeping the failure as the error: a failed COMMIT (disk full) may already have
   * ended the transaction, and "no transaction is active" would hide its cause.
   */
  private static void rollbackQuietly(Statement st, Exception cause) {
    try {
      st.execute("ROLLBACK");
    } catch (SQLException alreadyEnded) {
      cause.addSuppressed(alreadyEnded);
    }
  }

  private static String now() {
    return Instant.now().toString();
  }

  @Override
  public String storeId() {
    return tx("read store id", () -> {
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT store_id FROM store_identity")) {
        if (!rs.next()) {
          throw new SQLException("the store_identity table is empty");
        }
        return rs.getString(1);
      }
    });
  }

  @Override
  public Lease acquireLease(String exportName, String token, java.time.Duration ttl) {
    return tx("take the lease of " + exportName, () -> {
      Instant now = Instant.now();
      Optional<Lease> current = leaseOf(exportName);
      if (current.isPresent() && current.get().isLiveAt(now)) {
        return current.get();
      }
      Lease mine = Lease.mine(exportName, token, now, ttl);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO export_leases (export_name, token, run_id, host, pid,"
          + " process_start, acquired_at, heartbeat_at, expires_at) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (export_name) DO UPDATE SET token = excluded.token, run_id = NULL, host = excluded.host,"
          + " pid = excluded.pid, process_start = excluded.process_start, acquired_at = excluded.acquired_at,"
          + " heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at")) {
        ps.setString(1, exportName);
        ps.setString(2, mine.token());
        ps.setString(3, mine.host());
        ps.setLong(4, mine.pid());
        ps.setString(5, mine.processStart());
        ps.setString(6, mine.acquiredAt());
        ps.setString(7, mine.heartbeatAt());
        ps.setString(8, mine.expiresAt());
        ps.executeUpdate();
      }
      return mine;
    });
  }

  @Override
  public boolean renewLease(String exportName, String token, String runId, java.time.Duration ttl) {
    return tx("renew the lease of " + exportName, () -> {
      Instant now = Instant.now();
      try (PreparedStatement ps = c.prepareStatement("UPDATE export_leases SET heartbeat_at = ?, expires_at = ?,"
          + " run_id = coalesce(?, run_id) WHERE export_name = ? AND token = ?")) {
        ps.setString(1, now.toString());
        ps.setString(2, now.plus(ttl).toString());
        ps.setString(3, runId);
        ps.setString(4, exportName);
        ps.setString(5, token);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void releaseLease(String exportName, String token) {
    update("release the lease of " + exportName, "DELETE FROM export_leases WHERE export_name = ? AND token = ?",
        exportName, token);
    fences.remove(exportName, token);
  }

  @Override
  public Optional<Lease> lease(String exportName) {
    return tx("read the lease of " + exportName, () -> leaseOf(exportName));
  }

  @Override
  public List<Lease> leases() {
    return tx("read leases", () -> {
      List<Lease> out = new ArrayList<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT export_name FROM export_leases"
          + " ORDER BY export_name")) {
        List<String> names = new ArrayList<>();
        while (rs.next()) {
          names.add(rs.getString(1));
        }
        for (String n : names) {
          leaseOf(n).ifPresent(out::add);
        }
      }
      return out;
    });
  }

  private Optional<Lease> leaseOf(String exportName) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT export_name, token, run_id, host, pid, process_start,"
        + " acquired_at, heartbeat_at, expires_at FROM export_leases WHERE export_name = ?")) {
      ps.setString(1, exportName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Lease(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9))) : Optional.empty();
      }
    }
  }

  @Override
  public void fence(String exportName, String token) {
    fences.put(exportName, token);
  }

  @Override
  public void checkFence(String exportName) {
    tx("check the lease of " + exportName, () -> {
      fenced(exportName);
      return null;
    });
  }

  /** Inside a transaction: fails unless a fenced export's lease is still this store's token. */
  private void fenced(String exportName) throws SQLException {
    String token = fences.get(exportName);
    if (token == null) {
      return;
    }
    Optional<Lease> now = leaseOf(exportName);
    if (now.isEmpty() || !now.get().token().equals(token)) {
      throw new RivetException(ErrorCode.LEASE_LOST, "export '" + exportName + "': this process lost its lease on the"
          + " export" + now.map(l -> " to " + l.holder() + " (run " + l.runId() + ")").orElse("")
          + " — its heartbeat stopped for longer than the lease lasts (a paused, frozen or partitioned process), and"
          + " another run took over; this process stopped writing, and the run that holds the lease continues");
    }
  }

  private void fencedRun(String runId) throws SQLException {
    if (fences.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT export_name FROM runs WHERE run_id = ?")) {
      ps.setString(1, runId);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          fenced(rs.getString(1));
        }
      }
    }
  }

  @Override
  public Optional<RunRecord> unfinishedRun(String exportName) {
    return tx("read runs", () -> first(runs("SELECT run_id, export_name, plan_hash, status, created_at, updated_at FROM runs"
        + " WHERE export_name = ? AND status = 'in_progress' ORDER BY created_at DESC", exportName)));
  }

  @Override
  public Optional<RunRecord> run(String runId) {
    return tx("read run", () -> first(runs("SELECT run_id, export_name, plan_hash, status, created_at, updated_at FROM runs"
        + " WHERE run_id = ?", runId)));
  }

  private static <T> Optional<T> first(List<T> l) {
    return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
  }

  private List<RunRecord> runs(String sql, String arg) throws SQLException {
    List<RunRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
        }
      }
    }
    return out;
  }

  @Override
  public void createRun(ExportPlan plan) {
    String json;
    try {
      json = JSON.writeValueAsString(withoutCredentials(plan));
    } catch (IOException e) {
      throw new RivetException(ErrorCode.INTERNAL, "cannot serialize the plan of " + plan.runId(), e);
    }
    tx("create run", () -> {
      fenced(plan.exportName());
      String now = now();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (run_id, export_name, plan_hash, status, plan_json,"
          + " created_at, updated_at) VALUES (?, ?, ?, 'in_progress', ?, ?, ?)")) {
        ps.setString(1, plan.runId());
        ps.setString(2, plan.exportName());
        ps.setString(3, plan.planHash());
        ps.setString(4, json);
        ps.setString(5, now);
        ps.setString(6, now);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO chunk_tasks (run_id, chunk_index, kind, start_key, end_key,"
          + " status, attempts, rows_written, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, 0, ?)")) {
        for (ChunkSpec ch : plan.chunks()) {
          ps.setString(1, plan.runId());
          ps.setInt(2, ch.index());
          ps.setString(3, ch.kind().name());
          ps.setLong(4, ch.lo());
          ps.setLong(5, ch.hi());
          ps.setString(6, now);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  private static ExportPlan withoutCredentials(ExportPlan p) {
    return p.withConnection(null);
  }

  @Override
  public ExportPlan loadPlan(String runId) {
    String json = tx("read plan", () -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT plan_json FROM runs WHERE run_id = ?")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    });
    if (json == null) {
      throw new RivetException(ErrorCode.STATE_STORE_FAILED, "state store " + url + " has no run " + runId);
    }
    try {
      return JSON.readValue(json, ExportPlan.class);
    } catch (IOException e) {
      throw new RivetException(ErrorCode.STATE_STORE_FAILED, "the stored plan of run " + runId + " cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public void resetRunning(String runId) {
    update("reset running chunks", "UPDATE chunk_tasks SET status = 'pending', updated_at = ? WHERE run_id = ? AND status = 'running'",
        now(), runId);
  }

  @Override
  public void chunkStarted(String runId, int chunkIndex) {
    runUpdate(runId, "start chunk", "UPDATE chunk_tasks SET attempts = attempts + CASE WHEN status = 'running' THEN 0 ELSE 1 END,"
        + " status = 'running', updated_at = ? WHERE run_id = ? AND chunk_index = ? AND status IN ('pending', 'failed', 'running')",
        now(), runId, chunkIndex);
  }

  @Override
  public void chunkFailed(String runId, int chunkIndex, String error) {
    runUpdate(runId, "fail chunk", "UPDATE chunk_tasks SET status = 'failed', last_error = ?, updated_at = ? WHERE run_id = ?"
        + " AND chunk_index = ? AND status = 'running'", error, now(), runId, chunkIndex);
  }

  private void runUpdate(String runId, String what, String sql, Object... args) {
    tx(what, () -> {
      fencedRun(runId);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setObject(i + 1, args[i]);
        }
        return ps.executeUpdate();
      }
    });
  }

  private void fencedUpdate(String exportName, String what, String sql, Object... args) {
    tx(what, () -> {
      fenced(exportName);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setObject(i + 1, args[i]);
        }
        return ps.executeUpdate();
      }
    });
  }

  private void update(String what, String sql, Object... args) {
    tx(what, () -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          ps.setObject(i + 1, args[i]);
        }
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public void commitPart(PartRecord p) {
    tx("commit part " + p.fileName(), () -> {
      fenced(p.exportName());
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO file_ledger (run_id, export_name, chunk_index, range_start,"
          + " range_end, file_name, row_count, bytes, fingerprint, created_at, last_key, shape_json, content_md5, store_tag)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (run_id, file_name) DO UPDATE SET range_end = excluded.range_end, row_count = excluded.row_count,"
          + " bytes = excluded.bytes, fingerprint = excluded.fingerprint, last_key = excluded.last_key,"
          + " shape_json = excluded.shape_json, content_md5 = excluded.content_md5, store_tag = excluded.store_tag")) {
        ps.setString(1, p.runId());
        ps.setString(2, p.exportName());
        ps.setInt(3, p.chunkIndex());
        ps.setLong(4, p.rangeStart());
        ps.setLong(5, p.rangeEnd());
        ps.setString(6, p.fileName());
        ps.setLong(7, p.rows());
        ps.setLong(8, p.bytes());
        ps.setString(9, p.fingerprint());
        ps.setString(10, now());
        ps.setString(11, p.lastKey());
        ps.setString(12, shapeJson(p.maxBytes()));
        ps.setString(13, p.md5());
        ps.setString(14, p.storeTag());
        ps.executeUpdate();
      }
      long[] bounds = chunkBounds(p.runId(), p.chunkIndex());
      List<PartRecord> parts = partsOf(p.runId(), p.chunkIndex());
      long covered = bounds[0];
      long rows = 0;
      for (PartRecord r : parts) {
        if (r.rangeStart() <= covered && r.rangeEnd() > covered) {
          covered = r.rangeEnd();
        }
        rows += r.rows();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE chunk_tasks SET rows_written = ?, status = CASE WHEN ? THEN"
          + " 'completed' ELSE status END, updated_at = ? WHERE run_id = ? AND chunk_index = ? AND status <> 'completed'")) {
        ps.setLong(1, rows);
        ps.setBoolean(2, covered >= bounds[1]);
        ps.setString(3, now());
        ps.setString(4, p.runId());
        ps.setInt(5, p.chunkIndex());
        ps.executeUpdate();
      }
      return null;
    });
  }

  private long[] chunkBounds(String runId, int chunkIndex) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT start_key, end_key FROM chunk_tasks WHERE run_id = ? AND chunk_index = ?")) {
      ps.setString(1, runId);
      ps.setInt(2, chunkIndex);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no chunk " + chunkIndex + " in run " + runId);
        }
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  @Override
  public void forgetPart(String runId, String fileName) {
    update("forget part", "DELETE FROM file_ledger WHERE run_id = ? AND file_name = ?", runId, fileName);
  }

  @Override
  public void reopenChunk(String runId, int chunkIndex) {
    update("reopen chunk", "UPDATE chunk_tasks SET status = 'pending', updated_at = ? WHERE run_id = ? AND chunk_index = ?",
        now(), runId, chunkIndex);
  }

  @Override
  public void forgetParts(String runId, int chunkIndex) {
    update("forget parts", "DELETE FROM file_ledger WHERE run_id = ? AND chunk_index = ?", runId, chunkIndex);
  }

  @Override
  public List<PartRecord> parts(String runId) {
    return tx("read ledger", () -> ledger("WHERE run_id = ? ORDER BY chunk_index, range_start", runId, null));
  }

  @Override
  public List<PartRecord> parts(String runId, int chunkIndex) {
    return tx("read ledger", () -> partsOf(runId, chunkIndex));
  }

  private List<PartRecord> partsOf(String runId, int chunkIndex) throws SQLException {
    return ledger("WHERE run_id = ? AND chunk_index = ? ORDER BY range_start", runId, chunkIndex);
  }

  private List<PartRecord> ledger(String where, String runId, Integer chunk) throws SQLException {
    List<PartRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT run_id, export_name, chunk_index, range_start, range_end, file_name,"
        + " row_count, bytes, fingerprint, last_key, shape_json, content_md5, store_tag FROM file_ledger " + where)) {
      ps.setString(1, runId);
      if (chunk != null) {
        ps.setInt(2, chunk);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new PartRecord(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5),
              rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), shape(rs.getString(11)),
              rs.getString(12), rs.getString(13)));
        }
      }
    }
    return out;
  }

  private static String shapeJson(java.util.Map<String, Integer> m) {
    try {
      return m.isEmpty() ? null : JSON.writeValueAsString(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.util.Map<String, Integer> shape(String json) {
    try {
      return json == null ? java.util.Map.of()
          : JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Integer>>() {});
    } catch (IOException e) {
      return java.util.Map.of();
    }
  }

  @Override
  public java.util.Map<String, Integer> shapeBaseline(String exportName) {
    return tx("read shape", () -> {
      java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT column_name, max_byte_len FROM export_shape WHERE export_name = ?")) {
        ps.setString(1, exportName);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getInt(2));
          }
        }
      }
      return out;
    });
  }

  @Override
  public void storeShape(String exportName, java.util.Map<String, Integer> maxBytes) {
    tx("store shape", () -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO export_shape (export_name, column_name, max_byte_len, updated_at)"
          + " VALUES (?, ?, ?, ?) ON CONFLICT (export_name, column_name) DO UPDATE SET max_byte_len = excluded.max_byte_len,"
          + " updated_at = excluded.updated_at")) {
        for (var e : maxBytes.entrySet()) {
          ps.setString(1, exportName);
          ps.setString(2, e.getKey());
          ps.setInt(3, e.getValue());
          ps.setString(4, now());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<ChunkTask> chunks(String runId) {
    return tx("read chunks", () -> {
      List<ChunkTask> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT run_id, chunk_index, kind, start_key, end_key, status, attempts,"
          + " rows_written, last_error FROM chunk_tasks WHERE run_id = ? ORDER BY chunk_index")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new ChunkTask(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getString(6), rs.getInt(7), rs.getLong(8), rs.getString(9)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public void finishRun(String runId, String status) {
    tx("finish run", () -> {
      fencedRun(runId);
      try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, updated_at = ? WHERE run_id = ?"
          + " AND status = 'in_progress'")) {
        ps.setString(1, status);
        ps.setString(2, now());
        ps.setString(3, runId);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public void journal(String runId, String exportName, String event, String payloadJson) {
    update("write journal", "INSERT INTO journal (run_id, export_name, recorded_at, event, payload_json) VALUES (?, ?, ?, ?, ?)",
        runId, exportName, now(), event, payloadJson);
  }

  @Override
  public List<String> journal(String runId) {
    return tx("read journal", () -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT event FROM journal WHERE run_id = ? ORDER BY id")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    });
  }

  @Override
  public String cursor(String exportName) {
    return tx("read cursor", () -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT last_cursor_value FROM export_state WHERE export_name = ?")) {
        ps.setString(1, exportName);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    });
  }

  @Override
  public void storeCursor(String exportName, String value, String runId) {
    fencedUpdate(exportName, "store cursor", "INSERT INTO export_state (export_name, last_cursor_value, last_run_id, updated_at) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (export_name) DO UPDATE SET last_cursor_value = excluded.last_cursor_value,"
        + " last_run_id = excluded.last_run_id, updated_at = excluded.updated_at", exportName, value, runId, now());
  }

  @Override
  public java.util.Map<String, String[]> cursors() {
    return tx("read cursors", () -> {
      java.util.Map<String, String[]> out = new java.util.LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT export_name, last_cursor_value, last_run_id, updated_at"
          + " FROM export_state ORDER BY export_name"); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
        }
      }
      return out;
    });
  }

  @Override
  public String schemaBaseline(String exportName) {
    return tx("read schema baseline", () -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT columns_json FROM export_schema WHERE export_name = ?")) {
        ps.setString(1, exportName);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    });
  }

  @Override
  public void storeSchemaBaseline(String exportName, String columnsJson) {
    update("store schema baseline", "INSERT INTO export_schema (export_name, columns_json, updated_at) VALUES (?, ?, ?)"
        + " ON CONFLICT (export_name) DO UPDATE SET columns_json = excluded.columns_json, updated_at = excluded.updated_at",
        exportName, columnsJson, now());
  }

  @Override
  public void recordMetrics(MetricsRecord m) {
    update("record metrics", "INSERT INTO export_metrics (export_name, run_id, run_at, duration_ms, total_rows, peak_rss_mb,"
        + " status, error_message, tuning_profile, format, mode, files_produced, bytes_written, retries, validated,"
        + " schema_changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", m.exportName(), m.runId(), m.runAt(),
        m.durationMs(), m.totalRows(), m.peakRssMb(), m.status(), m.errorMessage(), m.tuningProfile(), m.format(), m.mode(),
        m.filesProduced(), m.bytesWritten(), m.retries(), m.validated() ? 1 : 0, m.schemaChanged() ? 1 : 0);
  }

  @Override
  public List<MetricsRecord> metrics(String exportName, int limit) {
    return tx("read metrics", () -> {
      List<MetricsRecord> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT export_name, run_id, run_at, duration_ms, total_rows, peak_rss_mb,"
          + " status, error_message, tuning_profile, format, mode, files_produced, bytes_written, retries, validated,"
          + " schema_changed FROM export_metrics WHERE (? IS NULL OR export_name = ?) ORDER BY id DESC LIMIT ?")) {
        ps.setString(1, exportName);
        ps.setString(2, exportName);
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new MetricsRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getInt(15) == 1, rs.getInt(16) == 1));
          }
        }
      }
      return out;
    });
  }

  @Override
  public List<RunRecord> runs(String exportName, int limit) {
    return tx("read runs", () -> {
      List<RunRecord> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT run_id, export_name, plan_hash, status, created_at, updated_at"
          + " FROM runs WHERE export_name = ? ORDER BY created_at DESC LIMIT ?")) {
        ps.setString(1, exportName);
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public List<PartRecord> files(String exportName, int limit) {
    return tx("read files", () -> {
      List<PartRecord> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT run_id, export_name, chunk_index, range_start, range_end, file_name,"
          + " row_count, bytes, fingerprint, last_key, created_at FROM file_ledger WHERE file_name NOT LIKE 'empty:%'"
          + " AND (? IS NULL OR export_name = ?) ORDER BY created_at DESC, file_name DESC LIMIT ?")) {
        ps.setString(1, exportName);
        ps.setString(2, exportName);
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new PartRecord(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5),
                rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10)));
          }
        }
      }
      return out;
    });
  }

  @Override
  public List<String[]> journalEntries(String runId) {
    return tx("read journal", () -> {
      List<String[]> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT recorded_at, event, payload_json FROM journal WHERE run_id = ? ORDER BY id")) {
        ps.setString(1, runId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
          }
        }
      }
      return out;
    });
  }

  @Override
  public synchronized void close() {
    try {
      c.close();
    } catch (SQLException e) {
      // closing is best effort; every write was already committed
    }
  }
}
