package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL: every supported type over hostile values (demo.type_showcase), plus PostgreSQL-only
 * failure cases.
 */
class PostgresTypeRoundTripIT extends AbstractTypeRoundTripIT {
  private static TestingPostgresServer pg;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    try (Connection c = pg.connect()) {
      DemoDatabase.load(c, 1000);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  /** Per column: how PostgreSQL and DuckDB each render the value as comparable text. */
  private static final Map<String, String[]> COLUMNS = new LinkedHashMap<>();

  static {
    for (String c :
        List.of(
            "c_smallint",
            "c_int",
            "c_bigint",
            "c_numeric",
            "c_money",
            "c_small_dec",
            "c_bool",
            "c_time",
            "c_uuid",
            "c_json",
            "c_jsonb",
            "c_enum")) {
      COLUMNS.put(c, new String[] {c + "::text", "CAST(" + c + " AS VARCHAR)"});
    }
    for (String c : List.of("c_text", "c_varchar", "c_char")) {
      COLUMNS.put(c, new String[] {c, c});
    }
    COLUMNS.put("c_real", new String[] {"c_real::float8", "CAST(c_real AS DOUBLE)"});
    COLUMNS.put("c_double", new String[] {"c_double", "c_double"});
    COLUMNS.put("c_bytea", new String[] {"encode(c_bytea, 'hex')", "lower(hex(c_bytea))"});
    COLUMNS.put(
        "c_date",
        new String[] {
          "(c_date - date '1970-01-01')::text",
          "CAST(date_diff('day', DATE '1970-01-01', c_date) AS VARCHAR)"
        });
    for (String c : List.of("c_ts", "c_tstz")) {
      COLUMNS.put(
          c,
          new String[] {
            "((extract(epoch from " + c + ") * 1000000)::bigint)::text",
            "CAST(epoch_us(" + c + ") AS VARCHAR)"
          });
    }
    for (String c : List.of("c_int_arr", "c_text_arr")) {
      COLUMNS.put(
          c,
          new String[] {"array_to_json(" + c + ")::text", "CAST(to_json(" + c + ") AS VARCHAR)"});
    }
  }

  @Override
  protected TestingServer server() {
    return pg;
  }

  /**
   * Through the driver (the cursor path): a row hash is computed from the driver's text, so an
   * export that keeps one never reads binary COPY. {@link PostgresCopyRoundTripIT} round-trips the
   * same values through COPY.
   */
  @Override
  protected Path exportTypes() throws Exception {
    Path yaml =
        config(
            """
        - name: types
          table: demo.type_showcase
          format: parquet
          meta_columns: {exported_at: true, row_hash: true}
          destination: {type: local, path: ./out}
        """);
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(
            DuckDb.rows(
                    "SELECT count(DISTINCT _rivet_row_hash) FROM read_parquet('"
                        + dir.resolve("out")
                        + "/*.parquet')")
                .get(0))
        .containsExactly(6L);
    return dir.resolve("out");
  }

  @Override
  protected String table() {
    return "demo.type_showcase";
  }

  @Override
  protected Map<String, String[]> comparisons() {
    return COLUMNS;
  }

  @Override
  protected Map<String, String> duckTypes() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("c_smallint", "SMALLINT");
    t.put("c_int", "INTEGER");
    t.put("c_bigint", "BIGINT");
    t.put("c_real", "FLOAT");
    t.put("c_double", "DOUBLE");
    t.put("c_numeric", "DECIMAL(38,10)");
    t.put("c_money", "DECIMAL(12,2)");
    t.put("c_small_dec", "DECIMAL(5,2)");
    t.put("c_bool", "BOOLEAN");
    t.put("c_text", "VARCHAR");
    t.put("c_bytea", "BLOB");
    t.put("c_date", "DATE");
    t.put("c_time", "TIME");
    t.put("c_ts", "TIMESTAMP");
    t.put("c_tstz", "TIMESTAMP WITH TIME ZONE");
    t.put("c_uuid", "UUID");
    t.put("c_int_arr", "INTEGER[]");
    t.put("c_text_arr", "VARCHAR[]");
    return t;
  }

