package io.rivet.core.extract;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.schema.ColumnMapping;
import io.rivet.core.state.PartRecord;
import io.rivet.core.write.ParquetPartWriter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The hot loop: one key sub-range of one chunk, streamed from the source straight into one Parquet part,
 * which is committed (made visible) only after its footer is written.
 */
public final class ChunkExtractor {
  private final ExportPlan plan;
  private final Dialect dialect;
  private final PartStore store;

  public ChunkExtractor(ExportPlan plan, PartStore store) {
    this.plan = plan;
    this.dialect = plan.connection().dialect();
    this.store = store;
  }

  /**
   * Reads {@code [from, to)} of {@code chunk} (the whole chunk when it is not keyed), claiming each row's key
   * before writing it. Returns the committed part, or null when the range held no rows.
   *
   * @param currentEnd the end of the range after any split, read when the part is committed
   */
  public PartRecord extract(Connection c, ChunkSpec chunk, long from, long to, KeyClaims claims, LongSupplier currentEnd) {
    String name = plan.partName(chunk, from);
    ParquetPartWriter writer = null;
    long lastKey = from;
    try {
      dialect.prepareForStreaming(c);
      try (Statement st = c.createStatement()) {
        for (String s : dialect.sessionSetup(plan.tuning())) {
          st.execute(s);
        }
      }
      int keyIndex = keyIndex();
      try (PreparedStatement ps = c.prepareStatement(sql(chunk), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        ps.setFetchSize(plan.fetchRows());
        if (chunk.keyed()) {
          ps.setLong(1, from);
          ps.setLong(2, to);
        }
        try (ResultSet rs = ps.executeQuery()) {
          int batch = 0;
          while (rs.next()) {
            if (chunk.keyed()) {
              lastKey = rs.getLong(keyIndex);
              if (!claims.tryClaim(lastKey)) {
                break;
              }
            }
            if (writer == null) {
              Long exportedAt = plan.exportedAtColumn() ? micros(Instant.now()) : null;
              writer = new ParquetPartWriter(store.create(name), plan, exportedAt);
            }
            writer.write(rs);
            if (++batch == plan.fetchRows()) {
              Progress.add(batch);
              batch = 0;
              throttle();
            }
          }
          Progress.add(batch);
        }
      }
      c.commit();
      if (writer == null) {
        return null;
      }
      ParquetPartWriter.Result r = writer.finish();
      store.commit(name);
      long end = chunk.keyed() ? currentEnd.getAsLong() : chunk.hi();
      return new PartRecord(plan.runId(), plan.exportName(), chunk.index(), from, end, name, r.rows(), r.bytes(), r.fingerprint());
    } catch (SQLException e) {
      abort(writer, name);
      ErrorClass cls = dialect.classify(e);
      throw new RivetException(cls == ErrorClass.PERMANENT ? ErrorCode.SOURCE_QUERY_FAILED : ErrorCode.SOURCE_TRANSIENT,
          where(chunk) + ": the source failed (SQLState " + e.getSQLState() + ", " + cls.name().toLowerCase() + "): "
              + e.getMessage() + "; " + resumeHint(), e);
    } catch (IllegalArgumentException e) {
      abort(writer, name);
      throw new RivetException(ErrorCode.VALUE_INVALID, where(chunk) + (chunk.keyed() ? ", key " + lastKey : "") + ": "
          + e.getMessage() + "; " + resumeHint(), e);
    } catch (IOException e) {
      abort(writer, name);
      throw new RivetException(ErrorCode.DESTINATION_FAILED, where(chunk) + ": writing " + name + " to " + plan.outputDir()
          + " failed: " + e.getMessage() + "; " + resumeHint(), e);
    }
  }

  private String where(ChunkSpec chunk) {
    return "export '" + plan.exportName() + "', " + chunk.describe();
  }

  private static String resumeHint() {
    return "parts already committed are kept; 'rivet run --resume' continues this run";
  }

  private void abort(ParquetPartWriter writer, String name) {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException | RuntimeException ignored) {
        // the temporary part is dropped below either way
      }
      store.abort(name);
    }
  }

  private String sql(ChunkSpec chunk) {
    return switch (chunk.kind()) {
      case RANGE -> dialect.rangeQuery(plan.baseQuery(), plan.chunkColumn());
      case NULL_KEYS -> dialect.nullKeyQuery(plan.baseQuery(), plan.chunkColumn());
      case WHOLE -> plan.baseQuery();
    };
  }

  private int keyIndex() {
    if (plan.chunkColumn() == null) {
      return -1;
    }
    for (int i = 0; i < plan.columns().size(); i++) {
      ColumnMapping m = plan.columns().get(i);
      if (m.name().equals(plan.chunkColumn())) {
        return i + 1;
      }
    }
    throw new IllegalStateException("chunk column " + plan.chunkColumn() + " is not among the columns");
  }

  private void throttle() {
    if (plan.tuning().throttleMs() > 0) {
      try {
        Thread.sleep(plan.tuning().throttleMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
