package io.rivet.core.dialect;

import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Everything engine-specific: SQL shapes, identifier quoting, streaming set-up, type mapping and error
 * classification. Implementations are final and stateless; SQL builders are pure and bind values as {@code ?}.
 */
public interface Dialect {
  /** Short engine name, e.g. {@code postgres}. */
  String name();

  /** Quotes an identifier, doubling any embedded quote character. */
  String quote(String identifier);

  /** The export's base query: the user's SQL, or {@code SELECT * FROM <table>}. */
  String baseQuery(ExportConfig export);

  /** A query returning no rows whose metadata describes the base query's columns. */
  String schemaProbe(String baseQuery);

  /** {@code SELECT min, max} of the chunk column over the base query. */
  String boundsQuery(String baseQuery, String column);

  /** Returns a row when at least one row's chunk column is NULL. */
  String nullProbe(String baseQuery, String column);

  /** The rows of one key range {@code [?, ?)} of the chunk column, in key order. */
  String rangeQuery(String baseQuery, String column);

  /** The rows whose chunk column is NULL. */
  String nullKeyQuery(String baseQuery, String column);

  /** Statements run inside the read transaction before the query (timeouts). */
  List<String> sessionSetup(TuningConfig tuning);

  /** Prepares a connection for streaming reads (e.g. autocommit off so the driver uses a cursor). */
  void prepareForStreaming(Connection connection) throws SQLException;

  /** Finds the single integer primary-key column of a table, if it has exactly one. */
  Optional<String> integerPrimaryKey(Connection connection, ExportConfig.TableRef table) throws SQLException;

  /**
   * Maps the base query's columns to written types, applying {@code columns:} overrides.
   *
   * @throws io.rivet.core.RivetException naming every unsupported column
   */
  List<ColumnMapping> mapColumns(Connection connection, String baseQuery, java.util.Map<String, String> overrides)
      throws SQLException;

  /** Classifies a driver error by SQLState and vendor code, never by message text. */
  ErrorClass classify(SQLException e);
}
