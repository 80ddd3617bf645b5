package io.rivet.core.state;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.plan.ExportPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The side transactional store of runs, chunk tasks, the file ledger and the journal. Every write
 * is one transaction and idempotent, so a retried bundle can repeat it safely.
 */
public interface StateStore extends AutoCloseable {
  /**
   * Opens the store at a JDBC URL — a SQLite file ({@code jdbc:sqlite:<file>}) or a PostgreSQL
   * schema ({@code jdbc:postgresql://…?currentSchema=<schema>}) — creating and migrating it on
   * first use.
   */
  static StateStore open(String ref) {
    String url = ref == null ? null : StateLocation.resolve(ref, System.getenv());
    if (url != null && url.startsWith(SqliteBackend.PREFIX)) {
      return new SqlStateStore(new SqliteBackend(url));
    }
    if (url != null && url.startsWith(PostgresBackend.PREFIX)) {
      return new SqlStateStore(new PostgresBackend(url));
    }
    throw new RivetException(
        ErrorCode.NOT_SUPPORTED_YET,
        "state store "
            + Redactor.redact(url)
            + ": a state store is a SQLite file ("
            + SqliteBackend.PREFIX
            + "<file>) or a PostgreSQL database ("
            + PostgresBackend.PREFIX
            + "//host:port/database?currentSchema=<schema>)");
  }

  /**
   * A random id made when the store is created: the destination marker names it, so a replaced
   * store is noticed.
   */
  String storeId();

  /**
   * Takes the export's lease for this process under {@code token} unless another live holder has
   * it, and returns the lease in force afterwards: this process's (with {@code token}) or the other
   * holder's.
   */
  Lease acquireLease(String exportName, String token, Duration ttl);

  /**
   * Extends this process's lease and records the run it writes; false if the lease is no longer
   * this token's.
   */
  boolean renewLease(String exportName, String token, String runId, Duration ttl);

  void releaseLease(String exportName, String token);

  /** The lease recorded for an export (live or not), if any. */
  Optional<Lease> lease(String exportName);

  /** Every lease recorded (live or not), by export name. */
  List<Lease> leases();

  /**
   * From now on, writes of this store for {@code exportName} (part commits, run creation and
   * completion, the cursor) first check that the export's lease is still {@code token}, and fail
   * with {@code LEASE_LOST} if not.
   */
  void fence(String exportName, String token);

  /** Fails with {@code LEASE_LOST} unless the fenced export's lease is still this store's token. */
  void checkFence(String exportName);

  /** The unfinished run of an export, if there is one. */
  Optional<RunRecord> unfinishedRun(String exportName);

  /** Records a new run and its chunk tasks (all pending). */
  void createRun(ExportPlan plan);

  /** The plan a run was started with, without connection credentials. */
  ExportPlan loadPlan(String runId);

  /** Resume: chunk tasks left {@code running} by a dead process go back to {@code pending}. */
  void resetRunning(String runId);

  /**
   * Marks a chunk running; counts an attempt unless it is already running (a split continues the
   * same attempt).
   */
  void chunkStarted(String runId, int chunkIndex);

  void chunkFailed(String runId, int chunkIndex, String error);

  /**
   * Records committed parts of one chunk, all or none, and completes the chunk when committed parts
   * cover its whole range. At most one part holds any position of a chunk and a name is one part's:
   * parts that overlap committed ones (another copy of the same work — a retried bundle, a zombie
   * worker, a speculative task) or arrive after their run ended are not recorded.
   *
   * @return true if these parts are the ledger's (newly, or already: the same parts committed
   *     again); false if none was recorded, and their files are not the export's
   */
  boolean commitParts(List<PartRecord> parts);

  /** {@link #commitParts} of one part. */
  default boolean commitPart(PartRecord part) {
    return commitParts(List.of(part));
  }

  /**
   * Drops one ledger entry (not its file): a resume found the object missing or changed and
   * rewrites it.
   */
  void forgetPart(String runId, String fileName);

  /**
   * Resume: a completed chunk that lost a part goes back to pending, so the lost range is read
   * again.
   */
  void reopenChunk(String runId, int chunkIndex);

  /**
   * Drops a chunk's ledger entries (not its files) before the chunk is read again from its start.
   */
  void forgetParts(String runId, int chunkIndex);

  /**
   * Repair: in one transaction, a chunk of a finished run gets {@code parts} (read again from its
   * source) in place of the parts it had, under the export's fence. Either the old parts or the new
   * ones are the chunk's, never neither or both.
   */
  void replaceChunkParts(String exportName, String runId, int chunkIndex, List<PartRecord> parts);

  List<PartRecord> parts(String runId);

  List<PartRecord> parts(String runId, int chunkIndex);

  List<ChunkTask> chunks(String runId);

  Optional<RunRecord> run(String runId);

  void finishRun(String runId, String status);

  void journal(String runId, String exportName, String event, String payloadJson);

  List<String> journal(String runId);

  /** The incremental cursor committed by the last successful run, or null. */
  String cursor(String exportName);

  /**
   * Stores the cursor of a run that committed every part (I3); {@code null} clears it ({@code rivet
   * state reset}).
   */
  void storeCursor(String exportName, String value, String runId);

  /** All stored cursors: export name → {@code [cursor, run id, updated at]}. */
  Map<String, String[]> cursors();

  /** The stored schema baseline (JSON of {@code [{name, type}]}), or null before the first run. */
  String schemaBaseline(String exportName);

  void storeSchemaBaseline(String exportName, String columnsJson);

  /**
   * The longest text/binary value per column seen by the export's previous runs (shape drift
   * baseline).
   */
  Map<String, Integer> shapeBaseline(String exportName);

  void storeShape(String exportName, Map<String, Integer> maxBytes);

  void recordMetrics(MetricsRecord m);

  List<MetricsRecord> metrics(String exportName, int limit);

  /** Runs of an export, newest first. */
  List<RunRecord> runs(String exportName, int limit);

  /** Ledger entries that name files, newest first, optionally of one export. */
  List<PartRecord> files(String exportName, int limit);

  /** The journal of a run: {@code [recorded_at, event, payload_json]} in order. */
  List<String[]> journalEntries(String runId);

  @Override
  void close();
}
