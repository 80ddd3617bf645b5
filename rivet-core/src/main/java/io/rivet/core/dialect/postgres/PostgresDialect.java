package io.rivet.core.dialect.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.SourceType;
import io.rivet.core.config.TlsConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.AbstractDialect;
import io.rivet.core.dialect.ChecksumSql;
import io.rivet.core.dialect.DriverColumnReader;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.dialect.JdbcColumnReader;
import io.rivet.core.read.ReadRequest;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.read.RowReader;
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
import java.util.Properties;
import java.util.UUID;
import org.postgresql.core.BaseConnection;

/** PostgreSQL 12+: double-quoted identifiers, cursor streaming, {@code SET LOCAL} timeouts. */
public final class PostgresDialect extends AbstractDialect {
  public static final PostgresDialect INSTANCE = new PostgresDialect();

  private static final String PK_QUERY =
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_index i "
          + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
          + "WHERE i.indisprimary AND i.indrelid = to_regclass(?)";

  /** Stateless: {@link #INSTANCE}, or one per {@link java.util.ServiceLoader} look-up. */
  public PostgresDialect() {}

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public SourceType sourceType() {
    return SourceType.POSTGRES;
  }

  @Override
  public List<String> urlSchemes() {
    return List.of("postgresql", "postgres");
  }

  @Override
  public List<String> jdbcPrefixes() {
    return List.of("jdbc:postgresql:");
  }

  @Override
  public String jdbcUrl(String host, int port, String database, String query) {
    return PgConnections.jdbcUrl(host, port, database, query);
  }

  @Override
  public String withDriverDefaults(String url, TlsConfig tls) {
    return PgConnections.withDriverDefaults(url, tls);
  }

  @Override
  public Properties connectionProperties(String url) {
    return PgConnections.properties(url);
  }

  @Override
  public boolean isAuthFailure(SQLException e) {
    return e.getSQLState() != null && e.getSQLState().startsWith("28");
  }

