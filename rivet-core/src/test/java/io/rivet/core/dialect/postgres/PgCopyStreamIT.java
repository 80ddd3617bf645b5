package io.rivet.core.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.dialect.ColumnTypes;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import io.rivet.core.testing.TestingPostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Binary COPY rows against the same values fetched through the driver's binary cursor path (the
 * server's {@code *_send} output as pgjdbc hands it out): field for field, the same bytes, and
 * NULLs, empty results and early stops.
 */
class PgCopyStreamIT {
  private static TestingPostgresServer pg;
  private static Connection c;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    c = pg.connect();
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy 🎉')");
      st.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, a int2, b int4, f float8, ok bool, s text, j jsonb, d date,"
              + " ts timestamptz, n numeric(12,2), u uuid, raw bytea, tm time, e mood, ia int4[], ta text[])");
      st.execute(
          "INSERT INTO t SELECT g, (g % 100)::int2, g * 3, g / 7.0, g % 2 = 0, CASE WHEN g % 5 = 0 THEN NULL"
              + " ELSE 'row ' || g || ' é' END, jsonb_build_object('g', g), date '2024-01-01' + g::int,"
              + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', g / 100.0,"
              + " md5(g::text)::uuid, CASE WHEN g % 3 = 0 THEN ''::bytea ELSE decode(md5(g::text), 'hex') END,"
              + " CASE WHEN g = 150 THEN time '24:00:00' ELSE time '00:00:00' + g * interval '17.000123 second' END,"
              + " (enum_range(NULL::mood))[g % 3 + 1],"
              + " CASE g % 4 WHEN 0 THEN '{}'::int4[] WHEN 1 THEN ARRAY[g, NULL, -g] WHEN 2 THEN NULL"
              + " ELSE ('[0:1]={' || g || ',7}')::int4[] END,"
              + " CASE WHEN g % 3 = 0 THEN ARRAY[]::text[] ELSE ARRAY['é' || g, NULL, ''] END"
              + " FROM generate_series(1, 3000) g");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    c.close();
    pg.close();
  }

  private static final String SENDS =
      "SELECT int8send(id), int2send(a), int4send(b), float8send(f), boolsend(ok),"
          + " textsend(s), jsonb_send(j), date_send(d), timestamptz_send(ts), numeric_send(n), uuid_send(u),"
          + " byteasend(raw), time_send(tm), enum_send(e), array_send(ia), array_send(ta) FROM t";

  private static final int COLUMNS = 16;

  @Test
  void everyFieldIsTheServersBinaryValue() throws Exception {
    List<byte[][]> expected = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(SENDS + " WHERE id >= 100 AND id < 2100 ORDER BY id")) {
      while (rs.next()) {
        byte[][] row = new byte[COLUMNS][];
        for (int i = 0; i < COLUMNS; i++) {
          row[i] = rs.getBytes(i + 1);
        }
        expected.add(row);
      }
    }
    List<byte[][]> actual = new ArrayList<>();
    try (PgCopyStream copy =
        PgCopyStream.open(
            c,
            PgCopyStream.copyOf("SELECT * FROM t WHERE id >= 100 AND id < 2100 ORDER BY id"),
            COLUMNS)) {
      while (copy.next()) {
        PgBinaryRow r = copy.row();
        byte[][] row = new byte[COLUMNS][];
        for (int i = 0; i < COLUMNS; i++) {
          row[i] =
              r.length(i) < 0
                  ? null
                  : Arrays.copyOfRange(r.buffer(), r.offset(i), r.offset(i) + r.length(i));
        }
        assertThat(r.integer(0)).isEqualTo(100 + actual.size());
        assertThat(r.integer(1)).isEqualTo((100 + actual.size()) % 100);
        actual.add(row);
      }
    }
    assertThat(actual).hasSize(2000);
    for (int r = 0; r < expected.size(); r++) {
      for (int i = 0; i < COLUMNS; i++) {
        assertThat(actual.get(r)[i]).as("row %d field %d", r, i).isEqualTo(expected.get(r)[i]);
      }
    }
  }

  @Test
  void anEmptyResultEndsAtOnceAndAnEarlyStopLeavesTheConnectionUsable() throws Exception {
    try (PgCopyStream copy =
        PgCopyStream.open(c, PgCopyStream.copyOf("SELECT * FROM t WHERE id < 0"), COLUMNS)) {
      assertThat(copy.next()).isFalse();
    }
    try (PgCopyStream copy =
        PgCopyStream.open(c, PgCopyStream.copyOf("SELECT * FROM t ORDER BY id"), COLUMNS)) {
      assertThat(copy.next()).isTrue();
      copy.drain();
    }
    try (PgCopyStream copy =
        PgCopyStream.open(c, PgCopyStream.copyOf("SELECT * FROM t ORDER BY id"), COLUMNS)) {
      assertThat(copy.next()).isTrue();
      // closed mid-stream, as after a failed write
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(3000);
    }
  }

  @Test
  void anAbandonedCopyIsNotReadOnAndClosingTheConnectionEndsItOnTheServer() throws Exception {
    Connection own = pg.connect();
    long pid;
    try (Statement st = own.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      pid = rs.getLong(1);
    }
    // far more than the socket buffers hold: the server is still sending when the reader gives up
    try (PgCopyStream copy =
        PgCopyStream.open(
            own,
            PgCopyStream.copyOf("SELECT g, repeat('x', 100) FROM generate_series(1, 5000000) g"),
            2)) {
      assertThat(copy.next()).isTrue();
      copy.abandon();
      copy.close();
      assertThat(copy.unfinished()).isTrue();
    }
    own.close();
    boolean gone = false;
    for (int i = 0; i < 100 && !gone; i++) {
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
        rs.next();
        gone = rs.getLong(1) == 0;
      }
      if (!gone) {
        Thread.sleep(100);
      }
    }
    assertThat(gone).as("backend %d ended after its connection closed mid-COPY", pid).isTrue();
  }

  @Test
  void aRowOfAnotherWidthIsRefused() throws Exception {
    try (PgCopyStream copy = PgCopyStream.open(c, PgCopyStream.copyOf("SELECT id FROM t"), 2)) {
      Assertions.assertThatThrownBy(copy::next).hasMessageContaining("1 fields, expected 2");
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      assertThat(rs.next()).isTrue();
    }
  }

  @Test
  void onlyTheMappingsTheDecodersKnowAreRead() {
    assertThat(PgBinaryRow.form(ColumnMapping.of("a", "int4", ColumnKind.INT32)))
        .isEqualTo(PgBinaryRow.Form.INT4);
    assertThat(PgBinaryRow.form(ColumnMapping.of("a", "jsonb", ColumnKind.JSON)))
        .isEqualTo(PgBinaryRow.Form.JSONB);
    assertThat(PgBinaryRow.form(ColumnTypes.decimal("a", "numeric", 38, 10)))
        .isEqualTo(PgBinaryRow.Form.NUMERIC);
    // an override to another kind, a type without a decoder, and a special read all go through the
    // driver
    assertThat(PgBinaryRow.form(ColumnMapping.of("a", "int4", ColumnKind.STRING))).isNull();
    assertThat(PgBinaryRow.form(ColumnMapping.of("a", "time", ColumnKind.TIME_MICROS)))
        .isEqualTo(PgBinaryRow.Form.TIME);
    assertThat(PgBinaryRow.form(ColumnMapping.of("a", "timetz", ColumnKind.TIME_MICROS))).isNull();
    // an enum is read as its label only when the type mapping marked it; an unmarked STRING of
    // another type is not
    assertThat(PgBinaryRow.form(ColumnMapping.of("a", "mood", ColumnKind.STRING))).isNull();
    assertThat(
            PgBinaryRow.form(
                ColumnMapping.of("a", "mood", ColumnKind.STRING)
                    .readAs(ColumnMapping.ReadAs.ENUM_LABEL)))
        .isEqualTo(PgBinaryRow.Form.TEXT);
    assertThat(PgBinaryRow.form(ColumnMapping.of("a", "char", ColumnKind.STRING))).isNull();
    // arrays of the element kinds the mapping makes lists of; not of a type without a decoder
    ColumnMapping ints =
        ColumnMapping.list("a", "_int4", ColumnMapping.of("element", "int4", ColumnKind.INT32));
    assertThat(PgBinaryRow.form(ints)).isEqualTo(PgBinaryRow.Form.ARRAY);
    assertThat(PgBinaryRow.elementForm(ints)).isEqualTo(PgBinaryRow.Form.INT4);
    assertThat(
            PgBinaryRow.form(
                ColumnMapping.list(
                    "a", "_char", ColumnMapping.of("element", "char", ColumnKind.STRING))))
        .isNull();
    assertThat(
            PgBinaryRow.form(
                ColumnMapping.of("a", "timestamp", ColumnKind.TIMESTAMP_MICROS)
                    .readAs(ColumnMapping.ReadAs.ZERO_DATE_AS_NULL)))
        .isNull();
  }
}
