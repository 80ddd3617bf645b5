package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.examples.EmbeddedExportJob;
import io.rivet.examples.ReadTransformWriteJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs of {@code examples/} run as a user runs them (their {@code main}), on the DirectRunner
 * against the demo's PostgreSQL tables; their output is read back by DuckDB. The third example, an
 * export submitted to a Flink cluster, runs in {@link FlinkClusterIT}.
 */
class ExamplesIT {
  private static final int ROWS = 20_000;
  private static TestingPostgresServer pg;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    try (Connection c = pg.connect()) {
      DemoDatabase.load(c, ROWS);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private Path config() throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - {name: orders, table: demo.orders, mode: chunked, chunk_size: 5000, parallel: 2,
             format: parquet, destination: {type: local, path: ./out/orders}}
        """
            .formatted(pg.jdbcUrl()));
    return yaml;
  }

  @Test
  void theEmbeddedExportJobExportsEveryRowOnce() throws Exception {
    EmbeddedExportJob.main(new String[] {config().toString(), "--targetParallelism=2"});
    Path out = dir.resolve("out/orders");
    assertThat(out.resolve("_SUCCESS")).exists();
    assertThat(
            DuckDb.rows(
                    "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                        + out
                        + "/*.parquet')")
                .get(0))
        .containsExactly((long) ROWS, (long) ROWS);
  }

  @Test
  void theReadTransformWriteJobWritesTheExactDailyRevenue() throws Exception {
    Path out = dir.resolve("daily");
    ReadTransformWriteJob.main(new String[] {config().toString(), "orders", out.toString()});
    List<String> expected = new ArrayList<>();
    try (Connection c = pg.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT ordered_on, count(*), sum(amount) FROM demo.orders WHERE status = 'paid'"
                    + " GROUP BY 1 ORDER BY 1")) {
      while (rs.next()) {
        expected.add(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getBigDecimal(3));
      }
    }
    assertThat(expected).hasSizeGreaterThan(100);
    List<String> written = new ArrayList<>();
    for (List<Object> r :
        DuckDb.rows(
            "SELECT CAST(day AS VARCHAR), paid_orders, revenue, typeof(revenue) FROM read_parquet('"
                + out
                + "/*.parquet') ORDER BY day")) {
      assertThat(r.get(3)).isEqualTo("DECIMAL(18,2)");
      written.add(r.get(0) + " " + r.get(1) + " " + r.get(2));
    }
    assertThat(written).containsExactlyElementsOf(expected);
  }
}
