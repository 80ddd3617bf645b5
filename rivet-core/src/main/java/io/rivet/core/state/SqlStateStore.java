package io.rivet.core.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.plan.ExportPlan;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link StateStore} on a SQL database, one transaction per call: the tables belong to
 * repositories (runs and chunk tasks, the ledger, leases, the journal, cursors, baselines,
 * metrics), what differs between databases to its {@link StoreBackend}. A fenced export's writes
 * check its lease inside the same transaction.
 */
final class SqlStateStore implements StateStore {
  private final Transactions tx;
  private final LeaseRepository leases = new LeaseRepository();
  private final RunRepository runs = new RunRepository();
  private final LedgerRepository ledger = new LedgerRepository();
  private final JournalRepository journal = new JournalRepository();
  private final CursorRepository cursors = new CursorRepository();
  private final BaselineRepository baselines = new BaselineRepository();
  private final MetricsRepository metrics = new MetricsRepository();
  private final String describe;

  SqlStateStore(StoreBackend backend) {
    this.describe = backend.describe();
    Connection c = null;
    try {
      c = backend.open();
      Transactions t = new Transactions(backend, c);
      t.run("create or migrate", sql -> Migrations.apply(sql, backend.migrations()));
      this.tx = t;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(c);
      backend.discardIfCreated();
      throw e instanceof SQLException se
          ? Transactions.failure(backend, "open", se)
          : (RuntimeException) e;
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (SQLException ignored) {
      // the failure being reported matters more
    }
  }

  @Override
  public String storeId() {
    return tx.run(
        "read store id",
        sql ->
            sql.first("SELECT store_id FROM store_identity", rs -> rs.getString(1))
                .orElseThrow(() -> new SQLException("the store_identity table is empty")));
  }

  @Override
  public Lease acquireLease(String exportName, String token, Duration ttl) {
    return tx.run(
        "take the lease of " + exportName, sql -> leases.acquire(sql, exportName, token, ttl));
  }

  @Override
  public boolean renewLease(String exportName, String token, String runId, Duration ttl) {
    return tx.run(
        "renew the lease of " + exportName,
        sql -> leases.renew(sql, exportName, token, runId, ttl));
  }

  @Override
  public void releaseLease(String exportName, String token) {
    tx.write("release the lease of " + exportName, sql -> leases.release(sql, exportName, token));
  }

  @Override
  public Optional<Lease> lease(String exportName) {
    return tx.run("read the lease of " + exportName, sql -> leases.of(sql, exportName));
  }

  @Override
  public List<Lease> leases() {
    return tx.run("read leases", leases::all);
  }

  @Override
  public void fence(String exportName, String token) {
    leases.fence(exportName, token);
  }

  @Override
  public void checkFence(String exportName) {
    tx.write("check the lease of " + exportName, sql -> leases.checkFence(sql, exportName));
  }

  @Override
  public Optional<RunRecord> unfinishedRun(String exportName) {
    return tx.run("read runs", sql -> runs.unfinished(sql, exportName));
  }

  @Override
  public Optional<RunRecord> run(String runId) {
    return tx.run("read run", sql -> runs.byId(sql, runId));
  }

  @Override
  public List<RunRecord> runs(String exportName, int limit) {
    return tx.run("read runs", sql -> runs.latest(sql, exportName, limit));
  }

  /**
   * Records the run with its plan, stored without the connection: credentials never reach the state
   * store.
   */
  @Override
  public void createRun(ExportPlan plan) {
    String json;
    try {
      json = Json.MAPPER.writeValueAsString(plan.withConnection(null));
    } catch (JsonProcessingException e) {
      throw new RivetException(
          ErrorCode.INTERNAL, "cannot serialize the plan of " + plan.runId(), e);
    }
    tx.write(
        "create run",
        sql -> {
          leases.checkFence(sql, plan.exportName());
          runs.create(sql, plan, json);
        });
  }

  @Override
  public ExportPlan loadPlan(String runId) {
    String json =
        tx.run("read plan", sql -> runs.planJson(sql, runId))
            .orElseThrow(
                () ->
                    new RivetException(
                        ErrorCode.STATE_STORE_FAILED,
                        "state store " + describe + " has no run " + runId));
    try {
      return Json.MAPPER.readValue(json, ExportPlan.class);
    } catch (JsonProcessingException e) {
      throw new RivetException(
          ErrorCode.STATE_STORE_FAILED,
          "the stored plan of run " + runId + " cannot be read: " + e.getMessage(),
          e);
    }
  }

  @Override
  public void resetRunning(String runId) {
    tx.write("reset running chunks", sql -> runs.resetRunning(sql, runId));
  }

  @Override
  public void chunkStarted(String runId, int chunkIndex) {
    tx.write(
        "start chunk",
        sql -> {
          leases.checkFenceOfRun(sql, runId);
          int attempt = runs.chunkStarted(sql, runId, chunkIndex);
          if (attempt > 0) {
            ChunkTask t = task(sql, runId, chunkIndex);
            journal.append(
                sql,
                runId,
                exportOf(sql, runId),
                "ChunkStarted",
                "{\"chunk_index\":"
                    + chunkIndex
                    + ",\"start_key\":"
                    + (t == null ? "null" : t.startKey())
                    + ",\"end_key\":"
                    + (t == null ? "null" : t.endKey())
                    + ",\"attempt\":"
                    + attempt
                    + "}");
          }
        });
  }

  @Override
  public void chunkFailed(String runId, int chunkIndex, String error) {
    tx.write(
        "fail chunk",
        sql -> {
          leases.checkFenceOfRun(sql, runId);
          if (runs.chunkFailed(sql, runId, chunkIndex, error)) {
            ChunkTask t = task(sql, runId, chunkIndex);
            journal.append(
                sql,
                runId,
                exportOf(sql, runId),
                "ChunkFailed",
                json(
                    Map.of(
                        "chunk_index",
                        chunkIndex,
                        "error",
                        String.valueOf(error),
                        "attempt",
                        t == null ? 0 : t.attempts())));
          }
        });
  }

  /**
   * Records the parts and, in the same transaction, their chunk's rows and whether the chunk is now
   * complete — unless the ledger already holds a part that overlaps one of them (see {@link
   * ChunkCoverage#admits}) or the run is over: a duplicate delivery changes nothing.
   */
  @Override
  public boolean commitParts(List<PartRecord> parts) {
    if (parts.isEmpty()) {
      return true;
    }
    PartRecord first = parts.get(0);
    for (PartRecord p : parts) {
      if (!p.runId().equals(first.runId()) || p.chunkIndex() != first.chunkIndex()) {
        throw new IllegalArgumentException("parts of one chunk are committed together");
      }
    }
    return tx.run(
        "commit part " + first.fileName(),
        sql -> {
          leases.checkFence(sql, first.exportName());
          if (!runs.inProgress(sql, first.runId())) {
            return false;
          }
          List<PartRecord> now =
              new ArrayList<>(ledger.ofChunk(sql, first.runId(), first.chunkIndex()));
          List<PartRecord> added = new ArrayList<>();
          for (PartRecord p : parts) {
            switch (ChunkCoverage.admits(now, p)) {
              case DUPLICATE -> {
                return false;
              }
              case NEW -> {
                now.add(p);
                added.add(p);
              }
              case ALREADY_COMMITTED -> {}
            }
          }
          for (PartRecord p : added) {
            ledger.commit(sql, p);
            if (p.isFile()) {
              journal.append(
                  sql,
                  p.runId(),
                  p.exportName(),
                  "FileWritten",
                  json(
                      Map.of(
                          "file_name",
                          p.fileName(),
                          "rows",
                          p.rows(),
                          "bytes",
                          p.bytes(),
                          "chunk_index",
                          p.chunkIndex())));
            }
          }
          long[] bounds = runs.bounds(sql, first.runId(), first.chunkIndex());
          ChunkCoverage coverage = ChunkCoverage.of(bounds[0], bounds[1], now);
          if (runs.progress(sql, first.runId(), first.chunkIndex(), coverage)) {
            journal.append(
                sql,
                first.runId(),
                first.exportName(),
                "ChunkCompleted",
                "{\"chunk_index\":"
                    + first.chunkIndex()
                    + ",\"rows\":"
                    + coverage.rows()
                    + ",\"files\":"
                    + now.stream().filter(PartRecord::isFile).count()
                    + "}");
          }
          return true;
        });
  }

  @Override
  public void forgetPart(String runId, String fileName) {
    tx.write("forget part", sql -> ledger.forget(sql, runId, fileName));
  }

  @Override
  public void reopenChunk(String runId, int chunkIndex) {
    tx.write("reopen chunk", sql -> runs.reopen(sql, runId, chunkIndex));
  }

  @Override
  public void forgetParts(String runId, int chunkIndex) {
    tx.write("forget parts", sql -> ledger.forgetChunk(sql, runId, chunkIndex));
  }

  @Override
  public void replaceChunkParts(
      String exportName, String runId, int chunkIndex, List<PartRecord> parts) {
    for (PartRecord p : parts) {
      if (!p.runId().equals(runId) || p.chunkIndex() != chunkIndex) {
        throw new IllegalArgumentException("parts of one chunk are replaced together");
      }
    }
    tx.write(
        "replace parts of chunk " + chunkIndex,
        sql -> {
          leases.checkFence(sql, exportName);
          ledger.forgetChunk(sql, runId, chunkIndex);
          for (PartRecord p : parts) {
            ledger.commit(sql, p);
          }
        });
  }

  @Override
  public List<PartRecord> parts(String runId) {
    return tx.run("read ledger", sql -> ledger.ofRun(sql, runId));
  }

  @Override
  public List<PartRecord> parts(String runId, int chunkIndex) {
    return tx.run("read ledger", sql -> ledger.ofChunk(sql, runId, chunkIndex));
  }

  @Override
  public List<PartRecord> files(String exportName, int limit) {
    return tx.run("read files", sql -> ledger.latestFiles(sql, exportName, limit));
  }

  @Override
  public List<ChunkTask> chunks(String runId) {
    return tx.run("read chunks", sql -> runs.chunks(sql, runId));
  }

  @Override
  public void finishRun(String runId, String status) {
    tx.write(
        "finish run",
        sql -> {
          leases.checkFenceOfRun(sql, runId);
          runs.finish(sql, runId, status);
        });
  }

  private static String json(Map<String, Object> payload) {
    try {
      return Json.MAPPER.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ChunkTask task(Sql sql, String runId, int chunkIndex) throws SQLException {
    return runs.chunks(sql, runId).stream()
        .filter(t -> t.chunkIndex() == chunkIndex)
        .findFirst()
        .orElse(null);
  }

  private String exportOf(Sql sql, String runId) throws SQLException {
    return runs.byId(sql, runId).map(RunRecord::exportName).orElse("");
  }

  @Override
  public void journal(String runId, String exportName, String event, String payloadJson) {
    tx.write("write journal", sql -> journal.append(sql, runId, exportName, event, payloadJson));
  }

  @Override
  public List<String> journal(String runId) {
    return tx.run("read journal", sql -> journal.events(sql, runId));
  }

  @Override
  public List<String[]> journalEntries(String runId) {
    return tx.run("read journal", sql -> journal.entries(sql, runId));
  }

  @Override
  public String cursor(String exportName) {
    return tx.run("read cursor", sql -> cursors.get(sql, exportName));
  }

  @Override
  public void storeCursor(String exportName, String value, String runId) {
    tx.write(
        "store cursor",
        sql -> {
          leases.checkFence(sql, exportName);
          cursors.put(sql, exportName, value, runId);
        });
  }

  @Override
  public Map<String, String[]> cursors() {
    return tx.run("read cursors", cursors::all);
  }

  @Override
  public String schemaBaseline(String exportName) {
    return tx.run("read schema baseline", sql -> baselines.schema(sql, exportName));
  }

  @Override
  public void storeSchemaBaseline(String exportName, String columnsJson) {
    tx.write("store schema baseline", sql -> baselines.putSchema(sql, exportName, columnsJson));
  }

  @Override
  public Map<String, Integer> shapeBaseline(String exportName) {
    return tx.run("read shape", sql -> baselines.shape(sql, exportName));
  }

  @Override
  public void storeShape(String exportName, Map<String, Integer> maxBytes) {
    tx.write("store shape", sql -> baselines.putShape(sql, exportName, maxBytes));
  }

  @Override
  public void recordMetrics(MetricsRecord m) {
    tx.write("record metrics", sql -> metrics.record(sql, m));
  }

  @Override
  public List<MetricsRecord> metrics(String exportName, int limit) {
    return tx.run("read metrics", sql -> metrics.latest(sql, exportName, limit));
  }

  @Override
  public void close() {
    tx.close();
  }
}
