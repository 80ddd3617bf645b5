package io.rivet.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.Compression;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every state store does, whatever database it lives in: one subclass per backend ({@link
 * StateStoreTest} on a SQLite file, {@code PostgresStateStoreIT} on a PostgreSQL schema).
 */
abstract class StateStoreContract {
  @TempDir Path dir;

  /** The store this test uses: a new, empty one for each test. */
  protected abstract String url();

  /** Another store of the same backend. */
  protected abstract String otherUrl();

  /** The backend's schema versions, oldest first. */
  protected abstract List<List<String>> versions();

  /**
   * A connection to the store's database with the store's tables on its search path, for raw SQL.
   */
  protected Connection raw() throws Exception {
    return DriverManager.getConnection(url());
  }

  private ExportPlan plan(String url) {
    return new ExportPlan(
        "orders",
        "orders_1",
        "sha256:abc",
        null,
        "SELECT * FROM t",
        List.of(),
        "id",
        List.of(ColumnMapping.of("id", "int8", ColumnKind.INT64)),
        List.of(ChunkSpec.range(0, 1, 101), ChunkSpec.range(1, 101, 201), ChunkSpec.nullKeys(2)),
        FileFormat.PARQUET,
        Compression.ZSTD,
        null,
        "/out",
        "orders_x",
        1000,
        5000,
        TuningConfig.defaults(TuningConfig.Profile.BALANCED),
        false,
        false,
        false,
        url,
        "chunked",
        null,
        0,
        null,
        2.0,
        0);
  }

  @Test
  void storesThePlanAndItsChunksAsPending() {
    try (StateStore s = StateStore.open(url())) {
      s.createRun(plan(url()));
      assertThat(s.unfinishedRun("orders")).map(RunRecord::runId).contains("orders_1");
      assertThat(s.chunks("orders_1"))
          .extracting(ChunkTask::status)
          .containsOnly(ChunkTask.PENDING);
      ExportPlan back = s.loadPlan("orders_1");
      assertThat(back.chunks()).isEqualTo(plan(url()).chunks());
      assertThat(back.columns()).isEqualTo(plan(url()).columns());
      assertThat(back.connection()).isNull();
    }
  }

  @Test
  void aChunkCompletesOnlyWhenItsPartsCoverItsRange() {
    try (StateStore s = StateStore.open(url())) {
      s.createRun(plan(url()));
      s.chunkStarted("orders_1", 0);
      s.commitPart(new PartRecord("orders_1", "orders", 0, 1, 50, "p1", 10, 100, "sha256:1", null));
      assertThat(s.chunks("orders_1").get(0).status()).isEqualTo(ChunkTask.RUNNING);
      s.commitPart(PartRecord.empty("orders_1", "orders", 0, 50, 101));
      assertThat(s.chunks("orders_1").get(0).status()).isEqualTo(ChunkTask.COMPLETED);
      assertThat(s.chunks("orders_1").get(0).rowsWritten()).isEqualTo(10);
      // idempotent: a retried commit of the same part changes nothing
      s.commitPart(new PartRecord("orders_1", "orders", 0, 1, 50, "p1", 10, 100, "sha256:1", null));
      assertThat(s.parts("orders_1")).hasSize(2);
      assertThat(s.parts("orders_1").stream().filter(PartRecord::isFile)).hasSize(1);
    }
  }

  private static PartRecord part(int chunk, long from, long to, String name, String sha) {
    return new PartRecord("orders_1", "orders", chunk, from, to, name, to - from, 100, sha, null);
  }

  @Test
  void aSecondCopyOfCommittedWorkIsNotRecordedAndRowsCountOnce() {
    try (StateStore s = StateStore.open(url())) {
      s.createRun(plan(url()));
      assertThat(s.commitPart(part(0, 1, 60, "a_k1", "sha256:a"))).isTrue();
      // A zombie's part split elsewhere, another of the same name, one inside: none is recorded.
      assertThat(s.commitPart(part(0, 1, 40, "z_k1", "sha256:z"))).isFalse();
      assertThat(s.commitPart(part(0, 1, 40, "a_k1", "sha256:z"))).isFalse();
      assertThat(s.commitPart(part(0, 50, 101, "z_k50", "sha256:z"))).isFalse();
      // The same part delivered again is the ledger's already.
      assertThat(s.commitPart(part(0, 1, 60, "a_k1", "sha256:a"))).isTrue();
      // Parts of one chunk are committed all or none.
      assertThat(
              s.commitParts(
                  List.of(part(0, 60, 80, "z_k60", "sha256:z"), part(0, 55, 101, "z_k55", "z"))))
          .isFalse();
      assertThat(s.parts("orders_1")).extracting(PartRecord::fileName).containsExactly("a_k1");
      assertThat(s.chunks("orders_1").get(0).rowsWritten()).isEqualTo(59);
      assertThat(
              s.commitParts(
                  List.of(part(0, 60, 80, "a_k60", "sha256:b"), part(0, 80, 101, "a_k80", "c"))))
          .isTrue();
      assertThat(s.chunks("orders_1").get(0).status()).isEqualTo(ChunkTask.COMPLETED);
      assertThat(s.chunks("orders_1").get(0).rowsWritten()).isEqualTo(100);
      s.finishRun("orders_1", RunRecord.COMPLETED);
      // A worker that wakes after the run ended records nothing.
      assertThat(s.commitPart(part(1, 101, 201, "late_k101", "sha256:l"))).isFalse();
      assertThat(s.parts("orders_1", 1)).isEmpty();
    }
  }

