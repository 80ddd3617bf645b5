package io.rivet.core.write;

import io.rivet.core.dialect.Dialect;
import io.rivet.core.dialect.WireFormat;
import io.rivet.core.dialect.postgres.PgBinaryRow;
import io.rivet.core.schema.ColumnMapping;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.schema.MessageType;

/**
 * Writes the current row of a ResultSet straight into Parquet's per-column writers: no Avro record, no Beam element,
 * and no record-assembly layer between — each top-level field of the schema has exactly one leaf column, so column i
 * of the result set is leaf i of the schema.
 */
final class ParquetRowWriter {
  private final MessageType schema;
  private final ColumnWriter[] writers;
  private final Map<String, String> metadata;
  /** Whether {@code _rivet_exported_at} is written, and its value for every row of this part. */
  private final boolean hasExportedAt;
  private final long exportedAtMicros;
  private final RowHash rowHash;
  private final Dialect dialect;
  private org.apache.parquet.column.ColumnWriter exportedAt;
  private org.apache.parquet.column.ColumnWriter rowHashOut;
  /** The result set the writers' wire formats were chosen for. */
  private ResultSet bound;

  /**
   * Set {@code -Drivet.driverValues=true} to read every value through the JDBC getters (to compare, or to rule
   * the direct decoders out when chasing a wrong value).
   */
  private static final boolean DRIVER_VALUES_ONLY = Boolean.getBoolean("rivet.driverValues");

  ParquetRowWriter(List<ColumnMapping> columns, Long exportedAtMicros, boolean rowHash, Dialect dialect) {
    this.dialect = dialect;
    this.schema = ParquetSchemas.messageType(columns, exportedAtMicros != null, rowHash);
    this.rowHash = rowHash ? new RowHash(columns.size()) : null;
    this.writers = new ColumnWriter[columns.size()];
    Map<String, String> md = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      writers[i] = ColumnWriter.of(columns.get(i), i);
      md.put("rivet.native_type." + columns.get(i).name(), columns.get(i).sourceType());
    }
    md.put("rivet.writer", "rivet-for-beam");
    this.metadata = md;
    this.hasExportedAt = exportedAtMicros != null;
    this.exportedAtMicros = hasExportedAt ? exportedAtMicros : 0;
  }

  MessageType schema() {
    return schema;
  }

  Map<String, String> metadata() {
    return metadata;
  }

  /** Points every column at its writer in a new row group's store. */
  void bind(ColumnWriteStore store) {
    List<ColumnDescriptor> leaves = schema.getColumns();
    for (int i = 0; i < writers.length; i++) {
      writers[i].out = store.getColumnWriter(leaves.get(i));
    }
    int next = writers.length;
    exportedAt = hasExportedAt ? store.getColumnWriter(leaves.get(next++)) : null;
    rowHashOut = rowHash != null ? store.getColumnWriter(leaves.get(next)) : null;
  }

  /** Writes one value (or NULL) per column for the current row; the caller ends the record. */
  void write(ResultSet rs) throws SQLException {
    if (rs != bound) {
      choose(rs);
    }
    for (ColumnWriter w : writers) {
      w.write(rs);
    }
    if (exportedAt != null) {
      exportedAt.write(exportedAtMicros, 0, 1);
    }
    if (rowHashOut != null) {
      rowHashOut.write(rowHash.of(rs), 0, 1);
    }
  }

  /** Writes one binary COPY row; the caller ends the record. The row hash needs the driver's text: never here. */
  void write(PgBinaryRow row) {
    if (rowHashOut != null) {
      throw new IllegalStateException("a row hash is computed from the driver's values; binary COPY rows cannot carry it");
    }
    for (ColumnWriter w : writers) {
      w.write(row);
    }
    if (exportedAt != null) {
      exportedAt.write(exportedAtMicros, 0, 1);
    }
  }

  private void choose(ResultSet rs) throws SQLException {
    bound = rs;
    ResultSetMetaData md = dialect == null || DRIVER_VALUES_ONLY ? null : rs.getMetaData();
    for (ColumnWriter w : writers) {
      w.wire = md == null ? WireFormat.DRIVER : dialect.wireFormat(md, w.jdbcIndex, w.mapping());
    }
  }

  /** Zero dates written as NULL so far, per column (only columns that had any). */
  Map<String, Long> zeroDates() {
    Map<String, Long> out = new LinkedHashMap<>();
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
  Map<String, Integer> maxBytes() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (ColumnWriter w : writers) {
      if (w.maxBytes >= 0) {
        out.put(w.name, w.maxBytes);
      }
    }
    return out;
  }
}
