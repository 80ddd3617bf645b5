package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet run -p NAME=VALUE}: the value of {@code ${NAME}} in the config (a query here),
 * before the environment; a parameter the config does not use is warned about once; a {@code
 * ${NAME}} nobody sets is a config error that names {@code --param}.
 */
class RunParamsIT {
  @TempDir Path dir;

  @Test
  void aParameterFillsTheQueryAndAnUnusedOneIsWarnedOnce() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 100) g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: t, query: "SELECT id, v FROM t WHERE id <= ${max_id}", mode: full,
               format: parquet, destination: {type: local, path: ./out}}
          """
              .formatted(pg.jdbcUrl()));

      CliRun missing = CliRun.of("run", "-c", yaml.toString());
      assertThat(missing.exitCode()).isEqualTo(1);
      assertThat(missing.err()).contains("${max_id} is not set").contains("--param max_id=");

      RivetChild run =
          RivetChild.start(
              dir.resolve("run.log"),
              Map.of(),
              "run",
              "-c",
              yaml.toString(),
              "-p",
              "max_id=10",
              "--param",
              "spare=1");
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(DuckDb.count(dir.resolve("out") + "/*.parquet")).isEqualTo(10);
      String out = run.output();
      assertThat(out.split("--param spare: the config has no \\$\\{spare}", -1))
          .as("warned once:%n%s", out)
          .hasSize(2);
      assertThat(out).doesNotContain("--param max_id:");
    }
  }
}
