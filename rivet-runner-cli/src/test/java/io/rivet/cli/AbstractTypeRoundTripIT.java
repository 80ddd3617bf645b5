package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The type round-trip, one subclass per engine: a table of hostile values exported by {@code rivet
 * run} and read back by DuckDB; each value must equal the source's (both rendered comparably per
 * column), and each column must carry the exact Parquet logical type.
 */
abstract class AbstractTypeRoundTripIT {
  @TempDir Path dir;

  /** The server holding the types table. */
  protected abstract TestingServer server();

  /**
   * The table of hostile values (created by the subclass's fixture), keyed by an integer {@code
   * id}.
   */
  protected abstract String table();

  /** Per column: how the source and DuckDB each render the value comparably. */
  protected abstract Map<String, String[]> comparisons();

  /** Per column: the DuckDB type the Parquet column must read as. */
  protected abstract Map<String, String> duckTypes();

  /**
   * Statements run on the source connection before reading the expected values (e.g. session time
   * zone).
   */
  protected List<String> sourceSession() {
    return List.of();
  }

  protected Path config(String exportYaml) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source:
          type: %s
          url: "%s"
        exports:
        %s
        """
            .formatted(server().sourceType(), server().jdbcUrl(), exportYaml.indent(2)));
    return yaml;
  }

  protected Path exportTypes() throws Exception {
    Path yaml =
        config(
            """
        - name: types
          table: %s
          format: parquet
          meta_columns: {exported_at: true}
          destination: {type: local, path: ./out}
        """
                .formatted(table()));
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
    try (Connection c = server().connect();
        Statement st = c.createStatement()) {
      for (String s : sourceSession()) {
        st.execute(s);
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT " + String.join(", ", sourceExpr) + " FROM " + table() + " ORDER BY id")) {
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= names.size(); i++) {
            row.add(normalize(rs.getObject(i)));
          }
          expected.add(row);
        }
      }
    }
    List<List<Object>> actual =
        DuckDb.rows(
                "SELECT "
                    + String.join(", ", duckExpr)
                    + " FROM read_parquet('"
                    + out
                    + "/*.parquet') ORDER BY id")
            .stream()
            .map(r -> r.stream().map(AbstractTypeRoundTripIT::normalize).toList())
            .toList();
    assertThat(actual).hasSameSizeAs(expected).isNotEmpty();
    for (int r = 0; r < expected.size(); r++) {
      for (int c = 0; c < names.size(); c++) {
        assertThat(actual.get(r).get(c))
            .as("row %d column %s", r + 1, names.get(c))
            .isEqualTo(expected.get(r).get(c));
      }
    }
  }

  /**
   * Values from two drivers made comparable: NaN by name, numbers of one kind as they are, text as
   * text.
   */
  static Object normalize(Object v) {
    if (v instanceof Double d) {
      return Double.isNaN(d) ? "NaN" : d;
    }
    if (v instanceof Float f) {
      return Float.isNaN(f) ? "NaN" : f;
    }
    if (v instanceof byte[] b) {
      return HexFormat.of().formatHex(b);
    }
    return v;
  }

  @Test
  void parquetLogicalTypesAreExact() throws Exception {
    Path out = exportTypes();
    Map<String, String> types = new LinkedHashMap<>();
    for (List<Object> row :
        DuckDb.rows("DESCRIBE SELECT * FROM read_parquet('" + out + "/*.parquet')")) {
      types.put((String) row.get(0), (String) row.get(1));
    }
    assertThat(types)
        .containsAllEntriesOf(duckTypes())
        .containsEntry("_rivet_exported_at", "TIMESTAMP WITH TIME ZONE");
  }

  /**
   * The two formats agree value for value: the same table exported as Parquet and as CSV (lists
   * left out: CSV cannot carry them), read back by DuckDB, every CSV field equal to the Parquet
   * value in the CSV's spelling of it. Each value of both comes from the same column reader; where
   * the engine has its own stream (PostgreSQL binary COPY for Parquet), the two formats are even
   * read on different paths.
   */
  @Test
  void parquetAndCsvAgreeValueForValue() throws Exception {
    Map<String, String> types = new LinkedHashMap<>();
    Path parquet = exportAs("parquet", "SELECT * FROM " + table(), "pq");
    for (List<Object> row :
        DuckDb.rows("DESCRIBE SELECT * FROM read_parquet('" + parquet + "/*.parquet')")) {
      if (!((String) row.get(1)).endsWith("[]")) {
        types.put((String) row.get(0), (String) row.get(1));
      }
    }
    List<String> names = new ArrayList<>(types.keySet());
    Path csv = exportAs("csv", "SELECT " + String.join(", ", names) + " FROM " + table(), "csv");
    List<List<Object>> fromParquet =
        DuckDb.rows(
            "SELECT "
                + String.join(", ", names.stream().map(n -> canonicalSql(n, types.get(n))).toList())
                + " FROM read_parquet('"
                + parquet
                + "/*.parquet') ORDER BY id");
    List<List<Object>> fromCsv =
        DuckDb.rows(
            "SELECT * FROM read_csv('"
                + csv
                + "/*.csv', header = true,"
                + " all_varchar = true, allow_quoted_nulls = false) ORDER BY CAST(id AS BIGINT)");
    assertThat(fromCsv).hasSameSizeAs(fromParquet).isNotEmpty();
    for (int r = 0; r < fromParquet.size(); r++) {
      for (int c = 0; c < names.size(); c++) {
        String type = types.get(names.get(c));
        assertThat(canonical(type, (String) fromCsv.get(r).get(c)))
            .as("row %d column %s (%s)", r + 1, names.get(c), type)
            .isEqualTo(normalize(fromParquet.get(r).get(c)));
      }
    }
  }

  private Path exportAs(String format, String query, String subdir) throws Exception {
    Path yaml =
        config(
            """
        - name: types_%s
          query: "%s"
          format: %s
          destination: {type: local, path: ./%s}
        """
                .formatted(format, query, format, subdir));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return dir.resolve(subdir);
  }

  /**
   * A Parquet column as DuckDB reads it, in a form its CSV spelling converts to exactly (see {@link
   * #canonical}).
   */
  private static String canonicalSql(String c, String type) {
    if (type.equals("DATE")) {
      return "date_diff('day', DATE '1970-01-01', " + c + ")";
    } else if (type.startsWith("TIMESTAMP")) {
      return "epoch_us(" + c + ")";
    } else if (type.equals("TIME")) {
      return "(hour(" + c + ") * 3600 + minute(" + c + ") * 60) * 1000000 + microsecond(" + c + ")";
    } else if (type.equals("BLOB")) {
      return "lower(hex(" + c + "))";
    } else if (type.equals("FLOAT") || type.equals("DOUBLE") || type.startsWith("DECIMAL")) {
      return c;
    }
    return "CAST(" + c + " AS VARCHAR)";
  }

  /** A CSV field in the form {@link #canonicalSql} gives its Parquet value. */
  private static Object canonical(String type, String v) {
    if (v == null) {
      return null;
    } else if (type.equals("DATE")) {
      return LocalDate.parse(v).toEpochDay();
    } else if (type.startsWith("TIMESTAMP")) {
      LocalDateTime t = LocalDateTime.parse(v);
      return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), t);
    } else if (type.equals("TIME")) {
      return v.equals("24:00:00.000000")
          ? 86_400_000_000L
          : LocalTime.parse(v).toNanoOfDay() / 1000;
    } else if (type.equals("FLOAT")) {
      return normalize(Float.parseFloat(v.replace("inf", "Infinity")));
    } else if (type.equals("DOUBLE")) {
      return normalize(Double.parseDouble(v.replace("inf", "Infinity")));
    } else if (type.startsWith("DECIMAL")) {
      return new BigDecimal(v);
    }
    return v;
  }
}
