package io.rivet.cli;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Loads the demo's sample schema (orders and type_showcase) into a PostgreSQL or MySQL/MariaDB
 * database.
 */
public final class DemoDatabase {
  private DemoDatabase() {}

  public static void load(Connection c, long orderRows) throws SQLException {
    load(c, "postgres", orderRows);
  }

  /** Loads the sample schema of an engine ({@code postgres} or {@code mysql}). */
  public static void load(Connection c, String engine, long orderRows) throws SQLException {
    String sql;
    try (InputStream in =
        DemoDatabase.class.getResourceAsStream("/demo/schema-" + engine + ".sql")) {
      sql =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("${ROWS}", Long.toString(orderRows));
    } catch (IOException | NullPointerException e) {
      throw new RivetException(
          ErrorCode.INTERNAL, "the demo schema is missing from the distribution", e);
    }
    try (Statement st = c.createStatement()) {
      if (engine.equals("postgres")) {
        st.execute(sql);
        st.execute("ANALYZE");
      } else {
        // One statement per execute: connector-j runs multi-statement text only with
        // allowMultiQueries.
        for (String statement : sql.split(";\\s*\\n", -1)) {
          String trimmed =
              statement
                  .lines()
                  .filter(l -> !l.startsWith("--"))
                  .reduce("", (a, b) -> a + "\n" + b)
                  .trim();
          if (!trimmed.isEmpty()) {
            st.execute(trimmed);
          }
        }
      }
    }
  }
}
