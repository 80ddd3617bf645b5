package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.manifest.RunSummary;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same chunked export — including rows whose chunk key is NULL, which get a chunk of their own
 * — on the DirectRunner and on an embedded Flink cluster (parallelism 2): both must produce exactly
 * the source rows.
 */
class RunnerParityIT {
  private static final int ROWS = 20_000;
  private static final int NULL_KEYS = ROWS / 146;
  private static TestingPostgresServer pg;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE events (id bigint PRIMARY KEY, k integer, amount numeric(10,3), at timestamptz, tag text)",
        "INSERT INTO events SELECT g, CASE WHEN g % 146 = 0 THEN NULL ELSE g END, g / 1000.0,"
            + " timestamptz '2020-01-01 00:00:00+00' + make_interval(secs => g), 'tag-' || (g % 10)"
            + " FROM generate_series(1, "
            + ROWS
            + ") g");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private static RunSummary export(String name, String... pipelineArgs) throws Exception {
    Path cfgDir = Files.createDirectories(dir.resolve(name));
    Path yaml = cfgDir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: events
            query: "SELECT id, k, amount, at, tag FROM events"
            mode: chunked
            chunk_column: k
            chunk_size: 2500
            parallel: 2
            format: parquet
            destination: {type: local, path: ./out}
        """
            .formatted(pg.jdbcUrl()));
    RivetConfig cfg = new ConfigLoader(Map.of(), Map.of()).load(yaml);
    PipelineOptions options = PipelineOptionsFactory.fromArgs(pipelineArgs).create();
    return new ExportJob(cfg, yaml.toString()).run(List.of(), false, options);
  }

  private static List<List<Object>> rows(String name) throws Exception {
    return DuckDb.rows(
        "SELECT id, k, CAST(amount AS VARCHAR), epoch_us(\"at\"), tag FROM read_parquet('"
            + dir.resolve(name).resolve("out")
            + "/*.parquet') ORDER BY id");
  }

  @Test
  void directAndFlinkExportTheSameRows() throws Exception {
    RunSummary direct = export("direct", "--runner=DirectRunner");
    RunSummary flink =
        export("flink", "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2");
    assertThat(direct.totalRows()).isEqualTo(ROWS);
    assertThat(flink.totalRows()).isEqualTo(ROWS);
    assertThat(flink.runner()).isEqualTo("FlinkRunner");

    List<List<Object>> a = rows("direct");
    List<List<Object>> b = rows("flink");
    assertThat(a).hasSize(ROWS);
    assertThat(b).isEqualTo(a);
    assertThat(a.stream().filter(r -> r.get(1) == null).count()).isEqualTo(NULL_KEYS);
    assertThat(
            DuckDb.rows(
                    "SELECT count(DISTINCT id) FROM read_parquet('"
                        + dir.resolve("flink/out")
                        + "/*.parquet')")
                .get(0)
                .get(0))
        .isEqualTo((long) ROWS);
    assertThat(dir.resolve("direct/out/_SUCCESS")).exists();
    assertThat(dir.resolve("flink/out/_SUCCESS")).exists();
  }
}
