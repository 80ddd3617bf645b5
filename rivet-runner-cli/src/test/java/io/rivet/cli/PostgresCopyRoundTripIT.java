package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The type round trip through PostgreSQL's binary COPY read path: range chunks of a table whose every column has a
 * binary decoder (the showcase without enum and arrays) stream as {@code COPY (…) TO STDOUT (FORMAT binary)},
 * and every hostile value must still arrive exactly. Each row carries {@code current_query()}, so the test sees
 * which statement read it — COPY here, the cursor for the full showcase (its enum and arrays have no decoder).
 */
class PostgresCopyRoundTripIT extends AbstractTypeRoundTripIT {
  /** Showcase columns without a binary decoder: they make a table read through the driver instead. */
  private static final List<String> DRIVER_ONLY = List.of("c_enum", "c_int_arr", "c_text_arr");

  private static TestingPostgresServer pg;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    try (Connection c = pg.connect()) {
      DemoDatabase.load(c, 10);
    }
    List<String> columns = new java.util.ArrayList<>(List.of("id"));
    new PostgresTypeRoundTripIT().comparisons().keySet().stream().filter(n -> !DRIVER_ONLY.contains(n)).forEach(columns::add);
    pg.execute("CREATE TABLE copy_types AS SELECT " + String.join(", ", columns) + " FROM demo.type_showcase",
        "ALTER TABLE copy_types ADD PRIMARY KEY (id)");
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
    return "copy_types";
  }

  @Override
  protected Map<String, String[]> comparisons() {
    Map<String, String[]> m = new LinkedHashMap<>(new PostgresTypeRoundTripIT().comparisons());
    DRIVER_ONLY.forEach(m::remove);
    return m;
  }

  @Override
  protected Map<String, String> duckTypes() {
    Map<String, String> m = new LinkedHashMap<>(new PostgresTypeRoundTripIT().duckTypes());
    DRIVER_ONLY.forEach(m::remove);
    return m;
  }

  @Override
  protected Path exportTypes() throws Exception {
    Path out = export("types", "copy_types");
    assertThat(readBy(out)).isNotEmpty().allSatisfy(q -> assertThat(q).startsWith("COPY (").endsWith("TO STDOUT (FORMAT binary)"));
    return out;
  }

  @Test
  void aTableWithAColumnWithoutBinaryDecoderIsReadThroughTheDriver() throws Exception {
    Path out = export("showcase", "demo.type_showcase");
    assertThat(readBy(out)).isNotEmpty().allSatisfy(q -> assertThat(q).startsWith("SELECT"));
    assertThat(DuckDb.rows("SELECT count(*) FROM read_parquet('" + out + "/*.parquet')").get(0)).containsExactly(6L);
  }

  /** Exports a table in range chunks of two rows (three chunks), each row with the statement that read it. */
  private Path export(String name, String table) throws Exception {
    Path yaml = config("""
        - name: %s
          query: "SELECT t.*, current_query() AS read_by FROM %s t"
          mode: chunked
          chunk_column: id
          chunk_size: 2
          format: parquet
          meta_columns: {exported_at: true}
          destination: {type: local, path: ./%s}
        """.formatted(name, table, name));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return dir.resolve(name);
  }

  private static List<String> readBy(Path out) throws Exception {
    return DuckDb.rows("SELECT DISTINCT read_by FROM read_parquet('" + out + "/*.parquet')").stream()
        .map(r -> (String) r.get(0)).toList();
  }
}
