package io.rivet.core.state;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code export_leases}: one writer per export. A lease names its holder (host, pid, process start)
 * and expires unless its heartbeat renews it; writes of a fenced export check first that the lease
 * is still this process's.
 */
final class LeaseRepository {
  private static final String COLUMNS =
      "export_name, token, run_id, host, pid, process_start, acquired_at,"
          + " heartbeat_at, expires_at";

  /** Exports whose writes check the lease token first (see {@link #fence}). */
  private final Map<String, String> fences = new ConcurrentHashMap<>();

  /**
   * Takes the lease under {@code token} unless another live holder has it; returns the lease in
   * force after.
   */
  Lease acquire(Sql sql, String exportName, String token, Duration ttl) throws SQLException {
    Instant now = Instant.now();
    Optional<Lease> current = of(sql, exportName);
    if (current.isPresent() && current.get().isLiveAt(now)) {
      return current.get();
    }
    Lease mine = Lease.mine(exportName, token, now, ttl);
    sql.update(
        "INSERT INTO export_leases ("
            + COLUMNS
            + ") VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (export_name) DO UPDATE SET token = excluded.token, run_id = NULL, host = excluded.host,"
            + " pid = excluded.pid, process_start = excluded.process_start, acquired_at = excluded.acquired_at,"
            + " heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at",
        exportName,
        mine.token(),
        mine.host(),
        mine.pid(),
        mine.processStart(),
        mine.acquiredAt(),
        mine.heartbeatAt(),
        mine.expiresAt());
    return mine;
  }

  boolean renew(Sql sql, String exportName, String token, String runId, Duration ttl)
      throws SQLException {
    Instant now = Instant.now();
    return sql.update(
            "UPDATE export_leases SET heartbeat_at = ?, expires_at = ?, run_id = coalesce(CAST(? AS TEXT), run_id)"
                + " WHERE export_name = ? AND token = ?",
            now.toString(),
            now.plus(ttl).toString(),
            runId,
            exportName,
            token)
        == 1;
  }

  void release(Sql sql, String exportName, String token) throws SQLException {
    sql.update("DELETE FROM export_leases WHERE export_name = ? AND token = ?", exportName, token);
    fences.remove(exportName, token);
  }

  Optional<Lease> of(Sql sql, String exportName) throws SQLException {
    return sql.first(
        "SELECT " + COLUMNS + " FROM export_leases WHERE export_name = ?",
        LeaseRepository::lease,
        exportName);
  }

  List<Lease> all(Sql sql) throws SQLException {
    return sql.list(
        "SELECT " + COLUMNS + " FROM export_leases ORDER BY export_name", LeaseRepository::lease);
  }

  private static Lease lease(ResultSet rs) throws SQLException {
    return new Lease(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9));
  }

  void fence(String exportName, String token) {
    fences.put(exportName, token);
  }

  /** Fails with {@code LEASE_LOST} unless a fenced export's lease is still this process's token. */
  void checkFence(Sql sql, String exportName) throws SQLException {
    String token = fences.get(exportName);
    if (token == null) {
      return;
    }
    Optional<Lease> now = of(sql, exportName);
    if (now.isEmpty() || !now.get().token().equals(token)) {
      throw new RivetException(
          ErrorCode.LEASE_LOST,
          "export '"
              + exportName
              + "': this process lost its lease on the"
              + " export"
              + now.map(l -> " to " + l.holder() + " (run " + l.runId() + ")").orElse("")
              + " — its heartbeat stopped for longer than the lease lasts (a paused, frozen or partitioned process), and"
              + " another run took over; this process stopped writing, and the run that holds the lease continues");
    }
  }

  /** {@link #checkFence} for the export of a run. */
  void checkFenceOfRun(Sql sql, String runId) throws SQLException {
    if (fences.isEmpty()) {
      return;
    }
    Optional<String> export =
        sql.first("SELECT export_name FROM runs WHERE run_id = ?", rs -> rs.getString(1), runId);
    if (export.isPresent()) {
      checkFence(sql, export.get());
    }
  }
}
