package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The type round-trip, one subclass per engine: a table of hostile values exported by {@code rivet run} and read
 * back by DuckDB; each value must equal the source's (both rendered comparably per column), and each column must
 * carry the exact Parquet logical type.
 */
abstract class AbstractTypeRoundTripIT {
  @TempDir
  Path dir;

  /** The server holding the types table. */
  protected abstract TestingServer server();

  /** The table of hostile values (created by the subclass's fixture), keyed by an integer {@code id}. */
  protected abstract String table();

  /** Per column: how the source and DuckDB each render the value comparably. */
  protected abstract Map<String, String[]> comparisons();

  /** Per column: the DuckDB type the Parquet column must read as. */
  protected abstract Map<String, String> duckTypes();

  /** Statements run on the source connection before reading the expected values (e.g. session time zone). */
  protected List<String> sourceSession() {
    return List.of();
  }

  protected Path config(String exportYaml) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(yaml, """
        source:
          type: %s
          url: "%s"
        exports:
        %s
        """.formatted(server().sourceType(), server().jdbcUrl(), exportYaml.indent(2)));
    return yaml;
  }

  protected Path exportTypes() throws Exception {
    Path yaml = config("""
        - name: types
          table: %s
          format: parquet
          meta_columns: {exported_at: true}
          destination: {type: local, path: ./out}
        """.formatted(table()));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return dir.resolve("out");
  }

  @Test
  void everyValueSurvivesExactly() throws Exception {
    Path out = exportTypes();
    List<String> names = new ArrayList<>(comparisons().keySet());
    List<String> sourceExpr = names.stream().map(n -> comparisons().get(n)[0]).toList();
    List<String> duckExpr = names.stream().map(n -> comparisons().get(n)[1]).toList();
    List<List<Object>> expected = new ArrayList<>();
    try (Connection c = server().connect(); Statement st = c.createStatement()) {
      for (String s : sourceSession()) {
        st.execute(s);
      }
      try (ResultSet rs = st.executeQuery("SELECT " + String.join(", ", sourceExpr) + " FROM " + table() + " ORDER BY id")) {
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= names.size(); i++) {
            row.add(normalize(rs.getObject(i)));
          }
          expected.add(row);
        }
      }
    }
    List<List<Object>> actual = DuckDb.rows("SELECT " + String.join(", ", duckExpr) + " FROM read_parquet('" + out
        + "/*.parquet') ORDER BY id").stream().map(r -> r.stream().map(AbstractTypeRoundTripIT::normalize).toList()).toList();
    assertThat(actual).hasSameSizeAs(expected).isNotEmpty();
    for (int r = 0; r < expected.size(); r++) {
      for (int c = 0; c < names.size(); c++) {
        assertThat(actual.get(r).get(c)).as("row %d column %s", r + 1, names.get(c)).isEqualTo(expected.get(r).get(c));
      }
    }
  }

  /** Values from two drivers made comparable: NaN by name, numbers of one kind as they are, text as text. */
  static Object normalize(Object v) {
    if (v instanceof Double d) {
      return Double.isNaN(d) ? "NaN" : d;
    }
    if (v instanceof Float f) {
      return Float.isNaN(f) ? "NaN" : f;
    }
    if (v instanceof byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    }
    return v;
  }

  @Test
  void parquetLogicalTypesAreExact() throws Exception {
    Path out = exportTypes();
    Map<String, String> types = new LinkedHashMap<>();
    for (List<Object> row : DuckDb.rows("DESCRIBE SELECT * FROM read_parquet('" + out + "/*.parquet')")) {
      types.put((String) row.get(0), (String) row.get(1));
    }
    assertThat(types).containsAllEntriesOf(duckTypes()).containsEntry("_rivet_exported_at", "TIMESTAMP WITH TIME ZONE");
  }
}
