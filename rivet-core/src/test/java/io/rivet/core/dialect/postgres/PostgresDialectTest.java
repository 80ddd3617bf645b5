package io.rivet.core.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.read.ReadRequest;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresDialectTest {
  private final PostgresDialect d = PostgresDialect.INSTANCE;
  private static final String BASE = "SELECT * FROM \"s\".\"t\"";

  @Test
  void quotesIdentifiersDoublingEmbeddedQuotes() {
    assertThat(d.quote("id")).isEqualTo("\"id\"");
    assertThat(d.quote("we\"ird col")).isEqualTo("\"we\"\"ird col\"");
    assertThat(d.tableRef(new ExportConfig.TableRef("s", "t"))).isEqualTo("\"s\".\"t\"");
    assertThat(d.tableRef(new ExportConfig.TableRef(null, "Orders"))).isEqualTo("\"Orders\"");
  }

  private static ReadSpec spec(String chunkColumn, ColumnMapping key) {
    return new ReadSpec(
        BASE,
        List.of(),
        chunkColumn,
        key,
        List.of(),
        FileFormat.PARQUET,
        false,
        TuningConfig.defaults(TuningConfig.Profile.BALANCED));
  }

  /** The COPY statement of a request (every request here has one). */
  private String copy(String chunkColumn, ColumnMapping key, ReadRequest r) {
    return d.copyStatement(spec(chunkColumn, key), r).orElseThrow();
  }

  @Test
  void binaryCopyInlinesTheBoundsAsBigintsAndOnlyWhenEveryColumnDecodes() {
    List<ColumnMapping> decodable =
        List.of(
            ColumnMapping.of("id", "int8", ColumnKind.INT64),
            ColumnMapping.of("s", "text", ColumnKind.STRING));
    assertThat(PgCopyRowReader.decodes(decodable)).isTrue();
    assertThat(copy("id", null, new ReadRequest.Range(Long.MIN_VALUE, 42)))
        .isEqualTo(
            "COPY (SELECT * FROM"
                + " (SELECT * FROM \"s\".\"t\") AS _rivet WHERE _rivet.\"id\" >= '-9223372036854775808'::bigint"
                + " AND _rivet.\"id\" < '42'::bigint ORDER BY _rivet.\"id\") TO STDOUT (FORMAT binary)");
    List<ColumnMapping> withArray = new ArrayList<>(decodable);
    withArray.add(
        ColumnMapping.list("a", "_int4", ColumnMapping.of("element", "int4", ColumnKind.INT32)));
    assertThat(PgCopyRowReader.decodes(withArray)).isTrue();
    List<ColumnMapping> withChar = new ArrayList<>(decodable);
    withChar.add(ColumnMapping.of("c", "char", ColumnKind.STRING));
    assertThat(PgCopyRowReader.decodes(withChar)).isFalse();
  }

  @Test
  void binaryCopyKeysetPagesInlineTheirKeysAsLiteralsOfTheKeysType() {
    ColumnMapping code = ColumnMapping.of("code", "varchar", ColumnKind.STRING);
    assertThat(copy("code", code, new ReadRequest.KeysetPage("it's a \\ b", "z", 500)))
        .isEqualTo(
            "COPY (SELECT * FROM"
                + " (SELECT * FROM \"s\".\"t\") AS _rivet WHERE _rivet.\"code\" > E'it''s a \\\\ b' AND _rivet.\"code\" <= E'z'"
                + " ORDER BY _rivet.\"code\" LIMIT 500) TO STDOUT (FORMAT binary)");
    assertThat(copy("code", code, new ReadRequest.KeysetPage(null, null, 7)))
        .isEqualTo(
            "COPY (SELECT * FROM"
                + " (SELECT * FROM \"s\".\"t\") AS _rivet ORDER BY _rivet.\"code\" LIMIT 7) TO STDOUT (FORMAT binary)");
    ColumnMapping u = ColumnMapping.of("u", "uuid", ColumnKind.UUID);
    assertThat(PgLiterals.key(u, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"))
        .isEqualTo("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid");
    ColumnMapping id = ColumnMapping.of("id", "int4", ColumnKind.INT32);
    assertThat(PgLiterals.key(id, "-42")).isEqualTo("'-42'::bigint");
    assertThat(
            d.copyStatement(
                spec("at", null),
                new ReadRequest.Days(LocalDate.of(2024, 2, 28), LocalDate.of(2024, 3, 1))))
        .contains(
            "COPY (SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet WHERE _rivet.\"at\" >= '2024-02-28'::date"
                + " AND _rivet.\"at\" < '2024-03-01'::date) TO STDOUT (FORMAT binary)");
    // a year Java prints with a sign (+10000) has no plain literal: the window is bound through the
    // driver
    assertThat(
            d.copyStatement(
                spec("at", null),
                new ReadRequest.Days(LocalDate.of(9999, 12, 31), LocalDate.of(10000, 1, 3))))
        .isEmpty();
    assertThat(d.daysQuery(BASE, "at"))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet"
                + " WHERE _rivet.\"at\" >= ? AND _rivet.\"at\" < ?");
    assertThat(copy("code", null, new ReadRequest.Dense(1, 701)))
        .isEqualTo(
            "COPY (SELECT * FROM (SELECT _rivet_i.*, ROW_NUMBER()"
                + " OVER (ORDER BY _rivet_i.\"code\") AS _rivet_chunk_rn FROM (SELECT * FROM \"s\".\"t\") AS _rivet_i) AS _rivet_w"
                + " WHERE _rivet_w._rivet_chunk_rn >= '1'::bigint AND _rivet_w._rivet_chunk_rn < '701'::bigint"
                + " ORDER BY _rivet_w._rivet_chunk_rn) TO STDOUT (FORMAT binary)");
    // the cursor path's statement is unchanged by the shared builder
    assertThat(d.keysetPageQuery(BASE, "code", true, false))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet"
                + " WHERE _rivet.\"code\" > ? ORDER BY _rivet.\"code\" LIMIT ?");
  }

  @Test
  void sqlShapes() {
    assertThat(d.schemaProbe(BASE))
        .isEqualTo("SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet LIMIT 0");
    assertThat(d.boundsQuery(BASE, "id"))
        .isEqualTo(
            "SELECT min(_rivet.\"id\"), max(_rivet.\"id\") FROM (SELECT * FROM \"s\".\"t\") AS _rivet");
    assertThat(d.nullProbe(BASE, "id"))
        .isEqualTo(
            "SELECT 1 FROM (SELECT * FROM \"s\".\"t\") AS _rivet WHERE _rivet.\"id\" IS NULL LIMIT 1");
    assertThat(d.rangeQuery(BASE, "id"))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet"
                + " WHERE _rivet.\"id\" >= ? AND _rivet.\"id\" < ? ORDER BY _rivet.\"id\"");
    assertThat(d.nullKeyQuery(BASE, "id"))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet WHERE _rivet.\"id\" IS NULL");
    assertThat(d.countQuery(BASE))
        .isEqualTo("SELECT COUNT(*) FROM (SELECT * FROM \"s\".\"t\") AS _rivet");
    assertThat(d.denseQuery(BASE, "id"))
        .isEqualTo(
            "SELECT * FROM (SELECT _rivet_i.*, ROW_NUMBER() OVER (ORDER BY"
                + " _rivet_i.\"id\") AS _rivet_chunk_rn FROM (SELECT * FROM \"s\".\"t\") AS _rivet_i) AS _rivet_w"
                + " WHERE _rivet_w._rivet_chunk_rn >= ? AND _rivet_w._rivet_chunk_rn < ? ORDER BY _rivet_w._rivet_chunk_rn");
    assertThat(d.daysQuery(BASE, "at"))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet"
                + " WHERE _rivet.\"at\" >= ? AND _rivet.\"at\" < ?");
    assertThat(d.keysetPageQuery(BASE, "k", true, true))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet"
                + " WHERE _rivet.\"k\" > ? AND _rivet.\"k\" <= ? ORDER BY _rivet.\"k\" LIMIT ?");
    assertThat(d.keysetPageQuery(BASE, "k", false, false))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet ORDER BY _rivet.\"k\" LIMIT ?");
    assertThat(d.keysetPageQuery(BASE, "k", false, true))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet"
                + " WHERE _rivet.\"k\" <= ? ORDER BY _rivet.\"k\" LIMIT ?");
    assertThat(d.keysetBoundaries(BASE, "k"))
        .isEqualTo(
            "SELECT _rivet_s._rivet_k FROM (SELECT _rivet.\"k\" AS _rivet_k,"
                + " ROW_NUMBER() OVER (ORDER BY _rivet.\"k\") AS _rivet_rn FROM (SELECT * FROM \"s\".\"t\") AS _rivet) AS _rivet_s"
                + " WHERE _rivet_s._rivet_rn % ? = 0 ORDER BY _rivet_s._rivet_rn");
  }

  @Test
  void timeoutsAreSetLocalInsideTheReadTransaction() {
    assertThat(d.sessionSetup(null, TuningConfig.defaults(TuningConfig.Profile.BALANCED)))
        .containsExactly(
            "SET LOCAL TIME ZONE 'UTC'",
            "SET LOCAL statement_timeout = '300s'",
            "SET LOCAL lock_timeout = '30s'");
    assertThat(d.sessionSetup(null, TuningConfig.defaults(TuningConfig.Profile.FAST)))
        .containsExactly("SET LOCAL TIME ZONE 'UTC'");
    assertThat(d.sessionReset(null, TuningConfig.defaults(TuningConfig.Profile.BALANCED)))
        .isEmpty();
  }

  @Test
  void classifiesBySqlState() {
    assertThat(d.classify(new SQLException("x", "08006")))
        .isEqualTo(ErrorClass.TRANSIENT_RECONNECT);
    assertThat(d.classify(new SQLException("x", "57P01")))
        .isEqualTo(ErrorClass.TRANSIENT_RECONNECT);
    assertThat(d.classify(new SQLException("x", "40001"))).isEqualTo(ErrorClass.TRANSIENT);
    assertThat(d.classify(new SQLException("x", "55P03"))).isEqualTo(ErrorClass.TRANSIENT);
    assertThat(d.classify(new SQLException("connection reset", "42P01")))
        .isEqualTo(ErrorClass.PERMANENT);
    assertThat(d.classify(new SQLException("x", "57014"))).isEqualTo(ErrorClass.PERMANENT);
    assertThat(d.classify(new SQLException("no state"))).isEqualTo(ErrorClass.PERMANENT);
  }
}
