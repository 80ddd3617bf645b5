package io.rivet.core.dialect;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.SourceType;
import io.rivet.core.config.TlsConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.read.RowReader;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * Everything engine-specific: SQL shapes, identifier quoting, streaming set-up, type mapping and
 * error classification. Implementations are final and stateless; SQL builders are pure and bind
 * values as {@code ?}.
 */
public interface Dialect {
  /** Short engine name: {@code postgres}, {@code mysql} or {@code sqlserver}. */
  String name();

  /** The {@code source.type} of a config that names this engine. */
  SourceType sourceType();

  /**
   * The URL schemes of the original's form ({@code postgresql://user:pass@host/db}) that name this
   * engine.
   */
  List<String> urlSchemes();

  /** The JDBC URL prefixes of this engine: its driver's, and aliases this dialect accepts. */
  List<String> jdbcPrefixes();

  /** Whether a JDBC URL is one of this engine's. */
  default boolean acceptsJdbcUrl(String jdbcUrl) {
    return jdbcUrl != null && jdbcPrefixes().stream().anyMatch(jdbcUrl::startsWith);
  }

  /**
   * The JDBC URL of a URL in the original's form, from its parts: host, port (-1 when absent), the
   * raw database path (may be empty) and the raw query (or null).
   */
  String jdbcUrl(String host, int port, String database, String query);

  /**
   * The JDBC URL with the driver settings rivet relies on added unless the URL sets them
   * (keep-alives, login and connect timeouts, the value conversions the readers expect), and TLS as
   * {@code source.tls} asks.
   */
  String withDriverDefaults(String jdbcUrl, TlsConfig tls);

  /** Connection properties added to the user and password when connecting. */
  default Properties connectionProperties(String jdbcUrl) {
    return new Properties();
  }

  /**
   * Whether a failed login is a refusal of the credentials (not worth retrying; check the user and
   * password).
   */
  boolean isAuthFailure(SQLException e);

  /** Quotes an identifier, doubling any embedded quote character. */
  String quote(String identifier);

  /** A table reference, each part quoted. */
  String tableRef(ExportConfig.TableRef table);

  /** The export's base query: the user's SQL, or {@code SELECT * FROM <table>}. */
  default String baseQuery(ExportConfig export) {
    return export.table() == null ? export.query() : "SELECT * FROM " + tableRef(export.table());
  }

  /** A query returning no rows whose metadata describes the base query's columns. */
  String schemaProbe(String baseQuery);

  /** {@code SELECT min, max} of a column over the base query. */
  String boundsQuery(String baseQuery, String column);

  /** Returns a row when at least one row's column is NULL. */
  String nullProbe(String baseQuery, String column);

  /** {@code SELECT COUNT(*)} of the base query (dense chunking needs the row count). */
  String countQuery(String baseQuery);

  /** The rows of one key range {@code [?, ?)} of an integer column, in key order. */
  String rangeQuery(String baseQuery, String column);

  /** The rows whose column is NULL. */
  String nullKeyQuery(String baseQuery, String column);

  /**
   * The rows whose ordinal in {@code column} order lies in {@code [?, ?)}, with the ordinal as an
   * extra last column {@code _rivet_chunk_rn} (not written), in ordinal order.
   */
  String denseQuery(String baseQuery, String column);

  /**
   * The rows whose date/timestamp column lies in the day window {@code [?, ?)} (dates bound as
   * parameters).
   */
  String daysQuery(String baseQuery, String column);

  /**
   * One keyset page: rows with {@code column > ?} (when {@code lower}) and {@code column <= ?}
   * (when {@code upper}), in key order, at most {@code ?} rows.
   */
  String keysetPageQuery(String baseQuery, String column, boolean lower, boolean upper);

  /**
   * Every {@code ?}-th key in key order: the boundaries that cut a keyset into chunks read in
   * parallel.
   */
  String keysetBoundaries(String baseQuery, String column);

  /** Statements run before reading a chunk (timeouts, session time zone). */
  List<String> sessionSetup(Connection connection, TuningConfig tuning) throws SQLException;

  /**
   * Statements that restore the session after reading a chunk (empty when the setup ends with the
   * transaction).
   */
  List<String> sessionReset(Connection connection, TuningConfig tuning) throws SQLException;

  /** Prepares a connection for streaming reads. */
  void prepareForStreaming(Connection connection) throws SQLException;

