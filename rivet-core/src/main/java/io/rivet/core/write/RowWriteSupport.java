package io.rivet.core.write;

import io.rivet.core.dialect.Dialect;
import io.rivet.core.dialect.WireFormat;
import io.rivet.core.schema.ColumnMapping;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** Writes the current row of a ResultSet straight into Parquet column writers: no Avro record, no Beam element. */
final class RowWriteSupport extends WriteSupport<ResultSet> {
  private final MessageType schema;
  private final ColumnWriter[] writers;
  private final Map<String, String> metadata;
  private final Long exportedAtMicros;
  private final int exportedAtField;
  private final RowHash rowHash;
  private final int rowHashField;
  private final Dialect dialect;
  private RecordConsumer rc;
  /** The result set the writers' wire formats were chosen for. */
  private ResultSet bound;

  /**
   * Set {@code -Drivet.driverValues=true} to read every value through the JDBC getters (to compare, or to rule
   * the direct decoders out when chasing a wrong value).
   */
  private static final boolean DRIVER_VALUES_ONLY = Boolean.getBoolean("rivet.driverValues");

  RowWriteSupport(List<ColumnMapping> columns, Long exportedAtMicros, boolean rowHash, Dialect dialect) {
    this.dialect = dialect;
    this.schema = ParquetSchemas.messageType(columns, exportedAtMicros != null, rowHash);
    this.rowHash = rowHash ? new RowHash(columns.size()) : null;
    this.rowHashField = columns.size() + (exportedAtMicros != null ? 1 : 0);
    this.writers = new ColumnWriter[columns.size()];
    Map<String, String> md = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      writers[i] = ColumnWriter.of(columns.get(i), i);
      md.put("rivet.native_type." + columns.get(i).name(), columns.get(i).sourceType());
    }
    md.put("rivet.writer", "rivet-for-beam");
    this.metadata = md;
    this.exportedAtMicros = exportedAtMicros;
    this.exportedAtField = columns.size();
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, metadata);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.rc = recordConsumer;
  }

  @Override
  public void write(ResultSet rs) {
    rc.startMessage();
    try {
      if (rs != bound) {
        bind(rs);
      }
      for (ColumnWriter w : writers) {
        w.write(rs, rc);
      }
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
    if (exportedAtMicros != null) {
      rc.startField(ParquetSchemas.EXPORTED_AT, exportedAtField);
      rc.addLong(exportedAtMicros);
      rc.endField(ParquetSchemas.EXPORTED_AT, exportedAtField);
    }
    if (rowHash != null) {
      long h;
      try {
        h = rowHash.of(rs);
      } catch (SQLException e) {
        throw new SqlFailure(e);
      }
      rc.startField(ParquetSchemas.ROW_HASH, rowHashField);
      rc.addLong(h);
      rc.endField(ParquetSchemas.ROW_HASH, rowHashField);
    }
    rc.endMessage();
  }

  private void bind(ResultSet rs) throws SQLException {
    bound = rs;
    ResultSetMetaData md = dialect == null || DRIVER_VALUES_ONLY ? null : rs.getMetaData();
    for (ColumnWriter w : writers) {
      w.wire = md == null ? WireFormat.DRIVER : dialect.wireFormat(md, w.jdbcIndex, w.mapping());
    }
  }

  /** Zero dates written as NULL so far, per column (only columns that had any). */
  java.util.Map<String, Long> zeroDates() {
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (ColumnWriter w : writers) {
      if (w.zeroDates > 0) {
        out.put(w.name, w.zeroDates);
      }
    }
    return out;
  }

  long variableBytes() {
    long sum = 0;
    for (ColumnWriter w : writers) {
      sum += w.variableBytes;
    }
    return sum;
  }

  /** The longest text or binary value per column, in bytes (columns with values only). */
  java.util.Map<String, Integer> maxBytes() {
    java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
    for (ColumnWriter w : writers) {
      if (w.maxBytes >= 0) {
        out.put(w.name, w.maxBytes);
      }
    }
    return out;
  }

  /** Carries a driver error out of {@link #write}, whose signature cannot throw it. */
  static final class SqlFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlFailure(SQLException cause) {
      super(cause);
    }

    SQLException sql() {
      return (SQLException) getCause();
    }
  }
}
