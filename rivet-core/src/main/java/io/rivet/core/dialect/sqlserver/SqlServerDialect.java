package io.rivet.core.dialect.sqlserver;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.SourceType;
import io.rivet.core.config.TlsConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.AbstractDialect;
import io.rivet.core.dialect.ChecksumSql;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL Server 2019+ through mssql-jdbc: bracket quoting, adaptive buffering, OFFSET/FETCH paging,
 * lock timeout.
 */
public final class SqlServerDialect extends AbstractDialect {
  public static final SqlServerDialect INSTANCE = new SqlServerDialect();

  private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "int", "bigint");
  private static final String PK_QUERY =
      "SELECT kcu.COLUMN_NAME, c.DATA_TYPE FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc"
          + " JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE kcu ON kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
          + " AND kcu.TABLE_SCHEMA = tc.TABLE_SCHEMA AND kcu.TABLE_NAME = tc.TABLE_NAME"
          + " JOIN INFORMATION_SCHEMA.COLUMNS c ON c.TABLE_SCHEMA = kcu.TABLE_SCHEMA AND c.TABLE_NAME = kcu.TABLE_NAME"
          + " AND c.COLUMN_NAME = kcu.COLUMN_NAME"
          + " WHERE tc.CONSTRAINT_TYPE = 'PRIMARY KEY' AND tc.TABLE_SCHEMA = COALESCE(?, 'dbo') AND tc.TABLE_NAME = ?";
  private static final String ROWS_QUERY =
      "SELECT SUM(p.row_count) FROM sys.dm_db_partition_stats p"
          + " WHERE p.object_id = OBJECT_ID(?) AND p.index_id IN (0, 1)";
  static final String AVG_ROW_QUERY =
      "SELECT SUM(p.used_page_count) * 8192 / NULLIF(SUM(p.row_count), 0)"
          + " FROM sys.dm_db_partition_stats p WHERE p.object_id = OBJECT_ID(?) AND p.index_id IN (0, 1)";

  /** Stateless: {@link #INSTANCE}, or one per {@link java.util.ServiceLoader} look-up. */
  public SqlServerDialect() {}

  @Override
  public SourceType sourceType() {
    return SourceType.MSSQL;
  }

  @Override
  public List<String> urlSchemes() {
    return List.of("sqlserver", "mssql");
  }

  @Override
  public List<String> jdbcPrefixes() {
    return List.of("jdbc:sqlserver:");
  }

  @Override
  public String jdbcUrl(String host, int port, String database, String query) {
    return "jdbc:sqlserver://"
        + host
        + ":"
        + (port > 0 ? port : 1433)
        + (database.isEmpty() ? "" : ";databaseName=" + decode(database))
        + (query == null ? "" : ";" + query.replace('&', ';'));
  }

  /** Adaptive response buffering streams large results; TLS as {@code source.tls} asks. */
  @Override
  public String withDriverDefaults(String url, TlsConfig tls) {
    url = url.contains("responseBuffering=") ? url : url + ";responseBuffering=adaptive";
    if (tls != null && !url.contains("encrypt=")) {
      url =
          url
              + switch (tls.mode()) {
                case DISABLE -> ";encrypt=false";
                case REQUIRE -> ";encrypt=true;trustServerCertificate=true";
                case VERIFY_CA, VERIFY_FULL -> ";encrypt=true;trustServerCertificate=false";
              };
    }
    return url;
  }

  /** Login failed (18456) or an SQLState of class 28. */
  @Override
  public boolean isAuthFailure(SQLException e) {
    return e.getErrorCode() == 18456
        || (e.getSQLState() != null && e.getSQLState().startsWith("28"));
  }

  @Override
  public String name() {
    return "sqlserver";
  }

  @Override
  public String quote(String identifier) {
    return "[" + identifier.replace("]", "]]") + "]";
  }

  @Override
  protected String limit(String selectList, String fromAndWhere, String orderBy, String rows) {
    if (orderBy == null) {
      return "SELECT TOP (" + rows + ") " + selectList + " " + fromAndWhere;
    }
    return "SELECT "
        + selectList
        + " "
        + fromAndWhere
        + " ORDER BY "
        + orderBy
        + " OFFSET 0 ROWS FETCH NEXT "
        + rows
        + " ROWS ONLY";
  }

  @Override
  public List<String> sessionSetup(Connection connection, TuningConfig tuning) {
    List<String> out = new ArrayList<>();
    if (tuning.lockTimeoutS() > 0) {
      out.add("SET LOCK_TIMEOUT " + tuning.lockTimeoutS() * 1000L);
    }
    return out;
  }

  @Override
  public List<String> sessionReset(Connection connection, TuningConfig tuning) {
    return List.of("SET LOCK_TIMEOUT -1");
  }

  @Override
  public int queryTimeoutSeconds(TuningConfig tuning) {
    // SQL Server has no session statement timeout; the driver cancels the statement client-side.
    return tuning.statementTimeoutS();
  }

  @Override
  public void prepareForStreaming(Connection connection) throws SQLException {
    // Each chunk is one autocommit SELECT; responseBuffering=adaptive (set on the URL) streams it.
    connection.setAutoCommit(true);
  }

  @Override
  public Optional<String> integerPrimaryKey(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return singleIntegerKey(connection, PK_QUERY, table, INTEGER_TYPES);
  }

  @Override
  public OptionalLong rowEstimate(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return estimate(connection, ROWS_QUERY, tableRef(table));
  }

  /**
   * Used pages (in-row, overflow and LOB) of the heap or clustered index, in bytes, over its row
   * count.
   */
  @Override
  public OptionalLong avgRowBytes(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return positive(estimate(connection, AVG_ROW_QUERY, tableRef(table)));
  }

  /**
   * The optimizer's estimate of the rows of {@code [from, to)}: the statement's estimated plan
   * ({@code SET SHOWPLAN_XML ON}: nothing is executed) and its {@code StatementEstRows}. The bounds
   * are integers written into the statement (showplan is asked of a plain statement, not a prepared
   * one); a base query with parameters of its own (an incremental or time-window filter) is not
   * estimated, and its chunks are read whole.
   */
  @Override
  public OptionalLong rangeRowEstimate(Connection connection, ReadSpec spec, long from, long to)
      throws SQLException {
    if (!spec.baseParams().isEmpty()) {
      return OptionalLong.empty();
    }
    try (Statement st = connection.createStatement()) {
      st.execute("SET SHOWPLAN_XML ON");
      try (ResultSet rs = st.executeQuery(estimateSql(spec, from, to))) {
        return rs.next() ? showplanRows(rs.getString(1)) : OptionalLong.empty();
      } finally {
        st.execute("SET SHOWPLAN_XML OFF");
      }
    }
  }

  /** The statement whose plan estimates a key range's rows. */
  String estimateSql(ReadSpec spec, long from, long to) {
    String key = "_rivet_est." + quote(spec.chunkColumn());
    return "SELECT 1 FROM ("
        + spec.baseQuery()
        + ") AS _rivet_est WHERE "
        + key
        + " >= "
        + from
        + " AND "
        + key
        + " < "
        + to;
  }

  private static final Pattern EST_ROWS = Pattern.compile("StatementEstRows=\"([0-9.eE+-]+)\"");

  /** The estimated rows of a showplan's first statement. */
  static OptionalLong showplanRows(String xml) {
    Matcher m = xml == null ? null : EST_ROWS.matcher(xml);
    if (m == null || !m.find()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Math.round(Double.parseDouble(m.group(1))));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public List<ColumnMapping> mapColumns(
      Connection connection, String baseQuery, Map<String, String> overrides) throws SQLException {
    return SqlServerTypes.map(connection, schemaProbe(baseQuery), overrides);
  }

  @Override
  public ErrorClass classify(SQLException e) {
    int code = e.getErrorCode();
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (code == 1205 || code == 1222) {
      return ErrorClass.TRANSIENT;
    }
    if (code == 40613
        || code == 40197
        || code == 40501
        || code == 49918
        || state.startsWith("08")) {
      return ErrorClass.TRANSIENT_RECONNECT;
    }
    return ErrorClass.PERMANENT;
  }

  @Override
  public ChecksumSql checksumSql() {
    return SqlServerChecksumSql.INSTANCE;
  }

  @Override
  protected String defaultSchema() {
    return "dbo";
  }
}
