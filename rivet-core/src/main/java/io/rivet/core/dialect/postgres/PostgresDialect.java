package io.rivet.core.dialect.postgres;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.AbstractDialect;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.dialect.WireFormat;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.postgresql.PGResultSetMetaData;
import org.postgresql.core.BaseConnection;

/** PostgreSQL 12+: double-quoted identifiers, cursor streaming, {@code SET LOCAL} timeouts. */
public final class PostgresDialect extends AbstractDialect {
  public static final PostgresDialect INSTANCE = new PostgresDialect();

  private static final String PK_QUERY =
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_index i "
          + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
          + "WHERE i.indisprimary AND i.indrelid = to_regclass(?)";

  private PostgresDialect() {}

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  public List<String> sessionSetup(Connection connection, TuningConfig tuning) {
    // SET LOCAL lasts only for the read transaction, so a pooler (pgBouncer transaction mode) never leaks it.
    // UTC makes date windows over timestamptz UTC days, and timestamptz text (bounds) UTC.
    List<String> out = new ArrayList<>();
    out.add("SET LOCAL TIME ZONE 'UTC'");
    if (tuning.statementTimeoutS() > 0) {
      out.add("SET LOCAL statement_timeout = '" + tuning.statementTimeoutS() + "s'");
    }
    if (tuning.lockTimeoutS() > 0) {
      out.add("SET LOCAL lock_timeout = '" + tuning.lockTimeoutS() + "s'");
    }
    return out;
  }

  @Override
  public List<String> sessionReset(Connection connection, TuningConfig tuning) {
    return none();
  }

  /** Types pgjdbc sends as text whose getString is exactly the UTF-8 decoding of the bytes. */
  private static final java.util.Set<String> TEXT_TYPES =
      java.util.Set.of("text", "varchar", "bpchar", "name", "json", "jsonb", "xml", "citext");

  /**
   * pgjdbc hands out a column's raw bytes from getBytes (binary format, or text that is not bytea); the format is
   * per column in the result's metadata. Timestamps, dates and numerics that arrive in binary, and text types that
   * arrive as text (UTF-8: pgjdbc always sets client_encoding), are read from those bytes.
   */
  @Override
  public WireFormat wireFormat(ResultSetMetaData md, int column, ColumnMapping m) throws SQLException {
    if (m.readAs() != ColumnMapping.ReadAs.DEFAULT || !md.isWrapperFor(PGResultSetMetaData.class)) {
      return WireFormat.DRIVER;
    }
    boolean binary = md.unwrap(PGResultSetMetaData.class).getFormat(column) == 1;
    String type = md.getColumnTypeName(column);
    return switch (m.kind()) {
      case TIMESTAMP_MICROS -> binary && "timestamp".equals(type) ? WireFormat.PG_BINARY_TIMESTAMP : WireFormat.DRIVER;
      case TIMESTAMPTZ_MICROS -> binary && "timestamptz".equals(type) ? WireFormat.PG_BINARY_TIMESTAMP : WireFormat.DRIVER;
      case DATE -> binary && "date".equals(type) ? WireFormat.PG_BINARY_DATE : WireFormat.DRIVER;
      case DECIMAL -> binary && "numeric".equals(type) && m.precision() <= 18 ? WireFormat.PG_BINARY_NUMERIC : WireFormat.DRIVER;
      case STRING, JSON -> !binary && TEXT_TYPES.contains(type) ? WireFormat.UTF8_BYTES : WireFormat.DRIVER;
      default -> WireFormat.DRIVER;
    };
  }

  /**
   * Range chunks stream as binary COPY when every column has a binary decoder ({@link PgBinaryRow#form}): the server
   * sends rows without waiting for fetch requests, so it works while rivet writes. The bounds are integer literals.
   * {@code -Drivet.pgCopy=false} turns it off (to compare, or to rule it out when chasing a wrong value).
   */
  @Override
  public boolean readsBinaryCopy(List<ColumnMapping> columns) {
    return COPY_ENABLED && columns.stream().allMatch(m -> PgBinaryRow.form(m) != null);
  }

  /** COPY takes no parameters: the bounds are inlined as bigint literals. */
  @Override
  public String binaryCopyRange(String baseQuery, String column, long from, long to) {
    return PgCopyStream.copyOf(rangeQuery(baseQuery, column, int8(from), int8(to)));
  }

  @Override
  public String binaryCopyOf(String query) {
    return PgCopyStream.copyOf(query);
  }

  @Override
  public String binaryCopyDense(String baseQuery, String column, long from, long to) {
    return PgCopyStream.copyOf(dense(baseQuery, column, int8(from), int8(to)));
  }

  /**
   * Dates as date literals, as a bound {@code LocalDate} is typed; ISO text only for years 1–9999 (Java prints others
   * with a sign PostgreSQL does not read), so other windows are bound through the driver.
   */
  @Override
  public Optional<String> binaryCopyDays(String baseQuery, String column, java.time.LocalDate from,
      java.time.LocalDate to) {
    if (!isoYear(from) || !isoYear(to)) {
      return Optional.empty();
    }
    return Optional.of(PgCopyStream.copyOf(days(baseQuery, column, "'" + from + "'::date", "'" + to + "'::date")));
  }