  @Test
  void statesOnlyMoveForwardAndResumeResetsRunningChunks() {
    try (StateStore s = StateStore.open(url())) {
      s.createRun(plan(url()));
      s.chunkStarted("orders_1", 1);
      s.chunkStarted("orders_1", 1);
      assertThat(s.chunks("orders_1").get(1).attempts()).isEqualTo(1);
      s.chunkFailed("orders_1", 1, "boom");
      s.chunkStarted("orders_1", 1);
      assertThat(s.chunks("orders_1").get(1).attempts()).isEqualTo(2);
      s.commitPart(
          new PartRecord("orders_1", "orders", 1, 101, 201, "p2", 5, 50, "sha256:2", null));
      s.chunkStarted("orders_1", 1);
      s.chunkFailed("orders_1", 1, "late");
      assertThat(s.chunks("orders_1").get(1).status()).isEqualTo(ChunkTask.COMPLETED);
      s.chunkStarted("orders_1", 2);
      s.resetRunning("orders_1");
      assertThat(s.chunks("orders_1").get(2).status()).isEqualTo(ChunkTask.PENDING);
      s.finishRun("orders_1", RunRecord.COMPLETED);
      assertThat(s.unfinishedRun("orders")).isEmpty();
    }
  }

  @Test
  void reopeningKeepsStateAndDoesNotRemigrate() {
    try (StateStore s = StateStore.open(url())) {
      s.createRun(plan(url()));
      s.journal("orders_1", "orders", "PlanResolved", "{}");
    }
    try (StateStore s = StateStore.open(url())) {
      assertThat(s.run("orders_1")).isPresent();
      assertThat(s.journal("orders_1")).containsExactly("PlanResolved");
    }
  }

  @Test
  void oneLiveLeasePerExportAndItEndsWithItsHolder() {
    Duration ttl = Duration.ofMinutes(1);
    try (StateStore a = StateStore.open(url());
        StateStore b = StateStore.open(url())) {
      Lease mine = a.acquireLease("orders", "token-a", ttl);
      assertThat(mine.token()).isEqualTo("token-a");
      assertThat(mine.pid()).isEqualTo(ProcessHandle.current().pid());
      // This process is alive and its heartbeat fresh: a second taker gets the holder back, not the
      // lease.
      assertThat(b.acquireLease("orders", "token-b", ttl).token()).isEqualTo("token-a");
      assertThat(b.acquireLease("other", "token-b", ttl).token()).isEqualTo("token-b");
      assertThat(a.renewLease("orders", "token-a", "orders_1", ttl)).isTrue();
      assertThat(b.lease("orders")).map(Lease::runId).contains("orders_1");
      assertThat(b.renewLease("orders", "token-b", null, ttl)).isFalse();
      a.releaseLease("orders", "token-a");
      assertThat(b.acquireLease("orders", "token-b", ttl).token()).isEqualTo("token-b");
    }
  }

  @Test
  void anExpiredLeaseOrADeadHolderIsTakenOver() throws Exception {
    try (StateStore a = StateStore.open(url());
        StateStore b = StateStore.open(url())) {
      a.acquireLease("orders", "token-a", Duration.ofMillis(200));
      Thread.sleep(300);
      assertThat(b.acquireLease("orders", "token-b", Duration.ofMinutes(1)).token())
          .isEqualTo("token-b");
    }
    // A holder on this host whose process is gone: its lease ends at once, however long it was
    // taken for.
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    try (Connection c = raw()) {
      c.createStatement()
          .executeUpdate(
              "UPDATE export_leases SET pid = "
                  + dead.pid()
                  + ", process_start = NULL,"
                  + " expires_at = '2999-01-01T00:00:00Z' WHERE export_name = 'orders'");
    }
    try (StateStore c = StateStore.open(url())) {
      assertThat(c.lease("orders").get().isLiveAt(Instant.now())).isFalse();
      assertThat(c.acquireLease("orders", "token-c", Duration.ofMinutes(1)).token())
          .isEqualTo("token-c");
    }
  }

