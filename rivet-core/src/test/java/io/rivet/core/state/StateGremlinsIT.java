package io.rivet.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.Compression;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many processes on one run of a shared state store, committing, failing, killed at random moments
 * (inside transactions too), resuming, acting on stale views and delivering work twice ({@link
 * StateGremlin}): eight at a time until the run's chunks are complete, then two more after the run
 * ended. On each backend the ledger keeps its promises: at most one part holds any position of a
 * chunk and a name is one part's; every accepted commit is in the ledger; each chunk's rows are
 * counted once; a chunk is complete exactly when its parts cover it; nothing is recorded after the
 * run ended.
 */
class StateGremlinsIT {
  private static final int CHUNKS = 12;
  private static final long CHUNK_KEYS = 1000;
  private static final int AT_ONCE = 8;
  private static final String RUN = "gremlins_1";
  private static final String ABANDONED = "gremlins_2";

  @TempDir Path dir;

  @Test
  void onSqlite() throws Exception {
    gremlins("jdbc:sqlite:" + dir.resolve("state.db"));
  }

  @Test
  void onPostgres() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      String base = pg.jdbcUrl();
      gremlins(base + (base.contains("?") ? "&" : "?") + "currentSchema=gremlins");
    }
  }

  private void gremlins(String url) throws Exception {
    try (StateStore s = StateStore.open(url)) {
      s.createRun(plan(RUN));
    }
    List<Process> live = new ArrayList<>();
    List<Integer> exits = new ArrayList<>();
    int started = 0;
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    while (!complete(url)) {
      assertThat(Instant.now()).as("the gremlins finish the run in time").isBefore(deadline);
      for (Process p : List.copyOf(live)) {
        if (!p.isAlive()) {
          exits.add(p.exitValue());
          live.remove(p);
        }
      }
      while (live.size() < AT_ONCE) {
        live.add(start(url, started++, 6, false));
      }
      Thread.sleep(50);
    }
    for (Process p : live) {
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
      exits.add(p.exitValue());
    }
    assertThat(started).as("gremlins started").isGreaterThanOrEqualTo(AT_ONCE);
    assertThat(exits).as("0 = done, 137 = killed; 3 = a broken promise").containsOnly(0, 137);
    assertThat(exits).as("some gremlins were killed").contains(137);
    assertThat(refusals(dir)).as("gremlins delivered work twice").isGreaterThan(0);

    List<PartRecord> ledger;
    try (StateStore s = StateStore.open(url)) {
      ledger = s.parts(RUN);
      checkLedger(ledger, s.chunks(RUN));
      s.finishRun(RUN, RunRecord.COMPLETED);
    }
    Set<String> accepted = acceptedCommits(dir, "gremlin-");
    Set<String> recorded = new HashSet<>();
    ledger.forEach(p -> recorded.add(StateGremlin.line(p).strip()));
    assertThat(recorded).as("every accepted commit is in the ledger").containsAll(accepted);

    // After runs ended — this one completed, another abandoned before anything was committed — two
    // late gremlins try to commit into every chunk of both; nothing is recorded.
    try (StateStore s = StateStore.open(url)) {
      s.createRun(plan(ABANDONED));
      s.finishRun(ABANDONED, RunRecord.ABANDONED);
    }
    List<Process> late =
        List.of(
            start(url, RUN, 1000, 4, true),
            start(url, ABANDONED, 1001, 4, true),
            start(url, ABANDONED, 1002, 4, true));
    for (Process p : late) {
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    assertThat(acceptedCommits(dir, "late-")).isEmpty();
    try (StateStore s = StateStore.open(url)) {
      assertThat(s.parts(RUN)).isEqualTo(ledger);
      assertThat(s.parts(ABANDONED)).isEmpty();
    }
  }

  private Process start(String url, int n, int steps, boolean late) throws Exception {
    return start(url, RUN, n, steps, late);
  }

  private Process start(String url, String run, int n, int steps, boolean late) throws Exception {
    Path log = dir.resolve((late ? "late-" : "gremlin-") + n + ".log");
    Files.createFile(log);
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                StateGremlin.class.getName(),
                url,
                run,
                Long.toString(n * 7919L + 17),
                log.toString(),
                Integer.toString(steps)));
    if (late) {
      cmd.add("late");
    }
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("gremlin-" + n + ".out").toFile())
        .start();
  }

  private static boolean complete(String url) {
    try (StateStore s = StateStore.open(url)) {
      return s.chunks(RUN).stream().allMatch(c -> c.status().equals(ChunkTask.COMPLETED));
    }
  }

  /**
   * The ledger's promises, chunk by chunk: parts do not overlap, names are unique, the parts cover
   * the chunk exactly (so its rows are each counted once), and the chunk's row count is theirs.
   */
  private static void checkLedger(List<PartRecord> ledger, List<ChunkTask> chunks) {
    Map<Integer, List<PartRecord>> byChunk = new TreeMap<>();
    ledger.forEach(p -> byChunk.computeIfAbsent(p.chunkIndex(), k -> new ArrayList<>()).add(p));
    assertThat(ledger.stream().map(PartRecord::fileName).distinct().count())
        .as("a name is one part's")
        .isEqualTo(ledger.size());
    for (ChunkTask c : chunks) {
      List<PartRecord> parts =
          byChunk.getOrDefault(c.chunkIndex(), List.of()).stream()
              .sorted(Comparator.comparingLong(PartRecord::rangeStart))
              .toList();
      long pos = c.startKey();
      for (PartRecord p : parts) {
        assertThat(p.rangeStart())
            .as("chunk %d: %s after %d", c.chunkIndex(), p, pos)
            .isEqualTo(pos);
        pos = p.rangeEnd();
      }
      assertThat(pos).as("chunk %d covered to its end", c.chunkIndex()).isEqualTo(c.endKey());
      long rows = parts.stream().mapToLong(PartRecord::rows).sum();
      assertThat(rows).as("chunk %d rows once", c.chunkIndex()).isEqualTo(CHUNK_KEYS);
      assertThat(c.rowsWritten()).as("chunk %d counted rows", c.chunkIndex()).isEqualTo(rows);
      assertThat(c.status()).isEqualTo(ChunkTask.COMPLETED);
    }
  }

  private static long refusals(Path dir) throws Exception {
    long n = 0;
    try (Stream<Path> outs = Files.list(dir)) {
      for (Path out : outs.filter(p -> p.getFileName().toString().endsWith(".out")).toList()) {
        n += Files.readAllLines(out).stream().filter(l -> l.startsWith("REFUSED")).count();
      }
    }
    return n;
  }

  private static Set<String> acceptedCommits(Path dir, String prefix) throws Exception {
    Set<String> lines = new HashSet<>();
    try (Stream<Path> logs = Files.list(dir)) {
      for (Path log :
          logs.filter(p -> p.getFileName().toString().startsWith(prefix))
              .filter(p -> p.getFileName().toString().endsWith(".log"))
              .toList()) {
        for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
          if (!l.isBlank()) {
            lines.add(l.strip());
          }
        }
      }
    }
    return lines;
  }

  private static ExportPlan plan(String runId) {
    List<ChunkSpec> chunks =
        IntStream.range(0, CHUNKS)
            .mapToObj(i -> ChunkSpec.range(i, i * CHUNK_KEYS, (i + 1) * CHUNK_KEYS))
            .toList();
    return new ExportPlan(
        "gremlins",
        runId,
        "sha256:gremlins",
        null,
        "SELECT * FROM t",
        List.of(),
        "id",
        List.of(ColumnMapping.of("id", "int8", ColumnKind.INT64)),
        chunks,
        FileFormat.PARQUET,
        Compression.ZSTD,
        null,
        "/out",
        "gremlins",
        1000,
        5000,
        TuningConfig.defaults(TuningConfig.Profile.BALANCED),
        false,
        false,
        false,
        null,
        "chunked",
        null,
        0,
        null,
        2.0,
        0);
  }
}
