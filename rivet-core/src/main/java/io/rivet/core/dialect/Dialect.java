package io.rivet.core.dialect;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything engine-specific: SQL shapes, identifier quoting, streaming set-up, type mapping and error
 * classification. Implementations are final and stateless; SQL builders are pure and bind values as {@code ?}.
 */
public interface Dialect {
  /** Short engine name: {@code postgres}, {@code mysql} or {@code sqlserver}. */
  String name();

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
   * The rows whose ordinal in {@code column} order lies in {@code [?, ?)}, with the ordinal as an extra last
   * column {@code _rivet_chunk_rn} (not written), in ordinal order.
   */
  String denseQuery(String baseQuery, String column);

  /** The rows whose date/timestamp column lies in the day window {@code [?, ?)} (dates bound as parameters). */
  String daysQuery(String baseQuery, String column);

  /**
   * One keyset page: rows with {@code column > ?} (when {@code lower}) and {@code column <= ?} (when {@code upper}),
   * in key order, at most {@code ?} rows.
   */
  String keysetPageQuery(String baseQuery, String column, boolean lower, boolean upper);

  /** Every {@code ?}-th key in key order: the boundaries that cut a keyset into chunks read in parallel. */
  String keysetBoundaries(String baseQuery, String column);

  /** Statements run before reading a chunk (timeouts, session time zone). */
  List<String> sessionSetup(Connection connection, TuningConfig tuning) throws SQLException;

  /** Statements that restore the session after reading a chunk (empty when the setup ends with the transaction). */
  List<String> sessionReset(Connection connection, TuningConfig tuning) throws SQLException;

  /** Prepares a connection for streaming reads. */
  void prepareForStreaming(Connection connection) throws SQLException;

  /**
   * How the writer may read column {@code column} of a result set mapped as {@code mapping}: {@link WireFormat#DRIVER}
   * unless this dialect knows the driver hands out the server's own bytes for it.
   */
  default WireFormat wireFormat(java.sql.ResultSetMetaData md, int column, ColumnMapping mapping) throws SQLException {
    return WireFormat.DRIVER;
  }

  /**
   * True when the driver streams a whole statement's result (MySQL/MariaDB row streaming), so the statement stays
   * open on the server for as long as the client takes to read it. Range chunks are then read as several shorter
   * statements over consecutive key sub-ranges, sized to a target duration, and the throttle sleeps between
   * statements rather than inside one.
   */
  default boolean streamsWholeStatement() {
    return false;
  }

  /**
   * Whether range chunks of these columns can stream as PostgreSQL binary COPY ({@link #binaryCopyRange}); when not,
   * they are read with {@link #rangeQuery} through the driver.
   */
  default boolean readsBinaryCopy(List<ColumnMapping> columns) {
    return false;
  }

  /** The statement that streams the rows of {@code [from, to)} in key order as binary COPY (bounds inlined). */
  default String binaryCopyRange(String baseQuery, String column, long from, long to) {
    throw new UnsupportedOperationException(name() + " has no binary COPY");
  }

  /** A parameterless query (the whole base query of a full export, the NULL-key chunk) as binary COPY. */
  default String binaryCopyOf(String query) {
    throw new UnsupportedOperationException(name() + " has no binary COPY");
  }

  /**
   * The binary COPY form of {@link #denseQuery}: ordinals {@code [from, to)}, each row followed by its ordinal (a
   * bigint field after the columns).
   */
  default String binaryCopyDense(String baseQuery, String column, long from, long to) {
    throw new UnsupportedOperationException(name() + " has no binary COPY");
  }

  /**
   * The binary COPY form of {@link #daysQuery}, the window's first day and end day inlined as date literals; empty
   * when a day has no plain literal (the window is then bound through the driver).
   */
  default java.util.Optional<String> binaryCopyDays(String baseQuery, String column, java.time.LocalDate from,
      java.time.LocalDate to) {
    throw new UnsupportedOperationException(name() + " has no binary COPY");
  }

  /**
   * The binary COPY form of {@link #keysetPageQuery}: at most {@code limit} rows with keys after {@code after}
   * (exclusive, when set) up to {@code upTo} (inclusive, when set), in key order, the keys inlined as literals of the
   * key column's type.
   */
  default String binaryCopyKeysetPage(String baseQuery, String column, ColumnMapping key, String after, String upTo,
      int limit) {
    throw new UnsupportedOperationException(name() + " has no binary COPY");
  }

  /**
   * Evidence that connections reach the server through a pooler or proxy (reference §7.2), read on a fresh
   * autocommit connection; empty when none is seen. Never fails the run.
   */
  default Optional<String> poolerEvidence(Connection connection) throws SQLException {
    return Optional.empty();
  }

  /** The URL with the settings a transaction-pooling pooler needs (PostgreSQL: no named server-side statements). */
  default String poolerSafeUrl(String jdbcUrl) {
    return jdbcUrl;
  }

  /** What rivet does, on this engine, so that a pooler or proxy between it and the server is safe. */
  default String poolerPolicy() {
    return "rivet sets its session settings at the start of each chunk and restores them at its end";
  }

  /** The driver fetch size that streams {@code plannedRows} rows per round trip. */
  default int fetchSize(int plannedRows) {
    return plannedRows;
  }

  /** A client-side statement timeout in seconds (0 = none), for engines without a server-side session setting. */
  default int queryTimeoutSeconds(TuningConfig tuning) {
    return 0;
  }

  /** Finds the single integer primary-key column of a table, if it has exactly one. */
  Optional<String> integerPrimaryKey(Connection connection, ExportConfig.TableRef table) throws SQLException;

  /** Whether {@code column} is NOT NULL and alone forms a unique index or the primary key of the table. */
  boolean uniqueNotNull(Connection connection, ExportConfig.TableRef table, String column) throws SQLException;

  /** The planner statistics' row count of a table, without scanning it. */
  OptionalLong rowEstimate(Connection connection, ExportConfig.TableRef table) throws SQLException;

  /**
   * The catalog's average bytes per row of a table (its stored size over its row estimate), without scanning it;
   * empty when the catalog does not know (never analyzed, empty). Sizes chunks for {@code chunk_size_memory_mb}.
   */
  OptionalLong avgRowBytes(Connection connection, ExportConfig.TableRef table) throws SQLException;

  /**
   * Maps the base query's columns to written types, applying {@code columns:} overrides.
   *
   * @throws io.rivet.core.RivetException naming every unsupported column
   */
  List<ColumnMapping> mapColumns(Connection connection, String baseQuery, Map<String, String> overrides)
      throws SQLException;

  /** Binds a keyset key (kept as text in the plan and the ledger) with the column's own type. */
  void bindKey(PreparedStatement ps, int index, ColumnMapping key, String value) throws SQLException;

  /** Classifies a driver error by SQLState and vendor code, never by message text. */
  ErrorClass classify(SQLException e);
}
