package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The type round trip through PostgreSQL's binary COPY read path: range chunks of a table whose
 * every column has a binary decoder (the whole showcase, enum and arrays included) stream as {@code
 * COPY (…) TO STDOUT (FORMAT binary)}, and every hostile value must still arrive exactly. Each row
 * carries {@code current_query()}, so the test sees which statement read it — COPY here, the cursor
 * for a table with a column without a decoder.
 */
class PostgresCopyRoundTripIT extends AbstractTypeRoundTripIT {
  private static TestingPostgresServer pg;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    try (Connection c = pg.connect()) {
      DemoDatabase.load(c, 10);
    }
    // "char" (one byte in the server's encoding) has no binary decoder.
    pg.execute(
        "CREATE TABLE with_char AS SELECT s.*, 'x'::\"char\" AS c_byte FROM demo.type_showcase s",
        "ALTER TABLE with_char ADD PRIMARY KEY (id)");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @Override
  protected TestingServer server() {
    return pg;
  }

  @Override
  protected String table() {
    return "demo.type_showcase";
  }

  @Override
  protected Map<String, String[]> comparisons() {
    return new PostgresTypeRoundTripIT().comparisons();
  }

  @Override
  protected Map<String, String> duckTypes() {
    return new PostgresTypeRoundTripIT().duckTypes();
  }

  @Override
  protected Path exportTypes() throws Exception {
    Path out = export("types", "demo.type_showcase");
    assertThat(readBy(out))
        .isNotEmpty()
        .allSatisfy(q -> assertThat(q).startsWith("COPY (").endsWith("TO STDOUT (FORMAT binary)"));
    return out;
  }

  @Test
  void aTableWithAColumnWithoutBinaryDecoderIsReadThroughTheDriver() throws Exception {
    Path out = export("withchar", "with_char");
    assertThat(readBy(out)).isNotEmpty().allSatisfy(q -> assertThat(q).startsWith("SELECT"));
    assertThat(DuckDb.rows("SELECT count(*) FROM read_parquet('" + out + "/*.parquet')").get(0))
        .containsExactly(6L);
  }

  @Test
  void arraysKeepTheirElementsWhateverTheirLowerBoundAndRefuseASecondDimension() throws Exception {
    pg.execute(
        "CREATE TABLE arrays (id int PRIMARY KEY, a int4[], u uuid[])",
        "INSERT INTO arrays VALUES (1, '[0:2]={1,2,3}', '[-3:-3]={a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'),"
            + " (2, '{}', '{}'), (3, NULL, NULL), (4, '{NULL}', '{NULL,00000000-0000-0000-0000-000000000000}')");
    Path out = export("arrays", "arrays");
    assertThat(readBy(out)).allSatisfy(q -> assertThat(q).startsWith("COPY ("));
    assertThat(
            DuckDb.rows(
                "SELECT id, CAST(a AS VARCHAR), CAST(u AS VARCHAR) FROM read_parquet('"
                    + out
                    + "/*.parquet') ORDER BY id"))
        .containsExactly(
            List.of(1, "[1, 2, 3]", "[a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11]"),
            List.of(2, "[]", "[]"),
            Arrays.asList(3, null, null),
            List.of(4, "[NULL]", "[NULL, 00000000-0000-0000-0000-000000000000]"));

    pg.execute("INSERT INTO arrays VALUES (5, '{{1,2},{3,4}}', NULL)");
    CliRun failed = CliRun.of("run", "-c", config(exportYaml("arrays2", "arrays")).toString());
    assertThat(failed.exitCode()).isNotZero();
    assertThat(failed.err()).contains("column a: multi-dimensional arrays are not supported yet");
  }

  /** Exports a table in range chunks of two rows, each row with the statement that read it. */
  private Path export(String name, String table) throws Exception {
    CliRun run = CliRun.of("run", "-c", config(exportYaml(name, table)).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return dir.resolve(name);
  }

  private static String exportYaml(String name, String table) {
    return """
        - name: %s
          query: "SELECT t.*, current_query() AS read_by FROM %s t"
          mode: chunked
          chunk_column: id
          chunk_size: 2
          format: parquet
          meta_columns: {exported_at: true}
          destination: {type: local, path: ./%s}
        """
        .formatted(name, table, name);
  }

  private static List<String> readBy(Path out) throws Exception {
    return DuckDb.rows("SELECT DISTINCT read_by FROM read_parquet('" + out + "/*.parquet')")
        .stream()
        .map(r -> (String) r.get(0))
        .toList();
  }
}
