package io.rivet.core.dialect.mysql;

import com.fasterxml.jackson.databind.JsonNode;
import com.mysql.cj.jdbc.JdbcConnection;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.SourceType;
import io.rivet.core.config.TlsConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.AbstractDialect;
import io.rivet.core.dialect.ChecksumSql;
import io.rivet.core.dialect.DriverColumnReader;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.dialect.JdbcColumnReader;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * MySQL 8 and MariaDB 10.6+ through mysql-connector-j: backtick quoting, row streaming, UTC
 * session.
 */
public final class MySqlDialect extends AbstractDialect {
  public static final MySqlDialect INSTANCE = new MySqlDialect();

  private static final Set<String> INTEGER_TYPES =
      Set.of("tinyint", "smallint", "mediumint", "int", "bigint");
  private static final String PK_QUERY =
      "SELECT k.COLUMN_NAME, c.DATA_TYPE FROM information_schema.KEY_COLUMN_USAGE k"
          + " JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = k.TABLE_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME"
          + " AND c.COLUMN_NAME = k.COLUMN_NAME WHERE k.CONSTRAINT_NAME = 'PRIMARY'"
          + " AND k.TABLE_SCHEMA = COALESCE(?, DATABASE()) AND k.TABLE_NAME = ?";
  private static final String ROWS_QUERY =
      "SELECT TABLE_ROWS FROM information_schema.TABLES"
          + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?";

  /** Stateless: {@link #INSTANCE}, or one per {@link java.util.ServiceLoader} look-up. */
  public MySqlDialect() {}

  @Override
  public String name() {
    return "mysql";
  }

  @Override
  public SourceType sourceType() {
    return SourceType.MYSQL;
  }

  @Override
  public List<String> urlSchemes() {
    return List.of("mysql", "mariadb");
  }

  @Override
  public List<String> jdbcPrefixes() {
    return List.of("jdbc:mysql:", "jdbc:mariadb:");
  }

  @Override
  public String jdbcUrl(String host, int port, String database, String query) {
    return "jdbc:mysql://"
        + host
        + ":"
        + (port > 0 ? port : 3306)
        + "/"
        + database
        + (query == null ? "" : "?" + query);
  }

  /**
   * Connector/J for either engine (a {@code jdbc:mariadb:} URL is read as {@code jdbc:mysql:});
   * YEAR as a number; zero dates raise an error the reader turns into NULL + a warning (never a
   * silent value); connectTimeout defaults to none in Connector/J, so a login to a frozen peer
   * would wait forever.
   */
  @Override
  public String withDriverDefaults(String url, TlsConfig tls) {
    if (url.startsWith("jdbc:mariadb:")) {
      url = "jdbc:mysql:" + url.substring("jdbc:mariadb:".length());
    }
    for (String p :
        new String[] {
          "yearIsDateType=false",
          "zeroDateTimeBehavior=EXCEPTION",
          "tinyInt1isBit=true",
          "useCursorFetch=false",
          "connectTimeout=30000",
          "tcpKeepAlive=true"
        }) {
      url = withParam(url, "?", "&", p);
    }
    if (tls != null && !url.contains("sslMode=")) {
      url =
          withParam(
              url,
              "?",
              "&",
              "sslMode="
                  + switch (tls.mode()) {
                    case DISABLE -> "DISABLED";
                    case REQUIRE -> "REQUIRED";
                    case VERIFY_CA -> "VERIFY_CA";
                    case VERIFY_FULL -> "VERIFY_IDENTITY";
                  });
    }
    return url;
  }

  /** Access denied (1045) or an SQLState of class 28. */
  @Override
  public boolean isAuthFailure(SQLException e) {
    return e.getErrorCode() == 1045
        || (e.getSQLState() != null && e.getSQLState().startsWith("28"));
  }

  @Override
  public String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  static boolean isMariaDb(Connection c) throws SQLException {
    return c.getMetaData().getDatabaseProductVersion().toLowerCase(Locale.ROOT).contains("mariadb");
  }

  @Override
  public List<String> sessionSetup(Connection connection, TuningConfig tuning) throws SQLException {
    // TIMESTAMP values travel in the session time zone: UTC makes them instants without the JVM's
    // zone.
    List<String> out = new ArrayList<>();
    out.add("SET @rivet_saved_tz = @@session.time_zone");
    out.add("SET time_zone = '+00:00'");
    if (tuning.statementTimeoutS() > 0) {
      if (isMariaDb(connection)) {
        // MariaDB has no max_execution_time; its max_statement_time is in seconds.
        out.add("SET @rivet_saved_met = @@session.max_statement_time");
        out.add("SET SESSION max_statement_time = " + tuning.statementTimeoutS());
      } else {
        out.add("SET @rivet_saved_met = @@session.max_execution_time");
        out.add("SET SESSION max_execution_time = " + tuning.statementTimeoutS() * 1000L);
      }
    }
    return out;
  }

  @Override
  public List<String> sessionReset(Connection connection, TuningConfig tuning) throws SQLException {
    if (tuning.statementTimeoutS() <= 0) {
      return List.of("SET time_zone = @rivet_saved_tz");
    }
    String met = isMariaDb(connection) ? "max_statement_time" : "max_execution_time";
    return List.of("SET time_zone = @rivet_saved_tz", "SET SESSION " + met + " = @rivet_saved_met");
  }

