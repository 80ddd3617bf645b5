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
 * Rows far wider than the planner's estimate (16 KB of text each, 480 MB in all) exported by a JVM
 * with a 256 MB heap: memory-sized fetches start with a small probe and follow the width actually
 * seen, so nothing is buffered on the estimate.
 */
class WideRowsIT {
  @TempDir Path dir;

  @Test
  void wideRowsFitABoundedHeap() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE wide (id integer PRIMARY KEY, body text)",
          "INSERT INTO wide SELECT g, repeat(md5(g::text), 500) FROM generate_series(1, 30000) g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: wide, table: wide, format: parquet, destination: {type: local, path: ./out}}
          """
              .formatted(pg.jdbcUrl()));
      String old = System.getProperty("rivet.long.jvmArgs");
      System.setProperty("rivet.long.jvmArgs", "-Xmx256m");
      RivetProcess p;
      try {
        p = RivetProcess.run(dir.resolve("wide.log"), Map.of(), "run", "-c", yaml.toString());
      } finally {
        if (old == null) {
          System.clearProperty("rivet.long.jvmArgs");
        } else {
          System.setProperty("rivet.long.jvmArgs", old);
        }
      }
      assertThat(p.exitCode()).as(p.output()).isZero();
      assertThat(
              DuckDb.rows(
                      "SELECT count(*), min(length(body)), max(length(body)) FROM read_parquet('"
                          + dir.resolve("out")
                          + "/*.parquet')")
                  .get(0))
          .containsExactly(30000L, 16000L, 16000L);
    }
  }
}
