package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * destination stdout: the rows on standard output, everything else on standard error; chunking
 * refused.
 */
class StdoutIT {
  @TempDir Path dir;

  @Test
  void streamsCsvToStdoutAndRefusesChunking() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id integer PRIMARY KEY, name text)",
          "INSERT INTO t SELECT g, 'name, \"' || g || '\"' FROM generate_series(1, 1234) g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: t, table: t, format: csv, destination: {type: stdout}}
          """
              .formatted(pg.jdbcUrl()));
      Path out = dir.resolve("out.csv");
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  Main.class.getName(),
                  "run",
                  "-c",
                  yaml.toString())
              .redirectOutput(out.toFile())
              .redirectError(dir.resolve("err.log").toFile())
              .start();
      assertThat(p.waitFor()).as(Files.readString(dir.resolve("err.log"))).isZero();
      assertThat(Files.readString(out))
          .startsWith("\"id\",\"name\"\r\n\"1\",\"name, \"\"1\"\"\"\r\n");
      assertThat(
              DuckDb.rows(
                      "SELECT count(*), max(CAST(id AS INTEGER)) FROM read_csv('"
                          + out
                          + "', header = true)")
                  .get(0))
          .containsExactly(1234L, 1234);
      assertThat(Files.readString(dir.resolve("err.log"))).contains("1,234 rows");

      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: t, table: t, mode: chunked, format: csv, destination: {type: stdout}}
          """
              .formatted(pg.jdbcUrl()));
      CliRun chunked = CliRun.of("run", "-c", yaml.toString());
      assertThat(chunked.exitCode()).isEqualTo(1);
      assertThat(chunked.err())
          .contains("exports[0].mode: chunked cannot be used with destination stdout");
    }
  }
}
