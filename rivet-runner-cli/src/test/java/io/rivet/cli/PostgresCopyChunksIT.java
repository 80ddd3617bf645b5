package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyset chunks ({@code chunk_by_key}), day windows ({@code chunk_by_days}) and dense windows
 * ({@code chunk_dense}) on PostgreSQL stream as binary COPY with their bounds inlined as literals:
 * keys with quotes, backslashes, {@code E'…'}-lookalikes, spaces and non-ASCII text must page
 * exactly — every row once, none skipped — and the server's statement log shows which statements
 * read them.
 */
class PostgresCopyChunksIT {
  private static final int ROWS = 3_000;
  private static final List<String> HOSTILE =
      List.of(
          "it's",
          "back\\slash",
          "\\'",
          "''",
          "E'x'",
          "a\\\\'b",
          " lead",
          "trail ",
          "Mixed Case",
          "é",
          "日本語",
          "🎉",
          "$rivet$",
          "--",
          "/*",
          "\t");

  @TempDir static Path log;

  @TempDir Path dir;

  private static TestingPostgresServer pg;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer(log);
    try (Connection c = pg.connect();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE keyed (code text PRIMARY KEY, u uuid NOT NULL UNIQUE, n integer, note varchar(40),"
              + " at timestamptz)");
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO keyed VALUES (?, ?, ?, ?,"
                  + " timestamptz '2024-02-27 00:00:00+00' + ? * interval '97 minutes')")) {
        for (int i = 0; i < ROWS; i++) {
          ps.setString(1, HOSTILE.get(i % HOSTILE.size()) + i);
          ps.setObject(2, UUID.nameUUIDFromBytes(("row" + i).getBytes(StandardCharsets.UTF_8)));
          ps.setInt(3, i);
          ps.setString(4, i % 7 == 0 ? null : "note " + i);
          ps.setInt(5, i);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      st.execute("ANALYZE keyed");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @Test
  void textKeysPageAsCopyWithEveryRowOnce() throws Exception {
    int before = pg.statements().size();
    Path out = export("bycode", "chunk_by_key: code\n    chunk_size: 200\n    parallel: 2");
    List<String> copies = copiesSince(before);
    assertThat(copies)
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s).endsWith("TO STDOUT (FORMAT binary)"));
    assertThat(copies).anySatisfy(s -> assertThat(s).contains("\"code\" > E'"));
    assertEveryRowOnce(out);
  }

  @Test
  void uuidKeysPageAsCopyWithEveryRowOnce() throws Exception {
    int before = pg.statements().size();
    Path out = export("byuuid", "chunk_by_key: u\n    chunk_size: 250");
    assertThat(copiesSince(before))
        .anySatisfy(s -> assertThat(s).contains("\"u\" > '").contains("'::uuid"));
    assertEveryRowOnce(out);
  }

  @Test
  void dayWindowsReadAsCopyWithEveryRowOnce() throws Exception {
    int before = pg.statements().size();
    Path out = export("bydays", "chunk_column: at\n    chunk_by_days: 3\n    parallel: 2");
    List<String> copies = copiesSince(before);
    // 3,000 rows 97 minutes apart span ~203 days: ~68 windows of 3 days, each one COPY
    assertThat(copies)
        .hasSizeGreaterThan(60)
        .allSatisfy(s -> assertThat(s).contains("\"at\" >= '2024-").contains("'::date"));
    assertThat(copies).anySatisfy(s -> assertThat(s).contains("'2024-02-27'::date"));
    assertEveryRowOnce(out);
  }

  @Test
  void denseWindowsReadAsCopyWithEveryRowOnce() throws Exception {
    int before = pg.statements().size();
    Path out =
        export(
            "dense",
            "chunk_column: code\n    chunk_dense: true\n    chunk_size: 700\n    parallel: 2");
    assertThat(copiesSince(before))
        .hasSize(5)
        .allSatisfy(
            s ->
                assertThat(s)
                    .contains("ROW_NUMBER() OVER")
                    .contains("_rivet_chunk_rn >= '")
                    .contains("'::bigint"));
    assertEveryRowOnce(out);
  }

  @Test
  void aFullExportIsOneCopyEvenWhenTheQueryEndsInAComment() throws Exception {
    int before = pg.statements().size();
    exportQuery("whole", "query: |\n  SELECT * FROM keyed -- every row");
    assertThat(copiesSince(before))
        .singleElement()
        .satisfies(s -> assertThat(s).startsWith("COPY (SELECT * FROM keyed -- every row\n)"));
    assertEveryRowOnce(dir.resolve("whole"));
  }

  /**
   * A query written for the driver — {@code ??} for jsonb's {@code ?} — runs as COPY as it does as
   * a statement.
   */
  @Test
  void aQueryUsingTheDriversQuestionMarkEscapeRunsAsCopy() throws Exception {
    int before = pg.statements().size();
    exportQuery(
        "json",
        "query: \"SELECT * FROM keyed WHERE jsonb_build_object('c', code) ?? 'c' AND code <> 'what??'\"");
    assertThat(copiesSince(before))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s).contains("jsonb_build_object('c', code) ? 'c' AND code <> 'what??'"));
    assertEveryRowOnce(dir.resolve("json"));
  }

  private static List<String> copiesSince(int before) throws Exception {
    List<String> all = pg.statements();
    return all.subList(before, all.size()).stream().filter(s -> s.startsWith("COPY (")).toList();
  }

  private static void assertEveryRowOnce(Path out) throws Exception {
    Set<String> expected = new HashSet<>();
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT code || '|' || u || '|' || n || '|' || coalesce(note, '<null>') FROM keyed")) {
      while (rs.next()) {
        expected.add(rs.getString(1));
      }
    }
    List<String> actual = new ArrayList<>();
    for (List<Object> r :
        DuckDb.rows(
            "SELECT code || '|' || CAST(u AS VARCHAR) || '|' || CAST(n AS VARCHAR) || '|'"
                + " || coalesce(note, '<null>') FROM read_parquet('"
                + out
                + "/*.parquet')")) {
      actual.add((String) r.get(0));
    }
    assertThat(actual).hasSize(ROWS);
    assertThat(new HashSet<>(actual)).isEqualTo(expected);
  }

  /** Exports {@code keyed} in chunks as {@code chunking} says (YAML lines of the export). */
  private Path export(String name, String chunking) throws Exception {
    return run(name, "table: keyed\nmode: chunked\n" + chunking.replace("\n    ", "\n"));
  }

  /** A full export of {@code query} (a YAML {@code query:} entry). */
  private Path exportQuery(String name, String query) throws Exception {
    return run(name, query);
  }

  private Path run(String name, String lines) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: %s
        %s
            format: parquet
            destination: {type: local, path: ./%s}
        """
            .formatted(pg.jdbcUrl(), name, lines.indent(4).stripTrailing(), name));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return dir.resolve(name);
  }
}