  /**
   * How column {@code column} (0-based) of a result mapped as {@code mapping} is read: through the
   * driver's getters unless this dialect knows better (the server's own bytes, a special value the
   * driver refuses). Asked once per column when a statement's result opens.
   */
  default JdbcColumnReader columnReader(ColumnMapping mapping, int column, ResultSetMetaData md)
      throws SQLException {
    return new DriverColumnReader(mapping, column);
  }

  /**
   * True when the driver streams a whole statement's result (MySQL/MariaDB row streaming), so the
   * statement stays open on the server for as long as the client takes to read it (see {@link
   * RowReader#streamsStatements}).
   */
  default boolean streamsWholeStatement() {
    return false;
  }

  /**
   * How an export's chunks are read, chosen once per plan: through the driver unless the engine has
   * better.
   */
  default RowReader rowReader(ReadSpec spec) {
    return new JdbcRowReader(this, spec);
  }

  /**
   * Evidence that connections reach the server through a pooler or proxy (reference §7.2), read on
   * a fresh autocommit connection; empty when none is seen. Never fails the run.
   */
  default Optional<String> poolerEvidence(Connection connection) throws SQLException {
    return Optional.empty();
  }

  /**
   * The URL with the settings a transaction-pooling pooler needs (PostgreSQL: no named server-side
   * statements).
   */
  default String poolerSafeUrl(String jdbcUrl) {
    return jdbcUrl;
  }

  /**
   * What rivet does, on this engine, so that a pooler or proxy between it and the server is safe.
   */
  default String poolerPolicy() {
    return "rivet sets its session settings at the start of each chunk and restores them at its end";
  }

  /** The driver fetch size that streams {@code plannedRows} rows per round trip. */
  default int fetchSize(int plannedRows) {
    return plannedRows;
  }

  /**
   * A client-side statement timeout in seconds (0 = none), for engines without a server-side
   * session setting.
   */
  default int queryTimeoutSeconds(TuningConfig tuning) {
    return 0;
  }

  /**
   * The base tables of a schema (a database on MySQL), sorted by name; {@code schema} null means
   * the engine's default ({@code public}, {@code dbo}, the connection's database).
   */
  List<ExportConfig.TableRef> tables(Connection connection, String schema) throws SQLException;

  /** Finds the single integer primary-key column of a table, if it has exactly one. */
  Optional<String> integerPrimaryKey(Connection connection, ExportConfig.TableRef table)
      throws SQLException;

  /**
   * Whether {@code column} is NOT NULL and alone forms a unique index or the primary key of the
   * table.
   */
  boolean uniqueNotNull(Connection connection, ExportConfig.TableRef table, String column)
      throws SQLException;

  /** The planner statistics' row count of a table, without scanning it. */
  OptionalLong rowEstimate(Connection connection, ExportConfig.TableRef table) throws SQLException;

  /**
   * The engine's estimate, from its statistics and without reading the rows, of how many rows of
   * the base query have the chunk column in {@code [from, to)}; empty when the engine cannot tell.
   * Finds chunks that hold far more rows than the others, so that they are read as several
   * restrictions at once.
   */
  default OptionalLong rangeRowEstimate(Connection connection, ReadSpec spec, long from, long to)
      throws SQLException {
    return OptionalLong.empty();
  }

  /**
   * Whether the engine's plan for reading one key range {@code [from, to)} of the chunk column uses
   * an index (true) or scans the whole table (false) — read from its EXPLAIN, never by running the
   * read; empty when the engine's plan cannot be read here. {@code rivet check} warns when every
   * chunk would scan the table.
   */
  default Optional<Boolean> rangeUsesIndex(Connection connection, ReadSpec spec, long from, long to)
      throws SQLException {
    return Optional.empty();
  }

  /**
   * The catalog's average bytes per row of a table (its stored size over its row estimate), without
   * scanning it; empty when the catalog does not know (never analyzed, empty). Sizes chunks for
   * {@code chunk_size_memory_mb}.
   */
  OptionalLong avgRowBytes(Connection connection, ExportConfig.TableRef table) throws SQLException;

  /**
   * Maps the base query's columns to written types, applying {@code columns:} overrides.
   *
   * @throws io.rivet.core.RivetException naming every unsupported column
   */
  List<ColumnMapping> mapColumns(
      Connection connection, String baseQuery, Map<String, String> overrides) throws SQLException;

  /** Binds a keyset key (kept as text in the plan and the ledger) with the column's own type. */
  void bindKey(PreparedStatement ps, int index, ColumnMapping key, String value)
      throws SQLException;

  /** This engine's SQL for rivet's content checksum (reconcile). */
  ChecksumSql checksumSql();

  /** Classifies a driver error by SQLState and vendor code, never by message text. */
  ErrorClass classify(SQLException e);
}
