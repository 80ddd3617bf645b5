package io.rivet.cli;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Loads the demo's sample schema ({@code demo.orders} and {@code demo.type_showcase}) into a PostgreSQL database. */
public final class DemoDatabase {
  private DemoDatabase() {}

  public static void load(Connection c, long orderRows) throws SQLException {
    String sql;
    try (InputStream in = DemoDatabase.class.getResourceAsStream("/demo/schema.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${ROWS}", Long.toString(orderRows));
    } catch (IOException | NullPointerException e) {
      throw new RivetException(ErrorCode.INTERNAL, "the demo schema is missing from the distribution", e);
    }
    try (Statement st = c.createStatement()) {
      st.execute(sql);
      st.execute("ANALYZE");
    }
  }
}
