package io.rivet.core.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class MySqlDialectTest {
  private final MySqlDialect d = MySqlDialect.INSTANCE;
  private static final String BASE = "SELECT * FROM `db`.`t`";

  @Test
  void quotesWithBackticksDoublingEmbeddedOnes() {
    assertThat(d.quote("id")).isEqualTo("`id`");
    assertThat(d.quote("we`ird col")).isEqualTo("`we``ird col`");
    assertThat(d.tableRef(new ExportConfig.TableRef("db", "t"))).isEqualTo("`db`.`t`");
  }

  @Test
  void sqlShapes() {
    assertThat(d.schemaProbe(BASE))
        .isEqualTo("SELECT * FROM (SELECT * FROM `db`.`t`) AS _rivet LIMIT 0");
    assertThat(d.boundsQuery(BASE, "id"))
        .isEqualTo(
            "SELECT min(_rivet.`id`), max(_rivet.`id`) FROM (SELECT * FROM `db`.`t`) AS _rivet");
    assertThat(d.nullProbe(BASE, "id"))
        .isEqualTo(
            "SELECT 1 FROM (SELECT * FROM `db`.`t`) AS _rivet WHERE _rivet.`id` IS NULL LIMIT 1");
    assertThat(d.rangeQuery(BASE, "id"))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM `db`.`t`) AS _rivet"
                + " WHERE _rivet.`id` >= ? AND _rivet.`id` < ? ORDER BY _rivet.`id`");
    assertThat(d.nullKeyQuery(BASE, "id"))
        .isEqualTo("SELECT * FROM (SELECT * FROM `db`.`t`) AS _rivet WHERE _rivet.`id` IS NULL");
    assertThat(d.countQuery(BASE))
        .isEqualTo("SELECT COUNT(*) FROM (SELECT * FROM `db`.`t`) AS _rivet");
    assertThat(d.denseQuery(BASE, "id"))
        .isEqualTo(
            "SELECT * FROM (SELECT _rivet_i.*, ROW_NUMBER() OVER (ORDER BY"
                + " _rivet_i.`id`) AS _rivet_chunk_rn FROM (SELECT * FROM `db`.`t`) AS _rivet_i) AS _rivet_w"
                + " WHERE _rivet_w._rivet_chunk_rn >= ? AND _rivet_w._rivet_chunk_rn < ? ORDER BY _rivet_w._rivet_chunk_rn");
    assertThat(d.daysQuery(BASE, "at"))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM `db`.`t`) AS _rivet"
                + " WHERE _rivet.`at` >= ? AND _rivet.`at` < ?");
    assertThat(d.keysetPageQuery(BASE, "k", true, false))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM `db`.`t`) AS _rivet"
                + " WHERE _rivet.`k` > ? ORDER BY _rivet.`k` LIMIT ?");
    assertThat(d.keysetBoundaries(BASE, "k"))
        .isEqualTo(
            "SELECT _rivet_s._rivet_k FROM (SELECT _rivet.`k` AS _rivet_k,"
                + " ROW_NUMBER() OVER (ORDER BY _rivet.`k`) AS _rivet_rn FROM (SELECT * FROM `db`.`t`) AS _rivet) AS _rivet_s"
                + " WHERE _rivet_s._rivet_rn % ? = 0 ORDER BY _rivet_s._rivet_rn");
  }

  @Test
  void streamsRowByRowInUtc() throws SQLException {
    assertThat(d.fetchSize(10_000)).isEqualTo(Integer.MIN_VALUE);
    assertThat(d.sessionSetup(null, TuningConfig.defaults(TuningConfig.Profile.FAST)))
        .containsExactly("SET @rivet_saved_tz = @@session.time_zone", "SET time_zone = '+00:00'");
  }

  @Test
  void mapsTypesExactly() {
    assertThat(MySqlTypes.resolve("a", "BIGINT UNSIGNED", 20, 0).kind())
        .isEqualTo(ColumnKind.UINT64);
    assertThat(MySqlTypes.resolve("a", "INT UNSIGNED", 10, 0).kind()).isEqualTo(ColumnKind.INT64);
    assertThat(MySqlTypes.resolve("a", "BIT", 1, 0).kind()).isEqualTo(ColumnKind.BOOLEAN);
    assertThat(MySqlTypes.resolve("a", "BIT", 10, 0).kind()).isEqualTo(ColumnKind.INT64);
    assertThat(MySqlTypes.resolve("a", "TIMESTAMP", 26, 6).readAs())
        .isEqualTo(ColumnMapping.ReadAs.ZERO_DATE_AS_NULL_UTC);
    assertThat(MySqlTypes.resolve("a", "DATETIME", 26, 6).kind())
        .isEqualTo(ColumnKind.TIMESTAMP_MICROS);
    assertThat(MySqlTypes.resolve("a", "DECIMAL", 65, 2)).isNull();
    assertThat(MySqlTypes.resolve("a", "GEOMETRY", 0, 0)).isNull();
  }

  @Test
  void classifiesByVendorCode() {
    assertThat(d.classify(new SQLException("x", "HY000", 1205))).isEqualTo(ErrorClass.TRANSIENT);
    assertThat(d.classify(new SQLException("x", "40001", 1213))).isEqualTo(ErrorClass.TRANSIENT);
    assertThat(d.classify(new SQLException("x", "HY000", 2013)))
        .isEqualTo(ErrorClass.TRANSIENT_RECONNECT);
    assertThat(d.classify(new SQLException("x", "08S01", 0)))
        .isEqualTo(ErrorClass.TRANSIENT_RECONNECT);
    assertThat(d.classify(new SQLException("x", "HY000", 3024))).isEqualTo(ErrorClass.PERMANENT);
    assertThat(d.classify(new SQLException("x", "42S02", 1146))).isEqualTo(ErrorClass.PERMANENT);
  }
}
