package io.rivet.bench;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * How fast PostgreSQL ships the narrow table to a client that only touches each field's bytes (no
 * Parquet): cursor fetches of binary results (rivet's path: {@code getBytes} per field, 45,000-row
 * round trips) against {@code COPY (SELECT …) TO STDOUT (FORMAT binary)}, both over 100,000-key
 * ranges. Three alternating rounds. Usage: start {@code Serve postgres 10000000 1000}, then {@code
 * java … PgReadPaths <its JDBC URL> [rows=10000000]}.
 */
public final class PgReadPaths {
  private static final long RANGE = 100_000;

  private PgReadPaths() {}

  public static void main(String[] args) throws Exception {
    String url = args[0] + (args[0].contains("?") ? "&" : "?") + "prepareThreshold=-1";
    long total = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
    for (int round = 1; round <= 3; round++) {
      for (String way : new String[] {"cursor", "copy"}) {
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long started = System.nanoTime();
        long[] counted;
        try (Connection c = DriverManager.getConnection(url)) {
          c.setAutoCommit(false);
          counted = way.equals("cursor") ? cursor(c, total) : copy(c, total);
          c.commit();
        }
        System.out.printf(
            "round %d %-6s %,d rows, %,d field bytes: %,d ms wall, %,d ms thread CPU%n",
            round,
            way,
            counted[0],
            counted[1],
            (System.nanoTime() - started) / 1_000_000,
            (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu) / 1_000_000);
      }
    }
  }

  private static long[] cursor(Connection c, long total) throws Exception {
    long rows = 0;
    long bytes = 0;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT * FROM narrow WHERE id >= ? AND id < ?")) {
      ps.setFetchSize(45_000);
      for (long lo = 1; lo <= total; lo += RANGE) {
        ps.setLong(1, lo);
        ps.setLong(2, lo + RANGE);
        try (ResultSet rs = ps.executeQuery()) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            rows++;
            for (int i = 1; i <= columns; i++) {
              byte[] b = rs.getBytes(i);
              bytes += b == null ? 0 : b.length;
            }
          }
        }
      }
    }
    return new long[] {rows, bytes};
  }

  private static long[] copy(Connection c, long total) throws Exception {
    long rows = 0;
    long bytes = 0;
    PGConnection pg = c.unwrap(PGConnection.class);
    for (long lo = 1; lo <= total; lo += RANGE) {
      CopyOut out =
          pg.getCopyAPI()
              .copyOut(
                  "COPY (SELECT * FROM narrow WHERE id >= "
                      + lo
                      + " AND id < "
                      + (lo + RANGE)
                      + ") TO STDOUT (FORMAT binary)");
      boolean first = true;
      byte[] row;
      while ((row = out.readFromCopy()) != null) {
        // The first message starts with the 11-byte signature, 4 bytes of flags and a 4-byte header
        // extension length.
        int p = first ? 19 : 0;
        first = false;
        int fields = ((row[p] & 0xFF) << 8) | (row[p + 1] & 0xFF);
        if (fields == 0xFFFF) {
          continue;
        }
        p += 2;
        for (int i = 0; i < fields; i++) {
          int len =
              ((row[p] & 0xFF) << 24)
                  | ((row[p + 1] & 0xFF) << 16)
                  | ((row[p + 2] & 0xFF) << 8)
                  | (row[p + 3] & 0xFF);
          p += 4;
          if (len > 0) {
            bytes += len;
            p += len;
          }
        }
        rows++;
      }
    }
    return new long[] {rows, bytes};
  }
}
