package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingServer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every chunking strategy on one engine (one subclass per engine): range with NULL keys, dense
 * ordinals, day windows with NULL days, keyset on string, UUID and integer keys, parallel through
 * sampled boundaries. Each export must hold every source row exactly once, read back with DuckDB.
 */
abstract class AbstractChunkingIT {
  static final int ROWS = 3000;

  @TempDir Path dir;

  protected abstract TestingServer server();

  /**
   * Creates and fills {@code chunky (id bigint PK, k int NULL, code varchar(20) NOT NULL UNIQUE, u
   * <uuid> NOT NULL UNIQUE, day date NULL, v text)}; {@code analyze} refreshes the statistics that
   * size keyset sampling.
   */
  static void load(TestingServer server, String ddl, List<String> analyze, UuidBinder uuids)
      throws Exception {
    server.execute(ddl);
    try (Connection c = server.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO chunky (id, k, code, u, day, v) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int id = 1; id <= ROWS; id++) {
        ps.setLong(1, id);
        ps.setObject(2, id % 17 == 0 ? null : id * 3);
        ps.setString(3, "k" + new StringBuilder(String.format("%06d", id)).reverse());
        uuids.bind(ps, 4, UUID.nameUUIDFromBytes(("row" + id).getBytes(StandardCharsets.UTF_8)));
        ps.setObject(5, id % 23 == 0 ? null : LocalDate.of(2024, 1, 1).plusDays(id % 45));
        ps.setString(6, "value " + id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    server.execute(analyze.toArray(String[]::new));
  }

  /** Binds a UUID the way the engine's column type takes it. */
  interface UuidBinder {
    void bind(PreparedStatement ps, int index, UUID u) throws Exception;
  }

  private Path export(String name, String chunking) throws Exception {
    Path yaml = dir.resolve(name + ".yaml");
    Files.writeString(
        yaml,
        """
        source: {type: %s, url: "%s"}
        exports:
          - name: %s
            table: chunky
            mode: chunked
            %s
            format: parquet
            destination: {type: local, path: ./%s}
        """
            .formatted(server().sourceType(), server().jdbcUrl(), name, chunking, name));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return dir.resolve(name);
  }

  private static Manifest everyRowOnce(Path out) throws Exception {
    List<Object> stats =
        DuckDb.rows(
                "SELECT count(*), count(DISTINCT id), sum(id) FROM read_parquet('"
                    + out
                    + "/*.parquet')")
            .get(0);
    assertThat(stats)
        .containsExactly(
            (long) ROWS, (long) ROWS, BigInteger.valueOf((long) ROWS * (ROWS + 1) / 2));
    Manifest m = Manifest.parse(Files.readAllBytes(out.resolve("manifest.json")));
    assertThat(m.rowCount()).isEqualTo(ROWS);
    return m;
  }

  @Test
  void integerRangesWithNullKeysInTheirOwnChunk() throws Exception {
    Manifest m =
        everyRowOnce(export("range", "chunk_column: k\n    chunk_size: 1000\n    parallel: 2"));
    assertThat(m.parts())
        .extracting(Manifest.Part::path)
        .anyMatch(p -> p.endsWith("_knull.parquet"));
    assertThat(
            DuckDb.rows(
                    "SELECT count(*) FROM read_parquet('"
                        + dir.resolve("range")
                        + "/*_knull.parquet')")
                .get(0)
                .get(0))
        .isEqualTo((long) ROWS / 17);
  }

  @Test
  void denseOrdinalsOnAStringKey() throws Exception {
    Manifest m =
        everyRowOnce(
            export(
                "dense",
                "chunk_column: code\n    chunk_dense: true\n    chunk_size: 700\n    parallel: 2"));
    assertThat(m.partCount()).isEqualTo(5);
    assertThat(m.parts()).allMatch(p -> p.rows() <= 700);
    assertThat(
            DuckDb.rows(
                "DESCRIBE SELECT * FROM read_parquet('" + dir.resolve("dense") + "/*.parquet')"))
        .extracting(r -> r.get(0))
        .doesNotContain("_rivet_chunk_rn");
  }

  @Test
  void dayWindowsWithNullDays() throws Exception {
    Manifest m =
        everyRowOnce(export("days", "chunk_column: day\n    chunk_by_days: 7\n    parallel: 2"));
    assertThat(m.parts())
        .extracting(Manifest.Part::path)
        .anyMatch(p -> p.endsWith("_knull.parquet"));
    assertThat(m.parts().stream().filter(p -> p.path().contains("_d2024")).count()).isEqualTo(7);
  }

  @Test
  void keysetOnAStringKeyInParallelThroughSampledBoundaries() throws Exception {
    Manifest m =
        everyRowOnce(
            export("keyset_code", "chunk_by_key: code\n    chunk_size: 250\n    parallel: 2"));
    assertThat(m.parts().stream().map(Manifest.Part::chunkIndex).distinct().count())
        .isGreaterThan(1);
    assertThat(m.parts()).allMatch(p -> p.rows() <= 250);
  }

  @Test
  void keysetOnUuidAndIntegerKeys() throws Exception {
    Manifest uuid = everyRowOnce(export("keyset_uuid", "chunk_by_key: u\n    chunk_size: 400"));
    assertThat(uuid.partCount()).isEqualTo(8);
    everyRowOnce(export("keyset_id", "chunk_by_key: id\n    chunk_size: 1000\n    parallel: 2"));
  }

  /**
   * {@code chunk_size_memory_mb} (reference §3.3): 50,000 rows of ~1 KB with a 20 MB budget.
   * Whatever the engine's catalog counts per row (the payload plus its own overhead: 1,000–2,000
   * bytes), a chunk must hold 10,485–20,971 rows — not the default 100,000, nor the 40,960 of an
   * unknown row size — and every row must arrive once.
   */
  @Test
  void chunkSizeMemoryMbSizesChunksFromTheCatalogsAverageRow() throws Exception {
    int rows = 50_000;
    server()
        .execute(
            "DROP TABLE IF EXISTS sized",
            "CREATE TABLE sized (id bigint PRIMARY KEY, v varchar(1200) NOT NULL)");
    try (Connection c = server().connect();
        PreparedStatement ps = c.prepareStatement("INSERT INTO sized (id, v) VALUES (?, ?)")) {
      c.setAutoCommit(false);
      String pad = "0123456789".repeat(100);
      for (int id = 1; id <= rows; id++) {
        ps.setLong(1, id);
        ps.setString(2, pad + id);
        ps.addBatch();
        if (id % 5_000 == 0) {
          ps.executeBatch();
        }
      }
      c.commit();
    }
    switch (server().sourceType()) {
      case "postgres" -> server().execute("ANALYZE sized");
      case "mysql" -> server().execute("ANALYZE TABLE sized");
      default -> {} // SQL Server's partition stats are always current
    }
    Path yaml = dir.resolve("sized.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: %s, url: "%s"}
        exports:
          - {name: sized, table: sized, mode: chunked, chunk_size_memory_mb: 20, parallel: 2, format: parquet,
             destination: {type: local, path: ./sized}}
        """
            .formatted(server().sourceType(), server().jdbcUrl()));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    Path out = dir.resolve("sized");
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                        + out
                        + "/*.parquet')")
                .get(0))
        .containsExactly((long) rows, (long) rows);
    Manifest m = Manifest.parse(Files.readAllBytes(out.resolve("manifest.json")));
    List<Long> perPart =
        m.parts().stream().map(Manifest.Part::rows).sorted(Comparator.reverseOrder()).toList();
    long chunkRows = perPart.get(0);
    assertThat(chunkRows).isBetween(10_485L, 20_971L);
    assertThat(perPart).hasSize((int) ((rows + chunkRows - 1) / chunkRows));
    assertThat(perPart.subList(0, perPart.size() - 1)).allMatch(r -> r == chunkRows);
  }

  @Test
  void keysetRefusesAKeyThatIsNotUniqueAndNotNull() throws Exception {
    Path yaml = dir.resolve("bad.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: %s, url: "%s"}
        exports:
          - {name: bad, table: chunky, mode: chunked, chunk_by_key: k, format: parquet, destination: {type: local, path: ./bad}}
        """
            .formatted(server().sourceType(), server().jdbcUrl()));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("exports[bad].chunk_by_key: 'k' is not a NOT NULL column with a unique index");
  }
}
