package io.rivet.core.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real database server for integration tests; one implementation per engine, one database per
 * test class.
 */
public interface TestingServer extends AutoCloseable {
  /**
   * {@code postgres}, {@code mysql} or {@code sqlserver}: the value of {@code source.type},
   * engine-wise.
   */
  String engine();

  /** JDBC URL of this test's database, credentials included as parameters. */
  String jdbcUrl();

  Connection connect() throws SQLException;

  /** The {@code source.type} of a rivet.yaml for this server. */
  default String sourceType() {
    return switch (engine()) {
      case "sqlserver" -> "mssql";
      default -> engine();
    };
  }

  default void execute(String... sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }
}
