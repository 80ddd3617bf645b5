package io.rivet.core.state;

import java.sql.SQLException;
import java.util.List;

/**
 * Brings a store's schema to the newest version: the versions it lacks are applied in order, each
 * recorded in {@code schema_version}, inside the caller's write transaction (so a failed migration
 * leaves the older schema).
 */
final class Migrations {
  private Migrations() {}

  /**
   * Applies what is missing of {@code versions}; returns the version the store is at afterwards.
   */
  static int apply(Sql sql, List<List<String>> versions) throws SQLException {
    sql.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int current =
        sql.first("SELECT max(version) FROM schema_version", rs -> rs.getInt(1)).orElse(0);
    for (int v = current + 1; v <= versions.size(); v++) {
      for (String statement : versions.get(v - 1)) {
        sql.execute(statement);
      }
      sql.update("INSERT INTO schema_version (version) VALUES (?)", v);
    }
    return versions.size();
  }
}
