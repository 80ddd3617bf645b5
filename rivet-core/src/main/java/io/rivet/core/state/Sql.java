package io.rivet.core.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state store's statements: parameters bound in order, rows mapped by a function. Used inside a
 * transaction.
 */
final class Sql {
  /** Maps the current row of a result. */
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final Connection c;

  Sql(Connection c) {
    this.c = c;
  }

  int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args)) {
      return ps.executeUpdate();
    }
  }

  /** One statement run once per argument list, as one batch. */
  void batch(String sql, List<Object[]> argLists) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Object[] args : argLists) {
        bind(ps, args);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  <T> List<T> list(String sql, Row<T> row, Object... args) throws SQLException {
    List<T> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(row.map(rs));
      }
    }
    return out;
  }

  /** The first row's value; empty when there is no row, or its value is NULL. */
  <T> Optional<T> first(String sql, Row<T> row, Object... args) throws SQLException {
    List<T> all = list(sql, row, args);
    return all.isEmpty() ? Optional.empty() : Optional.ofNullable(all.get(0));
  }

  void execute(String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      bind(ps, args);
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }

  private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }
}
