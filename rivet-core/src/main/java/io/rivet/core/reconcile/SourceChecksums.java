package io.rivet.core.reconcile;

import io.rivet.core.dialect.Dialect;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.read.BoundValue;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;

/**
 * A chunk's rows counted and checksummed by the source, in one statement: the run's base query (its
 * bounded window included, with the values stored in its plan) restricted to the chunk as the
 * export read it, unordered, wrapped in the engine's checksum SQL.
 */
public final class SourceChecksums {
  private static final String Q = "_rivet_q";

  private SourceChecksums() {}

  /** The statement for one chunk (parameters: the base query's, then the chunk's bounds). */
  public static String sql(Dialect d, ExportPlan plan, ChunkSpec chunk) {
    return d.checksumSql().checksumQuery(rows(d, plan, chunk), plan.columns());
  }

  /** Count and checksum of a chunk's rows on the source, on a connection in its read session. */
  public static ContentChecksum.Sum of(
      Connection c, Dialect d, ExportPlan plan, ChunkSpec chunk, int timeoutSeconds)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql(d, plan, chunk))) {
      ps.setQueryTimeout(timeoutSeconds);
      int i = 1;
      for (BoundValue v : plan.baseParams()) {
        v.bind(ps, i++);
      }
      bind(d, plan, chunk, ps, i);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return ContentChecksum.Sum.of(rs.getLong(1), rs.getBigDecimal(2));
      }
    }
  }

  /**
   * Per column, the sum of the hashes of its tokens over a chunk's rows (see {@link
   * ContentChecksum#columnSums}).
   */
  public static long[] columnSums(
      Connection c, Dialect d, ExportPlan plan, ChunkSpec chunk, int timeoutSeconds)
      throws SQLException {
    String sql = d.checksumSql().columnChecksumQuery(rows(d, plan, chunk), plan.columns());
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setQueryTimeout(timeoutSeconds);
      int i = 1;
      for (BoundValue v : plan.baseParams()) {
        v.bind(ps, i++);
      }
      bind(d, plan, chunk, ps, i);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long[] out = new long[plan.columns().size()];
        for (int k = 0; k < out.length; k++) {
          out[k] = ContentChecksum.Sum.of(0, rs.getBigDecimal(k + 1)).checksum();
        }
        return out;
      }
    }
  }

  static String rows(Dialect d, ExportPlan plan, ChunkSpec chunk) {
    String base = plan.baseQuery();
    String from = "SELECT * FROM (" + base + ") AS " + Q;
    String c = chunk.kind() == ChunkSpec.Kind.WHOLE ? null : Q + "." + d.quote(plan.chunkColumn());
    return switch (chunk.kind()) {
      case WHOLE -> from;
      case RANGE, DAYS -> from + " WHERE " + c + " >= ? AND " + c + " < ?";
      case NULL_KEYS -> from + " WHERE " + c + " IS NULL";
      case KEYSET -> {
        String where =
            chunk.keyFrom() != null && chunk.keyTo() != null
                ? " WHERE " + c + " > ? AND " + c + " <= ?"
                : chunk.keyFrom() != null
                    ? " WHERE " + c + " > ?"
                    : chunk.keyTo() != null ? " WHERE " + c + " <= ?" : "";
        yield from + where;
      }
      case DENSE ->
          "SELECT * FROM (SELECT _rivet_i.*, ROW_NUMBER() OVER (ORDER BY _rivet_i."
              + d.quote(plan.chunkColumn())
              + ") AS _rivet_chunk_rn FROM ("
              + base
              + ") AS _rivet_i) AS _rivet_w"
              + " WHERE _rivet_w._rivet_chunk_rn >= ? AND _rivet_w._rivet_chunk_rn < ?";
    };
  }

  private static void bind(
      Dialect d, ExportPlan plan, ChunkSpec chunk, PreparedStatement ps, int at)
      throws SQLException {
    switch (chunk.kind()) {
      case RANGE, DENSE -> {
        ps.setLong(at, chunk.lo());
        ps.setLong(at + 1, chunk.hi());
      }
      case DAYS -> {
        ps.setObject(at, LocalDate.ofEpochDay(chunk.lo()));
        ps.setObject(at + 1, LocalDate.ofEpochDay(chunk.hi()));
      }
      case KEYSET -> {
        ColumnMapping key = plan.keyColumn();
        int i = at;
        if (chunk.keyFrom() != null) {
          d.bindKey(ps, i++, key, chunk.keyFrom());
        }
        if (chunk.keyTo() != null) {
          d.bindKey(ps, i, key, chunk.keyTo());
        }
      }
      case WHOLE, NULL_KEYS -> {}
    }
  }
}