  private static boolean isoYear(java.time.LocalDate d) {
    return d.getYear() >= 1 && d.getYear() <= 9999;
  }

  @Override
  public String binaryCopyKeysetPage(String baseQuery, String column, ColumnMapping key, String after, String upTo,
      int limit) {
    return PgCopyStream.copyOf(keysetPage(baseQuery, column, after == null ? null : keyLiteral(key, after),
        upTo == null ? null : keyLiteral(key, upTo), Integer.toString(limit)));
  }

  /**
   * A keyset key as a literal: integers as bigint, uuids as uuid, text as an escape string constant of unknown type
   * (so it takes the key column's own type and collation, as a bound parameter does), its backslashes and quotes
   * escaped — the same whatever {@code standard_conforming_strings} says.
   */
  static String keyLiteral(ColumnMapping key, String value) {
    if (key.integral()) {
      return int8(Long.parseLong(value));
    }
    if (key.kind() == ColumnKind.UUID) {
      return "'" + UUID.fromString(value) + "'::uuid";
    }
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /** A bigint literal, as a bound parameter would be typed (quoted, so Long.MIN_VALUE parses too). */
  private static String int8(long v) {
    return "'" + v + "'::bigint";
  }

  private static final boolean COPY_ENABLED = !"false".equals(System.getProperty("rivet.pgCopy"));

  @Override
  public void prepareForStreaming(Connection connection) throws SQLException {
    // pgjdbc only honours the fetch size (a server-side portal) when autocommit is off; otherwise it buffers
    // the whole result: https://jdbc.postgresql.org/documentation/query/#getting-results-based-on-a-cursor
    connection.setAutoCommit(false);
    connection.setReadOnly(true);
  }

  @Override
  public Optional<String> integerPrimaryKey(Connection connection, ExportConfig.TableRef table) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(PK_QUERY)) {
      ps.setString(1, tableRef(table));
      List<String[]> cols = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      if (cols.size() == 1 && List.of("smallint", "integer", "bigint").contains(cols.get(0)[1])) {
        return Optional.of(cols.get(0)[0]);
      }
      return Optional.empty();
    }
  }

  @Override
  public OptionalLong rowEstimate(Connection connection, ExportConfig.TableRef table) throws SQLException {
    return estimate(connection, "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)", tableRef(table));
  }

  /** Heap and TOAST bytes (pg_table_size, no indexes) over the planner's row estimate. */
  @Override
  public OptionalLong avgRowBytes(Connection connection, ExportConfig.TableRef table) throws SQLException {
    return positive(estimate(connection, "SELECT CASE WHEN reltuples > 0 THEN (pg_table_size(oid) / reltuples)::bigint"
        + " END FROM pg_class WHERE oid = to_regclass(?)", tableRef(table)));
  }

  @Override
  public void bindKey(PreparedStatement ps, int index, ColumnMapping key, String value) throws SQLException {
    if (key.kind() == ColumnKind.UUID) {
      ps.setObject(index, UUID.fromString(value));
    } else {
      super.bindKey(ps, index, key, value);
    }
  }

  @Override
  public List<ColumnMapping> mapColumns(Connection connection, String baseQuery, Map<String, String> overrides)
      throws SQLException {
    return new PostgresTypes(connection).map(schemaProbe(baseQuery), overrides);
  }

  /**
   * A pooler (pgBouncer, Odyssey, pgcat) or proxy shows as a server port other than the one connected to, or as a
   * backend pid that changes between two statements of one connection (transaction pooling hands each transaction
   * to whichever server connection is free). Reference §3.1: the original reads {@code pg_backend_pid()} twice.
   */
  @Override
  public Optional<String> poolerEvidence(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT inet_server_port(), pg_backend_pid()")) {
      rs.next();
      // inet_server_port() is NULL over a Unix socket: no port to compare.
      Integer serverPort = (Integer) rs.getObject(1);
      int connectedPort = c.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec().getPort();
      return poolerEvidence(c, serverPort, connectedPort, "SELECT pg_backend_pid()", rs.getLong(2),
          "backend changed between two statements of one connection (transaction pooling)", List.of());
    }
  }

  @Override
  public String poolerPolicy() {
    return "rivet uses unnamed statements only (prepareThreshold=0) and keeps every setting inside each chunk's"
        + " transaction (SET LOCAL), as a transaction-pooling pooler needs";
  }

  /** pgjdbc names its server-side statements per client connection; through a transaction pooler they collide. */
  @Override
  public String poolerSafeUrl(String jdbcUrl) {
    return jdbcUrl.contains("prepareThreshold=") ? jdbcUrl
        : jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "prepareThreshold=0";
  }

  @Override
  public ErrorClass classify(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      return ErrorClass.PERMANENT;
    }
    if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
        || state.equals("53300")) {
      return ErrorClass.TRANSIENT_RECONNECT;
    }
    if (state.equals("55P03") || state.equals("40001") || state.equals("40P01") || state.startsWith("53")) {
      return ErrorClass.TRANSIENT;
    }
    return ErrorClass.PERMANENT;
  }
}
