package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet check} against real servers: a chunk column with an index is EFFICIENT, one without
 * is DEGRADED with a high warning read from the engine's EXPLAIN (PostgreSQL and MariaDB); the type
 * report says what BigQuery makes of each column and flags the lossy ones, which {@code --strict}
 * turns into exit 1; an unplannable export is UNSAFE; nothing is written and the check is advisory
 * (exit 0 otherwise).
 */
class CheckIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void postgresVerdictsAndTypeReport() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      try (Connection c = pg.connect()) {
        DemoDatabase.load(c, 100);
      }
      pg.execute(
          "CREATE TABLE idx (id bigint PRIMARY KEY, v text)",
          "INSERT INTO idx SELECT g, md5(g::text) FROM generate_series(1, 300000) g",
          "CREATE TABLE noidx (k bigint NOT NULL, v text)",
          "INSERT INTO noidx SELECT g, md5(g::text) FROM generate_series(1, 300000) g",
          "CREATE TABLE loose (id int PRIMARY KEY, amount numeric)",
          "ANALYZE");
      Map<String, JsonNode> r = check(pg, 0);
      assertThat(r.get("idx").at("/diagnostic/verdict").asText()).isEqualTo("EFFICIENT");
      assertThat(r.get("idx").at("/diagnostic/capabilities/uses_index").asBoolean()).isTrue();
      assertThat(r.get("idx").at("/diagnostic/chunk_count").asInt()).isGreaterThanOrEqualTo(30);
      assertThat(r.get("idx").at("/diagnostic/recommended_parallel/level").asInt()).isEqualTo(1);
      assertThat(r.get("noidx").at("/diagnostic/verdict").asText()).isEqualTo("DEGRADED");
      assertThat(r.get("noidx").at("/diagnostic/capabilities/uses_index").asBoolean()).isFalse();
      assertThat(r.get("noidx").at("/diagnostic/warnings/0/severity").asText()).isEqualTo("high");
      assertThat(r.get("noidx").at("/diagnostic/warnings/0/message").asText())
          .contains("scans the whole table")
          .contains("index k");
      assertThat(r.get("loose").at("/diagnostic/verdict").asText()).isEqualTo("UNSAFE");
      assertThat(r.get("loose").get("violations").toString()).contains("amount");
      JsonNode showcase = r.get("showcase");
      Map<String, JsonNode> columns = new HashMap<>();
      showcase.get("columns").forEach(col -> columns.put(col.get("name").asText(), col));
      assertThat(columns.get("c_uuid").at("/targets/bigquery/lossy").asBoolean()).isTrue();
      assertThat(columns.get("c_numeric").at("/targets/bigquery/type").asText())
          .isEqualTo("BIGNUMERIC");
      assertThat(columns.get("c_money").at("/targets/bigquery/type").asText()).isEqualTo("NUMERIC");
      assertThat(columns.get("c_tstz").at("/parquet_type").asText()).contains("UTC");
      assertThat(showcase.get("violations").toString()).contains("c_uuid").contains("c_int_arr");
      assertThat(dir.resolve("out")).doesNotExist();

      assertThat(
              CliRun.of("check", "-c", dir.resolve("rivet.yaml").toString(), "--strict").exitCode())
          .as("--strict: lossy columns and an unplannable export")
          .isEqualTo(1);
    }
  }

  @Test
  void mariaDbSeesAFullScanPerChunk() throws Exception {
    try (TestingMariaDbServer db = new TestingMariaDbServer()) {
      db.execute(
          "CREATE TABLE idx (id BIGINT PRIMARY KEY, v VARCHAR(40))",
          "INSERT INTO idx SELECT seq, MD5(seq) FROM seq_1_to_300000",
          "CREATE TABLE noidx (k BIGINT NOT NULL, v VARCHAR(40))",
          "INSERT INTO noidx SELECT seq, MD5(seq) FROM seq_1_to_300000",
          "CREATE TABLE loose (id INT PRIMARY KEY, amount INT)",
          "ANALYZE TABLE idx, noidx");
      Map<String, JsonNode> r = check(db, 0);
      assertThat(r.get("idx").at("/diagnostic/verdict").asText()).isEqualTo("EFFICIENT");
      assertThat(r.get("noidx").at("/diagnostic/verdict").asText()).isEqualTo("DEGRADED");
    }
  }

  /**
   * Writes the config, runs {@code check --json --target bigquery}, and returns each export's line.
   */
  private Map<String, JsonNode> check(TestingServer server, int exitCode) throws Exception {
    boolean pg = server instanceof TestingPostgresServer;
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        "source: {type: "
            + server.sourceType()
            + ", url: \""
            + server.jdbcUrl()
            + "\"}\nexports:\n"
            + "  - {name: idx, table: idx, mode: chunked, chunk_column: id, chunk_size: 10000, format: parquet,"
            + " destination: {type: local, path: ./out/idx}}\n"
            + "  - {name: noidx, table: noidx, mode: chunked, chunk_column: k, chunk_size: 10000, format: parquet,"
            + " destination: {type: local, path: ./out/noidx}}\n"
            + "  - {name: loose, table: loose, format: parquet, destination: {type: local, path: ./out/loose}}\n"
            + (pg
                ? "  - {name: showcase, table: demo.type_showcase, target: bq, format: parquet,"
                    + " destination: {type: local, path: ./out/showcase}}\n"
                : ""));
    RivetChild run =
        RivetChild.start(
            dir.resolve("check.log"),
            Map.of(),
            "check",
            "-c",
            yaml.toString(),
            "--json",
            "--target",
            "bigquery");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(exitCode);
    Map<String, JsonNode> out = new HashMap<>();
    for (String line : List.of(run.output().split("\n"))) {
      if (line.startsWith("{\"export\"")) {
        JsonNode n = JSON.readTree(line);
        out.put(n.get("export").asText(), n);
      }
    }
    return out;
  }
}