  @Test
  void runSummaryJsonAndJsonColumns() throws Exception {
    Path yaml =
        config(
            """
        - name: showcase
          table: demo.type_showcase
          format: parquet
          meta_columns: {exported_at: true}
          destination: {type: local, path: ./out}
        """);
    PrintStream stdout = System.out;
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    System.setOut(new PrintStream(json, true, StandardCharsets.UTF_8));
    try {
      assertThat(CliRun.of("run", "-c", yaml.toString(), "--json").exitCode()).isZero();
    } finally {
      System.setOut(stdout);
    }
    JsonNode summary = new ObjectMapper().readTree(json.toString(StandardCharsets.UTF_8));
    assertThat(summary.get("total_rows").asLong()).isEqualTo(6);
    assertThat(summary.get("per_export").get(0).get("export_name").asText()).isEqualTo("showcase");
    assertThat(summary.get("per_export").get(0).get("files").asLong()).isEqualTo(1);
    assertThat(
            dir.resolve(".rivet/runs")
                .resolve(summary.get("per_export").get(0).get("run_id").asText())
                .resolve("summary.json"))
        .exists();
    Map<String, String> types = new LinkedHashMap<>();
    for (List<Object> row :
        DuckDb.rows(
            "DESCRIBE SELECT * FROM read_parquet('" + dir.resolve("out") + "/*.parquet')")) {
      types.put((String) row.get(0), (String) row.get(1));
    }
    assertThat(types.get("c_json")).isIn("JSON", "VARCHAR");
  }

  @Test
  void unsupportedTypesFailThePlanNamingEveryColumn() throws Exception {
    pg.execute(
        "CREATE TABLE IF NOT EXISTS odd (id int PRIMARY KEY, addr inet, doc tsvector, amount numeric, ok text)");
    Path yaml =
        config(
            """
        - name: odd
          table: odd
          format: parquet
          destination: {type: local, path: ./odd}
        """);
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("[TYPE_UNSUPPORTED]")
        .contains("addr (inet)")
        .contains("doc (tsvector)")
        .contains("amount (numeric without precision/scale")
        .contains("columns: {amount: decimal(p,s)}")
        .doesNotContain("ok (");
    assertThat(dir.resolve("odd")).doesNotExist();

    Files.writeString(
        yaml,
        Files.readString(yaml)
            .replace(
                "format: parquet",
                "format: parquet\n    columns: {amount: \"decimal(20,4)\", addr: text, doc: text}"));
    pg.execute("INSERT INTO odd VALUES (1, '10.0.0.1', 'a fat cat', 12.3456, 'x')");
    CliRun fixed = CliRun.of("run", "-c", yaml.toString());
    assertThat(fixed.exitCode()).as(fixed.err()).isZero();
    assertThat(
            DuckDb.rows(
                "SELECT addr, CAST(amount AS VARCHAR) FROM read_parquet('"
                    + dir.resolve("odd")
                    + "/*.parquet')"))
        .containsExactly(List.of("10.0.0.1", "12.3456"));
  }

  @Test
  void aValueParquetCannotHoldFailsNamingExportChunkKeyAndColumn() throws Exception {
    pg.execute(
        "CREATE TABLE IF NOT EXISTS inf (id bigint PRIMARY KEY, ts timestamp)",
        "INSERT INTO inf SELECT g, timestamp '2024-01-01' + g * interval '1 day' FROM generate_series(1, 50) g",
        "UPDATE inf SET ts = 'infinity' WHERE id = 42");
    Path yaml =
        config(
            """
        - name: inf
          table: inf
          mode: chunked
          chunk_size: 20
          format: parquet
          destination: {type: local, path: ./inf}
        """);
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("[VALUE_INVALID]")
        .contains("export 'inf', chunk 2 [41..50], key 42")
        .contains("column ts: the timestamp is ±infinity")
        .contains("'rivet run --resume' continues this run");
    try (Stream<Path> files = Files.list(dir.resolve("inf"))) {
      assertThat(
              files
                  .map(f -> f.getFileName().toString())
                  .filter(n -> n.endsWith(".parquet") || n.equals("_SUCCESS")))
          .noneMatch(n -> n.contains("chunk2") || n.equals("_SUCCESS"));
    }
  }
}