  @Override
  public void prepareForStreaming(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
  }

  @Override
  public boolean streamsWholeStatement() {
    return true;
  }

  @Override
  public int fetchSize(int plannedRows) {
    // connector-j streams row by row only with this sentinel on a forward-only, read-only
    // statement; any other value buffers the whole result:
    // https://dev.mysql.com/doc/connector-j/en/connector-j-reference-implementation-notes.html
    return Integer.MIN_VALUE;
  }

  @Override
  protected String[] catalogAndSchema(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return new String[] {table.schema() != null ? table.schema() : connection.getCatalog(), null};
  }

  @Override
  public Optional<String> integerPrimaryKey(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return singleIntegerKey(connection, PK_QUERY, table, INTEGER_TYPES);
  }

  @Override
  public OptionalLong rowEstimate(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return estimate(connection, ROWS_QUERY, table.schema(), table.name());
  }

  /**
   * The optimizer's row estimate of the base query within a key range: {@code EXPLAIN FORMAT=JSON},
   * whose range access on an index counts rows by index dives, reading no rows. Known only when the
   * plan reads one table (MariaDB's {@code rows}, MySQL's {@code rows_produced_per_join}); empty
   * otherwise.
   */
  @Override
  public OptionalLong rangeRowEstimate(Connection connection, ReadSpec spec, long from, long to)
      throws SQLException {
    return explainedRows(
        connection,
        "EXPLAIN FORMAT=JSON",
        spec,
        from,
        to,
        json -> {
          List<JsonNode> tables = json.findParents("table_name");
          if (tables.size() != 1) {
            return OptionalLong.empty();
          }
          for (String field : List.of("rows_produced_per_join", "rows", "rows_examined_per_scan")) {
            if (tables.get(0).has(field)) {
              return OptionalLong.of(tables.get(0).path(field).asLong());
            }
          }
          return OptionalLong.empty();
        });
  }

  /** From {@code EXPLAIN FORMAT=JSON}: {@code access_type ALL} reads the whole table. */
  @Override
  public Optional<Boolean> rangeUsesIndex(Connection connection, ReadSpec spec, long from, long to)
      throws SQLException {
    return explained(
        connection,
        "EXPLAIN FORMAT=JSON",
        spec,
        from,
        to,
        json -> {
          List<String> access = json.findValuesAsText("access_type");
          if (access.isEmpty()) {
            return Optional.<Boolean>empty();
          }
          return Optional.of(!access.contains("ALL"));
        },
        Optional.empty());
  }

  /** information_schema.TABLES.AVG_ROW_LENGTH (data length over the engine's row estimate). */
  @Override
  public OptionalLong avgRowBytes(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return positive(
        estimate(
            connection,
            "SELECT AVG_ROW_LENGTH FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?",
            table.schema(),
            table.name()));
  }

  @Override
  public List<ColumnMapping> mapColumns(
      Connection connection, String baseQuery, Map<String, String> overrides) throws SQLException {
    return MySqlTypes.map(connection, schemaProbe(baseQuery), overrides);
  }

  /**
   * A proxy (ProxySQL, MaxScale, a TCP forwarder) shows as a server port other than the one
   * connected to, as a version comment naming it, or as a connection id that changes between two
   * statements of one connection (multiplexing). Reference §3.1. Session settings need nothing
   * more: rivet sets them and restores them in each chunk, and ProxySQL keeps a connection unshared
   * once session variables are set.
   */
  @Override
  public Optional<String> poolerEvidence(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@port, CONNECTION_ID(), @@version_comment")) {
      rs.next();
      String comment = rs.getString(3) == null ? "" : rs.getString(3);
      List<String> seen =
          comment.toLowerCase(Locale.ROOT).matches(".*(proxysql|maxscale).*")
              ? List.of("the server calls itself '" + comment + "'")
              : List.of();
      String hostPort = c.unwrap(JdbcConnection.class).getHostPortPair();
      int connectedPort = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
      return poolerEvidence(
          c,
          rs.getInt(1),
          connectedPort,
          "SELECT CONNECTION_ID()",
          rs.getLong(2),
          "connection id changed between two statements of one connection (multiplexing)",
          seen);
    }
  }

  /**
   * Dates and timestamps go through {@link MySqlColumnReader} (zero dates, the UTC session); the
   * rest the driver's.
   */
  @Override
  public JdbcColumnReader columnReader(ColumnMapping m, int column, ResultSetMetaData md) {
    return MySqlColumnReader.applies(m)
        ? new MySqlColumnReader(m, column)
        : new DriverColumnReader(m, column);
  }

  @Override
  public ErrorClass classify(SQLException e) {
    int code = e.getErrorCode();
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (code == 1205 || code == 1213) {
      return ErrorClass.TRANSIENT;
    }
    if (code == 1040 || code == 1053 || code == 2006 || code == 2013 || state.startsWith("08")) {
      return ErrorClass.TRANSIENT_RECONNECT;
    }
    return ErrorClass.PERMANENT;
  }

  @Override
  public ChecksumSql checksumSql() {
    return MySqlChecksumSql.INSTANCE;
  }
}
