package io.rivet.core.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The independent reader: DuckDB's JDBC driver, reading Parquet files written by Rivet. */
public final class DuckDb {
  private DuckDb() {}

  public static Connection open() throws SQLException {
    return DriverManager.getConnection("jdbc:duckdb:");
  }

  /** Every row of a query, each column as {@code getObject}. */
  public static List<List<Object>> rows(String sql) throws SQLException {
    try (Connection c = open();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<List<Object>> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          row.add(rs.getObject(i));
        }
        out.add(row);
      }
      return out;
    }
  }

  public static long count(String parquetGlob) throws SQLException {
    return ((Number) rows("SELECT count(*) FROM read_parquet('" + parquetGlob + "')").get(0).get(0))
        .longValue();
  }
}