  @Test
  void fencedWritesFailOnceTheLeaseIsSomeoneElses() {
    Duration ttl = Duration.ofMillis(200);
    try (StateStore zombie = StateStore.open(url());
        StateStore next = StateStore.open(url())) {
      zombie.acquireLease("orders", "old", ttl);
      zombie.fence("orders", "old");
      zombie.createRun(plan(url()));
      zombie.commitPart(
          new PartRecord("orders_1", "orders", 0, 1, 50, "p1", 10, 100, "sha256:1", null));
      await(ttl);
      assertThat(next.acquireLease("orders", "new", Duration.ofMinutes(1)).token())
          .isEqualTo("new");
      for (Runnable write :
          List.<Runnable>of(
              () ->
                  zombie.commitPart(
                      new PartRecord(
                          "orders_1", "orders", 0, 50, 101, "p2", 5, 50, "sha256:2", null)),
              () -> zombie.finishRun("orders_1", RunRecord.COMPLETED),
              () -> zombie.storeCursor("orders", "42", "orders_1"),
              () -> zombie.chunkStarted("orders_1", 1),
              () -> zombie.checkFence("orders"))) {
        Assertions.assertThatThrownBy(write::run)
            .isInstanceOfSatisfying(
                RivetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LEASE_LOST))
            .hasMessageContaining("lost its lease");
      }
      assertThat(next.parts("orders_1")).extracting(PartRecord::fileName).containsExactly("p1");
      assertThat(next.run("orders_1").get().status()).isEqualTo(RunRecord.IN_PROGRESS);
      assertThat(next.cursor("orders")).isNull();
    }
  }

  @Test
  void aClearedCursorReadsAsNoneAndCursorsAreListedWithTheirRun() {
    try (StateStore s = StateStore.open(url())) {
      assertThat(s.cursor("orders")).as("never stored").isNull();
      s.storeCursor("orders", "2024-01-01T00:00:00Z", "orders_1");
      assertThat(s.cursor("orders")).isEqualTo("2024-01-01T00:00:00Z");
      assertThat(s.cursors().get("orders")).startsWith("2024-01-01T00:00:00Z", "orders_1");
      // rivet state reset clears it: a row whose value is NULL, read as no cursor
      s.storeCursor("orders", null, "orders_2");
      assertThat(s.cursor("orders")).isNull();
    }
  }

  @Test
  void eachStoreHasItsOwnIdAndKeepsIt() {
    String first;
    try (StateStore s = StateStore.open(url())) {
      first = s.storeId();
      assertThat(first).matches("[0-9a-f]{32}");
    }
    try (StateStore s = StateStore.open(url())) {
      assertThat(s.storeId()).isEqualTo(first);
    }
    try (StateStore other = StateStore.open(otherUrl())) {
      assertThat(other.storeId()).isNotEqualTo(first);
    }
  }

  /** A store left by an older rivet, at each earlier schema version, opens, migrates and works. */
  @Test
  void aStoreOfEachEarlierVersionMigratesAndWorks() throws Exception {
    for (int v = 1; v < versions().size(); v++) {
      dropAll();
      try (Connection c = raw();
          Statement st = c.createStatement()) {
        st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
        for (int k = 1; k <= v; k++) {
          for (String sql : versions().get(k - 1)) {
            st.execute(sql);
          }
          st.execute("INSERT INTO schema_version (version) VALUES (" + k + ")");
        }
      }
      try (StateStore s = StateStore.open(url())) {
        s.createRun(plan(url()));
        s.commitPart(
            new PartRecord("orders_1", "orders", 0, 1, 101, "p0", 100, 10, "sha256:x", null));
        assertThat(s.chunks("orders_1").get(0).status())
            .as("from version " + v)
            .isEqualTo("completed");
        assertThat(s.storeId()).matches("[0-9a-f]{32}");
      }
      try (Connection c = raw();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT max(version) FROM schema_version")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(versions().size());
      }
    }
  }

  /** Removes the store's tables, as before its first use. */
  protected abstract void dropAll() throws Exception;

  private static void await(Duration d) {
    try {
      Thread.sleep(d.toMillis() + 100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
