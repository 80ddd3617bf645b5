package io.rivet.core.dialect.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.schema.ColumnKind;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlServerDialectTest {
  private final SqlServerDialect d = SqlServerDialect.INSTANCE;
  private static final String BASE = "SELECT * FROM [dbo].[t]";

  @Test
  void quotesWithBracketsDoublingClosingOnes() {
    assertThat(d.quote("id")).isEqualTo("[id]");
    assertThat(d.quote("we]ird col")).isEqualTo("[we]]ird col]");
    assertThat(d.tableRef(new ExportConfig.TableRef("dbo", "t"))).isEqualTo("[dbo].[t]");
  }

  @Test
  void aKeyRangeIsEstimatedFromTheShowplanOfAStatementWithItsBoundsWritten() {
    ReadSpec spec =
        new ReadSpec(
            BASE,
            List.of(),
            "id",
            null,
            List.of(),
            FileFormat.PARQUET,
            false,
            TuningConfig.defaults(TuningConfig.Profile.BALANCED));
    assertThat(d.estimateSql(spec, -5, 1_000_000))
        .isEqualTo(
            "SELECT 1 FROM (SELECT * FROM [dbo].[t]) AS _rivet_est"
                + " WHERE _rivet_est.[id] >= -5 AND _rivet_est.[id] < 1000000");
    // The start of a showplan as SQL Server 2019 returns it (one statement).
    String showplan =
        "<ShowPlanXML xmlns=\"http://schemas.microsoft.com/sqlserver/2004/07/showplan\""
            + " Version=\"1.539\" Build=\"15.0.2000.5\"><BatchSequence><Batch><Statements>"
            + "<StmtSimple StatementText=\"SELECT 1 FROM ...\" StatementId=\"1\""
            + " StatementCompId=\"1\" StatementType=\"SELECT\" StatementSubTreeCost=\"0.48\""
            + " StatementEstRows=\"81234.5\" StatementOptmLevel=\"FULL\">"
            + "<QueryPlan><RelOp EstimateRows=\"81234.5\"/></QueryPlan></StmtSimple>";
    assertThat(SqlServerDialect.showplanRows(showplan)).hasValue(81_235);
    assertThat(SqlServerDialect.showplanRows("<ShowPlanXML/>")).isEmpty();
    assertThat(SqlServerDialect.showplanRows("StatementEstRows=\"1.2E+7\"")).hasValue(12_000_000);
    assertThat(SqlServerDialect.showplanRows(null)).isEmpty();
  }

  @Test
  void sqlShapes() {
    assertThat(d.schemaProbe(BASE))
        .isEqualTo("SELECT TOP (0) * FROM (SELECT * FROM [dbo].[t]) AS _rivet");
    assertThat(d.nullProbe(BASE, "id"))
        .isEqualTo(
            "SELECT TOP (1) 1 FROM (SELECT * FROM [dbo].[t]) AS _rivet WHERE _rivet.[id] IS NULL");
    assertThat(d.boundsQuery(BASE, "id"))
        .isEqualTo(
            "SELECT min(_rivet.[id]), max(_rivet.[id]) FROM (SELECT * FROM [dbo].[t]) AS _rivet");
    assertThat(d.rangeQuery(BASE, "id"))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM [dbo].[t]) AS _rivet"
                + " WHERE _rivet.[id] >= ? AND _rivet.[id] < ? ORDER BY _rivet.[id]");
    assertThat(d.denseQuery(BASE, "id"))
        .isEqualTo(
            "SELECT * FROM (SELECT _rivet_i.*, ROW_NUMBER() OVER (ORDER BY"
                + " _rivet_i.[id]) AS _rivet_chunk_rn FROM (SELECT * FROM [dbo].[t]) AS _rivet_i) AS _rivet_w"
                + " WHERE _rivet_w._rivet_chunk_rn >= ? AND _rivet_w._rivet_chunk_rn < ? ORDER BY _rivet_w._rivet_chunk_rn");
    assertThat(d.keysetPageQuery(BASE, "k", true, true))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM [dbo].[t]) AS _rivet"
                + " WHERE _rivet.[k] > ? AND _rivet.[k] <= ? ORDER BY _rivet.[k] OFFSET 0 ROWS FETCH NEXT ? ROWS ONLY");
    assertThat(d.keysetPageQuery(BASE, "k", false, false))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM [dbo].[t]) AS _rivet"
                + " ORDER BY _rivet.[k] OFFSET 0 ROWS FETCH NEXT ? ROWS ONLY");
    assertThat(d.keysetBoundaries(BASE, "k"))
        .isEqualTo(
            "SELECT _rivet_s._rivet_k FROM (SELECT _rivet.[k] AS _rivet_k,"
                + " ROW_NUMBER() OVER (ORDER BY _rivet.[k]) AS _rivet_rn FROM (SELECT * FROM [dbo].[t]) AS _rivet) AS _rivet_s"
                + " WHERE _rivet_s._rivet_rn % ? = 0 ORDER BY _rivet_s._rivet_rn");
    assertThat(d.daysQuery(BASE, "at"))
        .isEqualTo(
            "SELECT * FROM (SELECT * FROM [dbo].[t]) AS _rivet"
                + " WHERE _rivet.[at] >= ? AND _rivet.[at] < ?");
  }

  @Test
  void lockTimeoutIsSetAndResetAndTheStatementTimeoutIsClientSide() {
    TuningConfig balanced = TuningConfig.defaults(TuningConfig.Profile.BALANCED);
    assertThat(d.sessionSetup(null, balanced)).containsExactly("SET LOCK_TIMEOUT 30000");
    assertThat(d.sessionReset(null, balanced)).containsExactly("SET LOCK_TIMEOUT -1");
    assertThat(d.queryTimeoutSeconds(balanced)).isEqualTo(300);
  }

  @Test
  void mapsTypesExactly() {
    assertThat(SqlServerTypes.resolve("a", "money", 19, 4).describe()).isEqualTo("decimal(19,4)");
    assertThat(SqlServerTypes.resolve("a", "smallmoney", 10, 4).describe())
        .isEqualTo("decimal(10,4)");
    assertThat(SqlServerTypes.resolve("a", "int identity", 10, 0).kind())
        .isEqualTo(ColumnKind.INT32);
    assertThat(SqlServerTypes.resolve("a", "tinyint", 3, 0).kind()).isEqualTo(ColumnKind.INT16);
    assertThat(SqlServerTypes.resolve("a", "uniqueidentifier", 36, 0).kind())
        .isEqualTo(ColumnKind.UUID);
    assertThat(SqlServerTypes.resolve("a", "datetimeoffset", 34, 7).kind())
        .isEqualTo(ColumnKind.TIMESTAMPTZ_MICROS);
    assertThat(SqlServerTypes.resolve("a", "datetime", 23, 3).kind())
        .isEqualTo(ColumnKind.TIMESTAMP_MICROS);
    assertThat(SqlServerTypes.resolve("a", "nvarchar", Integer.MAX_VALUE, 0).kind())
        .isEqualTo(ColumnKind.STRING);
    assertThat(SqlServerTypes.resolve("a", "varbinary", Integer.MAX_VALUE, 0).kind())
        .isEqualTo(ColumnKind.BYTES);
    assertThat(SqlServerTypes.resolve("a", "sql_variant", 0, 0)).isNull();
  }

  @Test
  void classifiesByVendorCode() {
    assertThat(d.classify(new SQLException("x", "40001", 1205))).isEqualTo(ErrorClass.TRANSIENT);
    assertThat(d.classify(new SQLException("x", "S0001", 1222))).isEqualTo(ErrorClass.TRANSIENT);
    assertThat(d.classify(new SQLException("x", "08S01", 0)))
        .isEqualTo(ErrorClass.TRANSIENT_RECONNECT);
    assertThat(d.classify(new SQLException("x", "S0001", 18456))).isEqualTo(ErrorClass.PERMANENT);
  }

  @Test
  void theContentChecksumIsComputedWithSqlServersOwnFunctions() {
    String sql =
        d.checksumSql()
            .checksumQuery(
                "SELECT * FROM [dbo].[t]",
                List.of(
                    io.rivet.core.schema.ColumnMapping.of("id", "int", ColumnKind.INT32),
                    io.rivet.core.schema.ColumnMapping.of("n", "nvarchar", ColumnKind.STRING),
                    io.rivet.core.schema.ColumnMapping.of(
                        "at", "datetimeoffset", ColumnKind.TIMESTAMPTZ_MICROS),
                    io.rivet.core.schema.ColumnMapping.of("f", "float", ColumnKind.FLOAT64),
                    io.rivet.core.schema.ColumnMapping.decimal("m", "money", 19, 4)));
    assertThat(sql)
        .isEqualTo(
            "SELECT COUNT(*), SUM(CAST(CAST(SUBSTRING(HASHBYTES('MD5', CAST(CONCAT("
                + "(CASE WHEN _rivet_c.[id] IS NULL THEN 'N' ELSE CAST(_rivet_c.[id] AS VARCHAR(20)) END), ',', "
                + "(CASE WHEN _rivet_c.[n] IS NULL THEN 'N' ELSE LOWER(CONVERT(VARCHAR(32), HASHBYTES('MD5', "
                + "CAST(CAST(_rivet_c.[n] AS NVARCHAR(MAX)) COLLATE Latin1_General_100_BIN2_UTF8 AS VARCHAR(MAX))), 2)) END), ',', "
                + "(CASE WHEN _rivet_c.[at] IS NULL THEN 'N' ELSE CAST(DATEDIFF_BIG(microsecond, "
                + "CAST('19700101' AS DATETIME2(7)), CAST(SWITCHOFFSET(_rivet_c.[at], '+00:00') AS DATETIME2(7))) AS VARCHAR(20)) END), ',', "
                + "(CASE WHEN _rivet_c.[f] IS NULL THEN 'N' ELSE (CASE WHEN _rivet_c.[f] = 0 THEN '0000000000000000' "
                + "ELSE LOWER(CONVERT(VARCHAR(16), CAST(CAST(_rivet_c.[f] AS FLOAT) AS BINARY(8)), 2)) END) END), ',', "
                + "(CASE WHEN _rivet_c.[m] IS NULL THEN 'N' ELSE CAST(CAST(_rivet_c.[m] AS DECIMAL(38, 4)) AS VARCHAR(50)) END))"
                + " AS VARCHAR(MAX))), 1, 8) AS BIGINT) AS DECIMAL(38, 0)))"
                + " FROM (SELECT * FROM [dbo].[t]) AS _rivet_c");
  }
}
