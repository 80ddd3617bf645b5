package io.rivet.core.dialect;

import io.rivet.core.read.BoundValue;
import io.rivet.core.read.ReadRequest;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.read.RowHash;
import io.rivet.core.read.RowReader;
import io.rivet.core.read.RowSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * Reads chunks through the driver: each request is the dialect's SQL shape for it, with the base
 * query's values and the window's bounds bound as parameters, streamed with the dialect's fetch
 * size and timeout.
 */
public final class JdbcRowReader implements RowReader {
  private final Dialect dialect;
  private final ReadSpec spec;

  public JdbcRowReader(Dialect dialect, ReadSpec spec) {
    this.dialect = dialect;
    this.spec = spec;
  }

  @Override
  public boolean streamsStatements() {
    return dialect.streamsWholeStatement();
  }

  @Override
  public RowSource open(Connection c, ReadRequest request, int fetchRows) throws SQLException {
    PreparedStatement ps =
        c.prepareStatement(sql(request), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    try {
      ps.setFetchSize(dialect.fetchSize(fetchRows));
      ps.setQueryTimeout(dialect.queryTimeoutSeconds(spec.tuning()));
      int i = 1;
      for (BoundValue v : spec.baseParams()) {
        v.bind(ps, i++);
      }
      bind(ps, i, request);
      ResultSet rs = ps.executeQuery();
      return new JdbcRowSource(
          dialect,
          ps,
          rs,
          readers(rs.getMetaData()),
          spec.rowHash() ? new RowHash(spec.columns().size()) : null);
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private JdbcColumnReader[] readers(ResultSetMetaData md) throws SQLException {
    JdbcColumnReader[] out = new JdbcColumnReader[spec.columns().size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = dialect.columnReader(spec.columns().get(i), i, md);
    }
    return out;
  }

  private String sql(ReadRequest r) {
    String base = spec.baseQuery();
    String column = spec.chunkColumn();
    if (r instanceof ReadRequest.Range) {
      return dialect.rangeQuery(base, column);
    } else if (r instanceof ReadRequest.Dense) {
      return dialect.denseQuery(base, column);
    } else if (r instanceof ReadRequest.Days) {
      return dialect.daysQuery(base, column);
    } else if (r instanceof ReadRequest.NullKeys) {
      return dialect.nullKeyQuery(base, column);
    } else if (r instanceof ReadRequest.KeysetPage k) {
      return dialect.keysetPageQuery(base, column, k.after() != null, k.upTo() != null);
    }
    return base;
  }

  /** Binds the request's own parameters, the first at {@code i} (the base query's come before). */
  private void bind(PreparedStatement ps, int i, ReadRequest r) throws SQLException {
    if (r instanceof ReadRequest.Range range) {
      ps.setLong(i, range.from());
      ps.setLong(i + 1, range.to());
    } else if (r instanceof ReadRequest.Dense dense) {
      ps.setLong(i, dense.from());
      ps.setLong(i + 1, dense.to());
    } else if (r instanceof ReadRequest.Days days) {
      ps.setObject(i, days.from());
      ps.setObject(i + 1, days.to());
    } else if (r instanceof ReadRequest.KeysetPage k) {
      int at = i;
      if (k.after() != null) {
        dialect.bindKey(ps, at++, spec.keyColumn(), k.after());
      }
      if (k.upTo() != null) {
        dialect.bindKey(ps, at++, spec.keyColumn(), k.upTo());
      }
      ps.setInt(at, k.limit());
    }
  }
}