  @Override
  public String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  public List<String> sessionSetup(Connection connection, TuningConfig tuning) {
    // SET LOCAL lasts only for the read transaction, so a pooler (pgBouncer transaction mode) never
    // leaks it. UTC makes date windows over timestamptz UTC days, and timestamptz text (bounds)
    // UTC.
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

  /**
   * Timestamps, dates, numerics and text are read from the bytes pgjdbc hands out ({@link
   * PgWireColumnReader}).
   */
  @Override
  public JdbcColumnReader columnReader(ColumnMapping m, int column, ResultSetMetaData md)
      throws SQLException {
    return DRIVER_VALUES_ONLY
        ? new DriverColumnReader(m, column)
        : PgWireColumnReader.of(m, column, md);
  }

  /**
   * {@code -Drivet.driverValues=true} reads every value through the JDBC getters (to compare, or to
   * rule the wire decoders out when chasing a wrong value; docs/semantics.md).
   */
  private static final boolean DRIVER_VALUES_ONLY = Boolean.getBoolean("rivet.driverValues");

  /**
   * Chunks stream as binary COPY when the export allows it ({@link PgCopyRowReader#applies}): the
   * server sends rows without waiting for fetch requests, so it works while rivet writes. {@code
   * -Drivet.pgCopy=false} turns it off (to compare, or to rule it out when chasing a wrong value).
   */
  @Override
  public RowReader rowReader(ReadSpec spec) {
    return COPY_ENABLED && PgCopyRowReader.applies(spec)
        ? new PgCopyRowReader(this, spec)
        : super.rowReader(spec);
  }

  /**
   * The binary COPY statement of a chunk read, its bounds inlined as literals; empty when it has no
   * literal form.
   */
  Optional<String> copyStatement(ReadSpec spec, ReadRequest r) {
    String base = spec.baseQuery();
    String column = spec.chunkColumn();
    if (r instanceof ReadRequest.Range range) {
      return copy(
          rangeQuery(base, column, PgLiterals.int8(range.from()), PgLiterals.int8(range.to())));
    } else if (r instanceof ReadRequest.Dense dense) {
      return copy(dense(base, column, PgLiterals.int8(dense.from()), PgLiterals.int8(dense.to())));
    } else if (r instanceof ReadRequest.Days days) {
      Optional<String> from = PgLiterals.date(days.from());
      Optional<String> to = PgLiterals.date(days.to());
      return from.isPresent() && to.isPresent()
          ? copy(days(base, column, from.get(), to.get()))
          : Optional.empty();
    } else if (r instanceof ReadRequest.NullKeys) {
      return copy(nullKeyQuery(base, column));
    } else if (r instanceof ReadRequest.KeysetPage k) {
      return copy(
          keysetPage(
              base,
              column,
              k.after() == null ? null : PgLiterals.key(spec.keyColumn(), k.after()),
              k.upTo() == null ? null : PgLiterals.key(spec.keyColumn(), k.upTo()),
              Integer.toString(k.limit())));
    }
    return copy(base);
  }

  private static Optional<String> copy(String select) {
    return Optional.of(PgCopyStream.copyOf(select));
  }

  private static final boolean COPY_ENABLED = !"false".equals(System.getProperty("rivet.pgCopy"));

  @Override
  public void prepareForStreaming(Connection connection) throws SQLException {
    // pgjdbc only honours the fetch size (a server-side portal) when autocommit is off; otherwise
    // it buffers the whole result:
    // https://jdbc.postgresql.org/documentation/query/#getting-results-based-on-a-cursor
    connection.setAutoCommit(false);
    connection.setReadOnly(true);
  }

  @Override
  public Optional<String> integerPrimaryKey(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
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
  public OptionalLong rowEstimate(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return estimate(
        connection,
        "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)",
        tableRef(table));
  }

  /**
   * The planner's row estimate of the base query within a key range: {@code EXPLAIN (FORMAT JSON)},
   * which reads statistics (the chunk column's histogram), never rows.
   */
  @Override
  public OptionalLong rangeRowEstimate(Connection connection, ReadSpec spec, long from, long to)
      throws SQLException {
    return explainedRows(
        connection,
        "EXPLAIN (FORMAT JSON)",
        spec,
        from,
        to,
        json -> {
          JsonNode plan = json.path(0).path("Plan");
          return plan.has("Plan Rows")
              ? OptionalLong.of(plan.path("Plan Rows").asLong())
              : OptionalLong.empty();
        });
  }

  /** From {@code EXPLAIN (FORMAT JSON)}: a {@code Seq Scan} node reads the whole table. */
  @Override
  public Optional<Boolean> rangeUsesIndex(Connection connection, ReadSpec spec, long from, long to)
      throws SQLException {
    return explained(
        connection,
        "EXPLAIN (FORMAT JSON)",
        spec,
        from,
        to,
        json -> {
          List<String> nodes = json.findValuesAsText("Node Type");
          if (nodes.contains("Seq Scan")) {
            return Optional.of(false);
          }
          return nodes.stream().anyMatch(n -> n.contains("Index"))
              ? Optional.of(true)
              : Optional.<Boolean>empty();
        },
        Optional.empty());
  }

  /** Heap and TOAST bytes (pg_table_size, no indexes) over the planner's row estimate. */
  @Override
  public OptionalLong avgRowBytes(Connection connection, ExportConfig.TableRef table)
      throws SQLException {
    return positive(
        estimate(
            connection,
            "SELECT CASE WHEN reltuples > 0 THEN (pg_table_size(oid) / reltuples)::bigint"
                + " END FROM pg_class WHERE oid = to_regclass(?)",
            tableRef(table)));
  }

  @Override
  public void bindKey(PreparedStatement ps, int index, ColumnMapping key, String value)
      throws SQLException {
    if (key.kind() == ColumnKind.UUID) {
      ps.setObject(index, UUID.fromString(value));
    } else {
      super.bindKey(ps, index, key, value);
    }
  }

  @Override
  public List<ColumnMapping> mapColumns(
      Connection connection, String baseQuery, Map<String, String> overrides) throws SQLException {
    return new PostgresTypes(connection).map(schemaProbe(baseQuery), overrides);
  }

  /**
   * A pooler (pgBouncer, Odyssey, pgcat) or proxy shows as a server port other than the one
   * connected to, or as a backend pid that changes between two statements of one connection
   * (transaction pooling hands each transaction to whichever server connection is free). Reference
   * §3.1: the original reads {@code pg_backend_pid()} twice.
   */
  @Override
  public Optional<String> poolerEvidence(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT inet_server_port(), pg_backend_pid()")) {
      rs.next();
      // inet_server_port() is NULL over a Unix socket: no port to compare.
      Integer serverPort = (Integer) rs.getObject(1);
      int connectedPort = c.unwrap(BaseConnection.class).getQueryExecutor().getHostSpec().getPort();
      return poolerEvidence(
          c,
          serverPort,
          connectedPort,
          "SELECT pg_backend_pid()",
          rs.getLong(2),
          "backend changed between two statements of one connection (transaction pooling)",
          List.of());
    }
  }

  @Override
  public String poolerPolicy() {
    return "rivet uses unnamed statements only (prepareThreshold=0) and keeps every setting inside each chunk's"
        + " transaction (SET LOCAL), as a transaction-pooling pooler needs";
  }

  /**
   * pgjdbc names its server-side statements per client connection; through a transaction pooler
   * they collide.
   */
  @Override
  public String poolerSafeUrl(String jdbcUrl) {
    return jdbcUrl.contains("prepareThreshold=")
        ? jdbcUrl
        : jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "prepareThreshold=0";
  }

  @Override
  public ErrorClass classify(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      return ErrorClass.PERMANENT;
    }
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("53300")) {
      return ErrorClass.TRANSIENT_RECONNECT;
    }
    if (state.equals("55P03")
        || state.equals("40001")
        || state.equals("40P01")
        || state.startsWith("53")) {
      return ErrorClass.TRANSIENT;
    }
    return ErrorClass.PERMANENT;
  }

  @Override
  public ChecksumSql checksumSql() {
    return PostgresChecksumSql.INSTANCE;
  }

  @Override
  protected String defaultSchema() {
    return "public";
  }
}
