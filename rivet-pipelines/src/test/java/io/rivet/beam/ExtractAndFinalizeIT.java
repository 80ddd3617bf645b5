package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.beam.testing.TestPipelines;
import io.rivet.core.ExportFailure;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.manifest.Manifest;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.ChunkTask;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.StateStore;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export's two steps on Beam's {@link TestPipeline} (DirectRunner) against a real PostgreSQL:
 * {@link ExtractChunkFn} with its {@link KeyRangeTracker} — a chunk split in two restrictions
 * commits each once, a resume reads only the sub-range no part covers — and {@link
 * FinalizeExportFn} over the ledger.
 */
class ExtractAndFinalizeIT {
  private static final int ROWS = 10_000;
  private static TestingPostgresServer pg;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private ExportJob.Prepared prepare() throws Exception {
    return prepare("{}");
  }

  private ExportJob.Prepared prepare(String tuning) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - {name: t, table: t, mode: chunked, chunk_size: 5000, format: parquet, tuning: %s,
             destination: {type: local, path: ./out}}
        """
            .formatted(pg.jdbcUrl(), tuning));
    RivetConfig config = ConfigLoader.fromEnvironment(Map.of()).load(yaml);
    return new ExportJob(config, yaml.toString()).prepare(List.of(), false, Instant.now());
  }

  /** Builds and runs a TestPipeline through its JUnit 4 rule, as JUnit 5 has none. */
  private static void run(Consumer<TestPipeline> build) throws Throwable {
    TestPipelines.run(ExtractAndFinalizeIT.class, build::accept);
  }

  private static void extract(ExportJob.Prepared prepared, List<ChunkSpec> chunks, int splits)
      throws Throwable {
    extract(prepared, chunks, splits, 2);
  }

  /** The export's run as the pipeline's elements name it (the launcher holds the lease). */
  private static RunRef run(ExportJob.Prepared prepared, int parallel) {
    ExportPlan plan = prepared.plans().get("t");
    return new RunRef(
        "t",
        "t",
        plan.runId(),
        prepared.leases().tokens().get("t"),
        parallel,
        0,
        plan.connection());
  }

  private static void extract(
      ExportJob.Prepared prepared, List<ChunkSpec> chunks, int splits, int parallel)
      throws Throwable {
    ExportPlan plan = prepared.plans().get("t");
    RunRef run = run(prepared, parallel);
    List<ChunkRef> refs = chunks.stream().map(c -> new ChunkRef(run, c)).toList();
    run(
        p -> {
          PCollection<PartRecord> parts =
              p.apply(Create.of(refs).withCoder(SerializableCoder.of(ChunkRef.class)))
                  .apply(ParDo.of(new ExtractChunkFn(plan.stateUrl(), splits)))
                  .setCoder(SerializableCoder.of(PartRecord.class));
          PAssert.that(parts)
              .satisfies(
                  ps -> {
                    assertThat(ps).allMatch(PartRecord::isFile);
                    return null;
                  });
        });
  }

  private static PCollection<ExportResult> finalizeRun(Pipeline p, ExportJob.Prepared prepared) {
    ExportPlan plan = prepared.plans().get("t");
    return p.apply(
            Create.of(new PreparedRun(run(prepared, 1), List.of(), null))
                .withCoder(SerializableCoder.of(PreparedRun.class)))
        .apply(ParDo.of(new FinalizeExportFn(plan.stateUrl())))
        .setCoder(SerializableCoder.of(ExportResult.class));
  }

  private void assertEveryRowOnceAndFilesAreTheLedger(ExportPlan plan) throws Exception {
    Path out = dir.resolve("out");
    try (StateStore state = StateStore.open(plan.stateUrl())) {
      List<PartRecord> ledger =
          state.parts(plan.runId()).stream().filter(PartRecord::isFile).toList();
      try (Stream<Path> files = Files.list(out)) {
        assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".parquet")))
            .containsExactlyInAnyOrderElementsOf(
                ledger.stream().map(PartRecord::fileName).toList());
      }
      for (PartRecord p : ledger) {
        assertThat(sha256(out.resolve(p.fileName()))).as(p.fileName()).isEqualTo(p.fingerprint());
      }
      assertThat(state.chunks(plan.runId())).allMatch(c -> c.status().equals(ChunkTask.COMPLETED));
    }
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                        + out
                        + "/*.parquet')")
                .get(0))
        .containsExactly((long) ROWS, (long) ROWS);
  }

  private static String sha256(Path f) throws Exception {
    return "sha256:"
        + HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  @Test
  void aChunkSplitInTwoCommitsItsPrimaryAndResidualOnceEach() throws Throwable {
    try (ExportJob.Prepared prepared = prepare()) {
      ExportPlan plan = prepared.plans().get("t");
      assertThat(plan.chunks()).hasSize(2);
      extract(prepared, prepared.pending().get("t"), 2);
      try (StateStore state = StateStore.open(plan.stateUrl())) {
        for (ChunkSpec c : plan.chunks()) {
          long mid = c.lo() + (c.hi() - c.lo() + 1) / 2;
          assertThat(state.parts(plan.runId(), c.index()))
              .extracting(p -> List.of(p.rangeStart(), p.rangeEnd()))
              .as("chunk %d: one part per restriction", c.index())
              .containsExactly(List.of(c.lo(), mid), List.of(mid, c.hi()));
        }
      }
      assertEveryRowOnceAndFilesAreTheLedger(plan);
    }
  }

  @Test
  void aResumeReadsOnlyTheSubRangeNoCommittedPartCovers() throws Throwable {
    try (ExportJob.Prepared prepared = prepare()) {
      ExportPlan plan = prepared.plans().get("t");
      extract(prepared, prepared.pending().get("t"), 2);
      ChunkSpec first = plan.chunks().get(0);
      Path kept;
      Object keptKey;
      Instant keptTime;
      try (StateStore state = StateStore.open(plan.stateUrl())) {
        List<PartRecord> parts = state.parts(plan.runId(), first.index());
        // The second part of the first chunk is lost (as if its process died before committing it).
        state.forgetPart(plan.runId(), parts.get(1).fileName());
        Files.delete(dir.resolve("out").resolve(parts.get(1).fileName()));
        state.reopenChunk(plan.runId(), first.index());
        kept = dir.resolve("out").resolve(parts.get(0).fileName());
        BasicFileAttributes a = Files.readAttributes(kept, BasicFileAttributes.class);
        keptKey = a.fileKey();
        keptTime = a.lastModifiedTime().toInstant();
      }
      extract(prepared, List.of(first), 1);
      BasicFileAttributes after = Files.readAttributes(kept, BasicFileAttributes.class);
      assertThat(after.fileKey()).as("the committed part is not rewritten").isEqualTo(keptKey);
      assertThat(after.lastModifiedTime().toInstant()).isEqualTo(keptTime);
      assertEveryRowOnceAndFilesAreTheLedger(plan);
    }
  }

  private static Callable<Object> copy(ExportJob.Prepared prepared, int splits) {
    return () -> {
      try {
        // Permits for all six restrictions of both copies (the limit is one per run and process).
        extract(prepared, prepared.pending().get("t"), splits, 8);
      } catch (Exception | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      return null;
    };
  }

  @Test
  void twoCopiesOfTheSameWorkAtOnceLeaveOneCommittedPartPerRange() throws Throwable {
    // Slow reads (10 batches of 500 rows, 50 ms apart, per chunk) so that the copies overlap.
    try (ExportJob.Prepared prepared = prepare("{batch_size: 500, throttle_ms: 50}")) {
      ExportPlan plan = prepared.plans().get("t");
      // One copy splits each chunk in two restrictions, the other (a zombie, a speculative task)
      // reads each whole: their parts share names and overlap.
      ExecutorService copies = Executors.newFixedThreadPool(2);
      try {
        List<Future<Object>> done = copies.invokeAll(List.of(copy(prepared, 2), copy(prepared, 1)));
        for (Future<Object> f : done) {
          f.get();
        }
      } finally {
        copies.shutdownNow();
      }
      try (StateStore state = StateStore.open(plan.stateUrl())) {
        assertThat(state.journal(plan.runId()))
            .as("the second copy of each chunk's work was refused")
            .anyMatch(e -> e.contains("PartRefused"));
      }
      try (Stream<Path> files = Files.list(dir.resolve("out"))) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as("no temporary file is left")
            .noneMatch(n -> n.endsWith(".tmp"));
      }
      assertEveryRowOnceAndFilesAreTheLedger(plan);
    }
  }

  @Test
  void finalizeWritesTheManifestOfTheLedgerThenSuccess() throws Throwable {
    try (ExportJob.Prepared prepared = prepare()) {
      ExportPlan plan = prepared.plans().get("t");
      extract(prepared, prepared.pending().get("t"), 1);
      run(
          p ->
              PAssert.that(finalizeRun(p, prepared))
                  .satisfies(
                      rs -> {
                        ExportResult r = rs.iterator().next();
                        assertThat(r.status()).isEqualTo(ExportResult.Status.SUCCEEDED);
                        assertThat(r.rows()).isEqualTo(ROWS);
                        assertThat(r.runId()).isEqualTo(plan.runId());
                        assertThat(r.manifest()).endsWith("out/manifest.json");
                        return null;
                      }));
      byte[] manifest = Files.readAllBytes(dir.resolve("out/manifest.json"));
      try (StateStore state = StateStore.open(plan.stateUrl())) {
        List<PartRecord> ledger =
            state.parts(plan.runId()).stream().filter(PartRecord::isFile).toList();
        assertThat(Manifest.parse(manifest).parts())
            .extracting(Manifest.Part::path)
            .containsExactlyInAnyOrderElementsOf(
                ledger.stream().map(PartRecord::fileName).toList());
        assertThat(state.run(plan.runId()).orElseThrow().status()).isEqualTo("completed");
      }
      assertThat(Files.readString(dir.resolve("out/_SUCCESS")))
          .isEqualTo(Manifest.successMarker(manifest));
    }
  }

  @Test
  void finalizeRefusesAnExportWithAnUncommittedChunkAndRecordsItsFailure() throws Throwable {
    try (ExportJob.Prepared prepared = prepare()) {
      ExportPlan plan = prepared.plans().get("t");
      // The export's failure is its own: recorded for the launcher, not thrown into the pipeline.
      run(
          p ->
              PAssert.that(finalizeRun(p, prepared))
                  .satisfies(
                      rs -> {
                        ExportResult r = rs.iterator().next();
                        assertThat(r.status()).isEqualTo(ExportResult.Status.FAILED);
                        assertThat(r.errorCode()).isEqualTo("DATA_INTEGRITY");
                        return null;
                      }));
      try (StateStore state = StateStore.open(plan.stateUrl())) {
        assertThat(state.journalEntries(plan.runId()))
            .filteredOn(e -> e[1].equals(ExportFailure.EVENT))
            .singleElement()
            .satisfies(
                e ->
                    assertThat(e[2])
                        .contains("DATA_INTEGRITY")
                        .contains("chunk(s) are not committed"));
      }
      assertThat(dir.resolve("out/manifest.json")).doesNotExist();
      assertThat(dir.resolve("out/_SUCCESS")).doesNotExist();
    }
  }
}
