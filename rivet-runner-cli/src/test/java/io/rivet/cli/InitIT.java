package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingSqlServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet init} against real catalogs: each table gets the strategy its size and keys suggest
 * (small → full; integer primary key → chunked on it; another unique key → chunked by key; only a
 * timestamp → incremental), unbounded numerics and types without a Parquet type get overrides
 * marked REVIEW, the password never reaches the file, and the written config runs unchanged with
 * every row of every table exported once. {@code --discover} prints the findings as JSON.
 */
class InitIT {
  @TempDir Path dir;

  @Test
  void postgresCatalogToARunnableConfig() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE small (id int PRIMARY KEY, v text)",
          "INSERT INTO small SELECT g, md5(g::text) FROM generate_series(1, 1000) g",
          "CREATE TABLE big (id bigint PRIMARY KEY, v text, amount numeric)",
          "INSERT INTO big SELECT g, md5(g::text), round(g / 3.0, 6) FROM generate_series(1, 150000) g",
          "CREATE TABLE coded (code text PRIMARY KEY, v int)",
          "INSERT INTO coded SELECT 'c' || lpad(g::text, 7, '0'), g FROM generate_series(1, 120000) g",
          "CREATE TABLE logs (created_at timestamptz NOT NULL, updated_at timestamptz, msg text)",
          "INSERT INTO logs SELECT timestamptz '2026-01-01' + g * interval '1 second', NULL, md5(g::text)"
              + " FROM generate_series(1, 120000) g",
          "CREATE TABLE net (id int PRIMARY KEY, addr inet)",
          "INSERT INTO net VALUES (1, '10.0.0.1'), (2, '::1'), (3, NULL)",
          "CREATE TABLE tmp_scratch (id int)",
          "ANALYZE");
      String url =
          pg.jdbcUrl()
              .replaceFirst(
                  "^jdbc:postgresql://([^/]+)/([^?]*).*$", "postgresql://postgres:secret-pw@$1/$2");
      Map<String, String> env = Map.of("DATABASE_URL", url);
      Path yaml = dir.resolve("rivet.yaml");
      RivetChild init =
          RivetChild.start(
              dir.resolve("init.log"),
              env,
              "init",
              "--source-env",
              "DATABASE_URL",
              "--exclude",
              "tmp_*",
              "-o",
              yaml.toString());
      assertThat(init.exitCode()).as(init.output()).isZero();
      String text = Files.readString(yaml);
      assertThat(text)
          .contains("url_env: DATABASE_URL")
          .doesNotContain("secret-pw")
          .doesNotContain("tmp_scratch");

      RivetConfig cfg = new ConfigLoader(env, Map.of()).load(yaml);
      Map<String, ExportConfig> byName = new HashMap<>();
      cfg.exports().forEach(e -> byName.put(e.name(), e));
      assertThat(byName).containsOnlyKeys("small", "big", "coded", "logs", "net");
      assertThat(byName.get("small").mode().name()).isEqualTo("FULL");
      assertThat(byName.get("big").mode().name()).isEqualTo("CHUNKED");
      assertThat(byName.get("big").chunkColumn()).isEqualTo("id");
      assertThat(byName.get("big").columns()).containsEntry("amount", "decimal(38,18)");
      assertThat(byName.get("coded").mode().name()).isEqualTo("CHUNKED");
      assertThat(byName.get("coded").chunkByKey()).isEqualTo("code");
      assertThat(byName.get("logs").mode().name()).isEqualTo("INCREMENTAL");
      assertThat(byName.get("logs").cursor().column()).isEqualTo("created_at");
      assertThat(byName.get("net").columns()).containsEntry("addr", "text");
      assertThat(text)
          .contains("amount: decimal(38,18)  # REVIEW:")
          .contains("addr: text  # REVIEW:");

      RivetChild check =
          RivetChild.start(dir.resolve("check.log"), env, "check", "-c", yaml.toString());
      assertThat(check.exitCode()).as("the scaffold passes check: " + check.output()).isZero();
      assertThat(check.output()).doesNotContain("UNSAFE").contains("EFFICIENT");

      RivetChild run = RivetChild.start(dir.resolve("run.log"), env, "run", "-c", yaml.toString());
      assertThat(run.exitCode()).as(run.output()).isZero();
      Map<String, Long> rows =
          Map.of("small", 1000L, "big", 150000L, "coded", 120000L, "logs", 120000L, "net", 3L);
      for (var e : rows.entrySet()) {
        assertThat(DuckDb.count(dir.resolve("out/" + e.getKey()) + "/*.parquet"))
            .as(e.getKey())
            .isEqualTo(e.getValue());
      }
      assertThat(
              DuckDb.rows(
                      "SELECT count(DISTINCT code) FROM read_parquet('"
                          + dir.resolve("out/coded")
                          + "/*.parquet')")
                  .get(0))
          .containsExactly(120000L);

      RivetChild discover =
          RivetChild.start(
              dir.resolve("discover.log"),
              env,
              "init",
              "--source-env",
              "DATABASE_URL",
              "--table",
              "logs",
              "--discover",
              "-o",
              dir.resolve("discover.json").toString());
      assertThat(discover.exitCode()).as(discover.output()).isZero();
      JsonNode logs =
          new ObjectMapper().readTree(dir.resolve("discover.json").toFile()).get("tables").get(0);
      assertThat(logs.get("suggested_mode").asText()).isEqualTo("incremental");
      assertThat(logs.get("row_estimate").asLong()).isBetween(100_000L, 140_000L);
      assertThat(logs.get("cursor_candidates").get(0).get("column").asText())
          .isEqualTo("created_at");
      assertThat(logs.get("cursor_candidates").findValuesAsText("column")).contains("updated_at");
    }
  }

  @Test
  void mariaDbCatalogToARunnableConfig() throws Exception {
    try (TestingMariaDbServer db = new TestingMariaDbServer()) {
      db.execute(HostileShowcase.MARIADB);
      db.execute(
          "CREATE TABLE big (id BIGINT PRIMARY KEY, v VARCHAR(40))",
          "INSERT INTO big SELECT seq, MD5(seq) FROM seq_1_to_150000",
          "ANALYZE TABLE big, types");
      Map<String, String> env = Map.of("DATABASE_URL", db.jdbcUrl());
      Path yaml = dir.resolve("rivet.yaml");
      RivetChild init =
          RivetChild.start(
              dir.resolve("init.log"),
              env,
              "init",
              "--source-env",
              "DATABASE_URL",
              "-o",
              yaml.toString());
      assertThat(init.exitCode()).as(init.output()).isZero();
      RivetConfig cfg = new ConfigLoader(env, Map.of()).load(yaml);
      assertThat(cfg.export("big").orElseThrow().mode().name()).isEqualTo("CHUNKED");
      assertThat(cfg.export("types").orElseThrow().mode().name()).isEqualTo("FULL");
      RivetChild run = RivetChild.start(dir.resolve("run.log"), env, "run", "-c", yaml.toString());
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(DuckDb.count(dir.resolve("out/big") + "/*.parquet")).isEqualTo(150000);
      assertThat(DuckDb.count(dir.resolve("out/types") + "/*.parquet")).isEqualTo(5);
    }
  }

  @Test
  @EnabledIfEnvironmentVariable(named = TestingSqlServer.ENV, matches = ".+")
  void sqlServerCatalogToARunnableConfig() throws Exception {
    try (TestingSqlServer db = new TestingSqlServer()) {
      db.execute(HostileShowcase.SQLSERVER);
      Map<String, String> env = Map.of("DATABASE_URL", db.jdbcUrl());
      Path yaml = dir.resolve("rivet.yaml");
      RivetChild init =
          RivetChild.start(
              dir.resolve("init.log"),
              env,
              "init",
              "--source-env",
              "DATABASE_URL",
              "-o",
              yaml.toString());
      assertThat(init.exitCode()).as(init.output()).isZero();
      RivetChild run = RivetChild.start(dir.resolve("run.log"), env, "run", "-c", yaml.toString());
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(DuckDb.count(dir.resolve("out/types") + "/*.parquet")).isEqualTo(4);
    }
  }
}
