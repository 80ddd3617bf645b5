package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivet.beam.RivetIO;
import io.rivet.beam.testing.TestPipelines;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.io.Serializable;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;
import org.apache.beam.sdk.schemas.logicaltypes.UuidLogicalType;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * {@link RivetIO#read()} over the hostile showcases: every row of PostgreSQL's {@code
 * demo.type_showcase} and MariaDB's {@code types} arrives as a Beam {@link Row} whose every value
 * equals what the source's own JDBC getters give for it (an oracle independent of rivet's readers),
 * read in several chunks on the DirectRunner; and, side by side on the same table, the values
 * Beam's {@code JdbcIO.readRows()} loses.
 */
class RivetReadIT {

  private static String config(String type, String url, String query) {
    return """
        source: {type: %s, url: "%s"}
        exports:
          - {name: showcase, query: "%s", mode: chunked, chunk_column: id, chunk_size: 2,
             format: parquet, destination: {type: local, path: ./unused}}
        """
        .formatted(type, url, query);
  }

  @Test
  void postgresRowsEqualTheSourceValueForValue() throws Throwable {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      try (Connection c = pg.connect()) {
        DemoDatabase.load(c, 10);
      }
      // 24:00:00 has no LocalTime: that row's time is checked on its own below.
      String query = "SELECT * FROM demo.type_showcase WHERE c_time IS DISTINCT FROM '24:00'";
      readAndCompare(pg, config("postgres", pg.jdbcUrl(), query), query, 5);
    }
  }

  @Test
  void mariaDbRowsEqualTheSourceValueForValue() throws Throwable {
    try (TestingMariaDbServer db = new TestingMariaDbServer()) {
      db.execute(HostileShowcase.MARIADB);
      String query = "SELECT * FROM types";
      readAndCompare(db, config("mysql", db.jdbcUrl(), query), query, 5);
    }
  }

  @Test
  void aTimeOf2400IsRefusedNamingTheColumnAndTheFix() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      try (Connection c = pg.connect()) {
        DemoDatabase.load(c, 10);
      }
      String query = "SELECT id, c_time FROM demo.type_showcase";
      assertThatThrownBy(
              () ->
                  TestPipelines.run(
                      RivetReadIT.class,
                      p ->
                          p.apply(
                              RivetIO.read()
                                  .withConfigYaml(config("postgres", pg.jdbcUrl(), query)))))
          .rootCause()
          .hasMessageContaining("c_time")
          .hasMessageContaining("24:00:00")
          .hasMessageContaining("cast it to text");
    }
  }

  /**
   * The same table read by Beam's JdbcIO and by RivetIO in one pipeline: JdbcIO's timestamps keep
   * milliseconds, so every value with microseconds is changed; rivet's equal the source's.
   */
  @Test
  void jdbcIoLosesTheMicrosecondsRivetKeeps() throws Throwable {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      try (Connection c = pg.connect()) {
        DemoDatabase.load(c, 10);
      }
      String query = "SELECT id, c_ts, c_tstz FROM demo.type_showcase WHERE c_ts IS NOT NULL";
      HashMap<Integer, List<Long>> source = new HashMap<>();
      try (Connection c = pg.connect();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT id, (extract(epoch from c_ts) * 1000000)::bigint,"
                      + " (extract(epoch from c_tstz) * 1000000)::bigint FROM demo.type_showcase"
                      + " WHERE c_ts IS NOT NULL")) {
        while (rs.next()) {
          source.put(rs.getInt(1), List.of(rs.getLong(2), rs.getLong(3)));
        }
      }
      List<Integer> subMillisecond =
          source.entrySet().stream()
              .filter(e -> e.getValue().stream().anyMatch(m -> Math.floorMod(m, 1000L) != 0))
              .map(Map.Entry::getKey)
              .toList();
      assertThat(subMillisecond).as("the showcase has microseconds to lose").isNotEmpty();

      TestPipelines.run(
          RivetReadIT.class,
          p -> {
            PCollection<Row> viaJdbc =
                p.apply(
                    "JdbcIO",
                    JdbcIO.readRows()
                        .withDataSourceConfiguration(
                            JdbcIO.DataSourceConfiguration.create(
                                "org.postgresql.Driver", pg.jdbcUrl()))
                        .withQuery(query));
            PCollection<Row> viaRivet =
                p.apply(
                    "RivetIO",
                    RivetIO.read().withConfigYaml(config("postgres", pg.jdbcUrl(), query)));
            PAssert.that(viaJdbc)
                .satisfies(
                    rows -> {
                      assertThat(changed(rows, source))
                          .as("JdbcIO changed every value with microseconds")
                          .containsAll(subMillisecond);
                      return null;
                    });
            PAssert.that(viaRivet)
                .satisfies(
                    rows -> {
                      assertThat(changed(rows, source)).as("RivetIO changed nothing").isEmpty();
                      return null;
                    });
          });
    }
  }

  /** The ids whose timestamps differ from the source's microseconds. */
  private static List<Integer> changed(Iterable<Row> rows, Map<Integer, List<Long>> source) {
    List<Integer> out = new ArrayList<>();
    for (Row r : rows) {
      int id = ((Number) r.getValue("id")).intValue();
      List<Long> got = List.of(micros(r.getValue("c_ts")), micros(r.getValue("c_tstz")));
      if (!got.equals(source.get(id))) {
        out.add(id);
      }
    }
    return out;
  }

  private static long micros(Object v) {
    if (v instanceof org.joda.time.ReadableInstant j) {
      return j.getMillis() * 1000;
    }
    if (v instanceof Instant i) {
      return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }
    if (v instanceof LocalDateTime t) {
      return micros(t.toInstant(ZoneOffset.UTC));
    }
    if (v instanceof java.sql.Timestamp t) {
      return micros(t.toInstant());
    }
    throw new AssertionError("a timestamp value the test does not know: " + v.getClass());
  }

  private static void readAndCompare(
      TestingServer server, String yaml, String query, int expectedRows) throws Throwable {
    TestPipelines.run(
        RivetReadIT.class,
        p -> {
          PCollection<Row> rows = p.apply(RivetIO.read().withConfigYaml(yaml));
          Schema schema = rows.getSchema();
          Map<Integer, List<Object>> expected = oracle(server, query, schema);
          assertThat(expected).hasSize(expectedRows);
          PAssert.that(rows).satisfies(new SameAs(expected));
          // The types each column became (the documented mapping), as a reader of the schema sees.
          assertThat(schema.getFields()).allMatch(f -> f.getType().getNullable());
          assertThat(schema.getField("id").getOptions().<String>getValue("rivet_source_type"))
              .isNotBlank();
        });
  }

  /** Every row of the read equals the oracle's row of the same id, field for field. */
  private static final class SameAs
      implements org.apache.beam.sdk.transforms.SerializableFunction<Iterable<Row>, Void>,
          Serializable {
    private static final long serialVersionUID = 1L;
    private final HashMap<Integer, List<Object>> expected;

    SameAs(Map<Integer, List<Object>> expected) {
      this.expected = new HashMap<>(expected);
    }

    @Override
    public Void apply(Iterable<Row> rows) {
      List<Integer> seen = new ArrayList<>();
      for (Row r : rows) {
        Integer id = ((Number) r.getValue("id")).intValue();
        seen.add(id);
        List<Object> want = expected.get(id);
        assertThat(want).as("row %d is in the source", id).isNotNull();
        for (int i = 0; i < r.getFieldCount(); i++) {
          Object got = r.getValue(i);
          String field = r.getSchema().getField(i).getName();
          if (got instanceof byte[] b) {
            assertThat(b).as("row %d, %s", id, field).isEqualTo((byte[]) want.get(i));
          } else {
            assertThat(got).as("row %d, %s", id, field).isEqualTo(want.get(i));
          }
        }
      }
      assertThat(seen).as("every row once").containsExactlyInAnyOrderElementsOf(expected.keySet());
      return null;
    }
  }

  /**
   * The source's rows through its own JDBC getters — the getter chosen by the Beam type the column
   * became — as the Java values of those types.
   */
  private static Map<Integer, List<Object>> oracle(
      TestingServer server, String query, Schema schema) throws SQLException {
    Map<Integer, List<Object>> out = new HashMap<>();
    boolean pg = server instanceof TestingPostgresServer;
    try (Connection c = server.connect();
        Statement st = c.createStatement()) {
      if (!pg) {
        st.execute("SET time_zone = '+00:00'");
      }
      try (ResultSet rs = st.executeQuery(query)) {
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= schema.getFieldCount(); i++) {
            row.add(value(rs, i, schema.getField(i - 1).getType(), pg));
          }
          out.put(rs.getInt("id"), row);
        }
      }
    }
    return out;
  }

  private static Object value(ResultSet rs, int i, FieldType type, boolean pg) throws SQLException {
    String text = rs.getString(i);
    if (text == null || text.startsWith("0000-00-00")) {
      return null; // NULL, or a MySQL zero date (NULL by policy)
    }
    return switch (type.getTypeName()) {
      case INT16 -> rs.getShort(i);
      case INT32 -> rs.getInt(i);
      case INT64 -> rs.getLong(i);
      case FLOAT -> rs.getFloat(i);
      case DOUBLE -> rs.getDouble(i);
      case BOOLEAN -> rs.getBoolean(i);
      case DECIMAL -> rs.getBigDecimal(i);
      case BYTES -> rs.getBytes(i);
      case ARRAY -> {
        Array a = rs.getArray(i);
        yield Arrays.asList((Object[]) a.getArray());
      }
      case LOGICAL_TYPE -> logical(rs, i, type.getLogicalType(), pg);
      default -> text;
    };
  }

  private static Object logical(ResultSet rs, int i, Schema.LogicalType<?, ?> t, boolean pg)
      throws SQLException {
    String id = t.getIdentifier();
    if (t instanceof FixedPrecisionNumeric) {
      return rs.getBigDecimal(i);
    } else if (t instanceof UuidLogicalType) {
      return rs.getObject(i, UUID.class);
    } else if (id.equals(SqlTypes.DATE.getIdentifier())) {
      return rs.getObject(i, LocalDate.class);
    } else if (id.equals(SqlTypes.TIME.getIdentifier())) {
      return rs.getObject(i, LocalTime.class);
    } else if (id.equals(SqlTypes.DATETIME.getIdentifier())) {
      return rs.getObject(i, LocalDateTime.class);
    } else if (id.equals(SqlTypes.TIMESTAMP.getIdentifier())) {
      return pg
          ? rs.getObject(i, OffsetDateTime.class).toInstant()
          : rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }
    throw new AssertionError("a logical type the test does not know: " + id);
  }
}
