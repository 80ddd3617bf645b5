package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same logical rows in PostgreSQL and MariaDB export to files DuckDB reads as equal, column by
 * column, type by type.
 */
class CrossEngineParityIT {
  private static final int ROWS = 300;
  private static final List<String> COLUMNS =
      List.of(
          "id", "small", "big", "amount", "ratio", "flag", "name", "born", "seen", "at", "payload");

  @TempDir Path dir;

  private static void load(TestingServer s, String ddl, boolean mysql) throws Exception {
    s.execute(ddl);
    try (Connection c = s.connect()) {
      if (mysql) {
        try (Statement st = c.createStatement()) {
          st.execute("SET time_zone = '+00:00'");
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO parity VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= ROWS; i++) {
          boolean nulls = i % 11 == 0;
          LocalDateTime t =
              LocalDateTime.of(2000, 1, 1, 0, 0).plusSeconds(i * 7919L).plusNanos(i * 1000L);
          ps.setInt(1, i);
          ps.setObject(2, nulls ? null : (short) (i * 97 % 65536 - 32768));
          ps.setObject(3, nulls ? null : (long) i * 1_000_000_007L * (i % 2 == 0 ? -1 : 1));
          ps.setObject(4, nulls ? null : new BigDecimal(i * 12345 % 1000000).movePointLeft(2));
          ps.setObject(5, nulls ? null : 1.0 / i);
          ps.setObject(6, nulls ? null : i % 3 == 0);
          ps.setObject(7, nulls ? null : "name-" + i + (i % 5 == 0 ? " ünïcødé ✓" : ""));
          ps.setObject(8, nulls ? null : LocalDate.of(1990, 1, 1).plusDays(i * 37L));
          ps.setObject(9, nulls ? null : t);
          // MariaDB TIMESTAMP takes the UTC wall clock with the session at +00:00; PostgreSQL the
          // instant.
          ps.setObject(
              10, nulls ? null : mysql ? t.plusHours(1) : t.plusHours(1).atOffset(ZoneOffset.UTC));
          ps.setObject(11, nulls ? null : ("bytes" + i).getBytes(StandardCharsets.UTF_8));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private Path export(TestingServer s) throws Exception {
    Path yaml = dir.resolve(s.engine() + ".yaml");
    Files.writeString(
        yaml,
        """
        source: {type: %s, url: "%s"}
        exports:
          - {name: parity_%s, table: parity, mode: chunked, chunk_size: 70, format: parquet,
             destination: {type: local, path: ./%s}}
        """
            .formatted(s.sourceType(), s.jdbcUrl(), s.engine(), s.engine()));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return dir.resolve(s.engine());
  }

  @Test
  void postgresAndMariaDbExportEqualFiles() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer();
        TestingMariaDbServer my = new TestingMariaDbServer()) {
      load(
          pg,
          "CREATE TABLE parity (id integer PRIMARY KEY, small smallint, big bigint, amount numeric(12,2),"
              + " ratio double precision, flag boolean, name text, born date, seen timestamp, at timestamptz, payload bytea)",
          false);
      load(
          my,
          "CREATE TABLE parity (id INT PRIMARY KEY, small SMALLINT, big BIGINT, amount DECIMAL(12,2), ratio DOUBLE,"
              + " flag TINYINT(1), name TEXT, born DATE, seen DATETIME(6), at TIMESTAMP(6) NULL DEFAULT NULL, payload BLOB)",
          true);
      Path a = export(pg);
      Path b = export(my);
      assertThat(DuckDb.rows("DESCRIBE SELECT * FROM read_parquet('" + b + "/*.parquet')"))
          .isEqualTo(DuckDb.rows("DESCRIBE SELECT * FROM read_parquet('" + a + "/*.parquet')"));
      String select =
          COLUMNS.stream()
              .map(c -> "CAST(\"" + c + "\" AS VARCHAR)")
              .collect(Collectors.joining(", "));
      List<List<Object>> fromPg =
          DuckDb.rows("SELECT " + select + " FROM read_parquet('" + a + "/*.parquet') ORDER BY id");
      List<List<Object>> fromMy =
          DuckDb.rows("SELECT " + select + " FROM read_parquet('" + b + "/*.parquet') ORDER BY id");
      assertThat(fromPg).hasSize(ROWS);
      for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLUMNS.size(); c++) {
          assertThat(fromMy.get(r).get(c))
              .as("row %d column %s", r + 1, COLUMNS.get(c))
              .isEqualTo(fromPg.get(r).get(c));
        }
      }
    }
  }
}
