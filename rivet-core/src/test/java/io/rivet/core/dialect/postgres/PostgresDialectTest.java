package io.rivet.core.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.ErrorClass;
import java.sql.SQLException;
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

  @Test
  void sqlShapes() {
    assertThat(d.schemaProbe(BASE)).isEqualTo("SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet LIMIT 0");
    assertThat(d.boundsQuery(BASE, "id"))
        .isEqualTo("SELECT min(_rivet.\"id\"), max(_rivet.\"id\") FROM (SELECT * FROM \"s\".\"t\") AS _rivet");
    assertThat(d.nullProbe(BASE, "id"))
        .isEqualTo("SELECT 1 FROM (SELECT * FROM \"s\".\"t\") AS _rivet WHERE _rivet.\"id\" IS NULL LIMIT 1");
    assertThat(d.rangeQuery(BASE, "id")).isEqualTo("SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet"
        + " WHERE _rivet.\"id\" >= ? AND _rivet.\"id\" < ? ORDER BY _rivet.\"id\"");
    assertThat(d.nullKeyQuery(BASE, "id"))
        .isEqualTo("SELECT * FROM (SELECT * FROM \"s\".\"t\") AS _rivet WHERE _rivet.\"id\" IS NULL");
  }

  @Test
  void timeoutsAreSetLocalInsideTheReadTransaction() {
    assertThat(d.sessionSetup(TuningConfig.defaults(TuningConfig.Profile.BALANCED)))
        .containsExactly("SET LOCAL statement_timeout = '300s'", "SET LOCAL lock_timeout = '30s'");
    assertThat(d.sessionSetup(TuningConfig.defaults(TuningConfig.Profile.FAST))).isEmpty();
  }

  @Test
  void classifiesBySqlState() {
    assertThat(d.classify(new SQLException("x", "08006"))).isEqualTo(ErrorClass.TRANSIENT_RECONNECT);
    assertThat(d.classify(new SQLException("x", "57P01"))).isEqualTo(ErrorClass.TRANSIENT_RECONNECT);
    assertThat(d.classify(new SQLException("x", "40001"))).isEqualTo(ErrorClass.TRANSIENT);
    assertThat(d.classify(new SQLException("x", "55P03"))).isEqualTo(ErrorClass.TRANSIENT);
    assertThat(d.classify(new SQLException("connection reset", "42P01"))).isEqualTo(ErrorClass.PERMANENT);
    assertThat(d.classify(new SQLException("x", "57014"))).isEqualTo(ErrorClass.PERMANENT);
    assertThat(d.classify(new SQLException("no state"))).isEqualTo(ErrorClass.PERMANENT);
  }
}
