package io.rivet.core.write;

import io.rivet.core.read.ValueSink;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Encodes each row's values straight into Parquet's per-column writers: no Avro record, no Beam
 * element, and no record-assembly layer between — each top-level field of the schema has exactly
 * one leaf column, so column i of the row is leaf i of the schema. Every column is OPTIONAL: a
 * value is written at definition level 1, a NULL at level 0. Lists use the standard three-level
 * form (optional group, repeated {@code list}, optional {@code element}): a NULL list is definition
 * level 0, an empty one 1, a NULL element 2, a value 3; a row's first element is at repetition
 * level 0, the rest at 1.
 */
final class ParquetRowWriter implements ValueSink {
  private final MessageType schema;
  private final List<ColumnMapping> columns;
  private final ColumnWriter[] outs;

  /**
   * Per column: the decimal's precision (of a list's elements for a list column), 0 for other
   * kinds.
   */
  private final int[] decimalPrecision;

  private final Map<String, String> metadata;

  /** Whether {@code _rivet_exported_at} is written, and its value for every row of this part. */
  private final boolean hasExportedAt;

  private final long exportedAtMicros;
  private final boolean hasRowHash;
  private ColumnWriter exportedAt;
  private ColumnWriter rowHashOut;

  /**
   * The levels of the next value: (0, 1) outside a list; inside one, 3 and 0 for its first element,
   * then 1.
   */
  private int rep;

  private int def = 1;
  private boolean inList;
  private int elements;

  /**
   * Per column: zero dates written as NULL (policy), the longest text or binary value (-1: none),
   * and all bytes.
   */
  private final long[] zeroDates;

  private final int[] maxBytes;
  private long variableBytes;

  ParquetRowWriter(List<ColumnMapping> columns, Long exportedAtMicros, boolean rowHash) {
    this.schema = ParquetSchemas.messageType(columns, exportedAtMicros != null, rowHash);
    this.columns = List.copyOf(columns);
    this.outs = new ColumnWriter[columns.size()];
    this.decimalPrecision = new int[columns.size()];
    this.zeroDates = new long[columns.size()];
    this.maxBytes = new int[columns.size()];
    Arrays.fill(maxBytes, -1);
    Map<String, String> md = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      ColumnMapping m = columns.get(i);
      ColumnMapping leaf = m.kind() == ColumnKind.LIST ? m.element() : m;
      decimalPrecision[i] = leaf.kind() == ColumnKind.DECIMAL ? leaf.precision() : 0;
      md.put("rivet.native_type." + m.name(), m.sourceType());
    }
    md.put("rivet.writer", "rivet-for-beam");
    this.metadata = md;
    this.hasExportedAt = exportedAtMicros != null;
    this.exportedAtMicros = hasExportedAt ? exportedAtMicros : 0;
    this.hasRowHash = rowHash;
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
    for (int i = 0; i < outs.length; i++) {
      outs[i] = store.getColumnWriter(leaves.get(i));
    }
    int next = outs.length;
    exportedAt = hasExportedAt ? store.getColumnWriter(leaves.get(next++)) : null;
    rowHashOut = hasRowHash ? store.getColumnWriter(leaves.get(next)) : null;
  }

  /** Writes the columns that follow a row's values; the caller ends the record. */
  void endRow() {
    if (exportedAt != null) {
      exportedAt.write(exportedAtMicros, 0, 1);
    }
  }

  /** After a value: the next element of an open list is a repetition. */
  private void advance() {
    if (inList) {
      rep = 1;
      elements++;
    }
  }

  @Override
  public void writeNull(int c) {
    if (inList) {
      outs[c].writeNull(rep, 2);
      advance();
    } else {
      outs[c].writeNull(0, 0);
    }
  }

  @Override
  public void writeInt(int c, int v) {
    outs[c].write(v, rep, def);
    advance();
  }

  @Override
  public void writeLong(int c, long v) {
    outs[c].write(v, rep, def);
    advance();
  }

  @Override
  public void writeFloat(int c, float v) {
    outs[c].write(v, rep, def);
    advance();
  }

  @Override
  public void writeDouble(int c, double v) {
    outs[c].write(v, rep, def);
    advance();
  }

  @Override
  public void writeBoolean(int c, boolean v) {
    outs[c].write(v, rep, def);
    advance();
  }

  /** INT32 up to 9 digits, INT64 up to 18. */
  @Override
  public void writeDecimal(int c, long unscaled) {
    if (decimalPrecision[c] <= 9) {
      outs[c].write((int) unscaled, rep, def);
    } else {
      outs[c].write(unscaled, rep, def);
    }
    advance();
  }

  /** INT32 up to 9 digits, INT64 up to 18, a fixed-length two's complement beyond. */
  @Override
  public void writeDecimal(int c, BigDecimal scaled) {
    BigInteger unscaled = scaled.unscaledValue();
    int precision = decimalPrecision[c];
    if (precision <= 9) {
      outs[c].write(unscaled.intValue(), rep, def);
    } else if (precision <= 18) {
      outs[c].write(unscaled.longValue(), rep, def);
    } else {
      outs[c].write(
          Binary.fromConstantByteArray(
              fixed(unscaled.toByteArray(), ParquetSchemas.decimalBytes(precision))),
          rep,
          def);
    }
    advance();
  }

  private static byte[] fixed(byte[] twos, int len) {
    byte[] out = new byte[len];
    byte pad = (byte) (twos[0] < 0 ? 0xFF : 0x00);
    int offset = len - twos.length;
    Arrays.fill(out, 0, offset, pad);
    System.arraycopy(twos, 0, out, offset, twos.length);
    return out;
  }

  @Override
  public void writeDate(int c, int epochDay) {
    outs[c].write(epochDay, rep, def);
    advance();
  }

  @Override
  public void writeTime(int c, long micros) {
    outs[c].write(micros, rep, def);
    advance();
  }

  @Override
  public void writeTimestamp(int c, long micros) {
    outs[c].write(micros, rep, def);
    advance();
  }

  @Override
  public void writeText(int c, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    counted(c, b.length);
    outs[c].write(Binary.fromConstantByteArray(b), rep, def);
    advance();
  }

  /**
   * A reused-array Binary: a dictionary copies what it keeps instead of pinning the reader's
   * buffer.
   */
  @Override
  public void writeBytes(int c, byte[] bytes, int offset, int length) {
    counted(c, length);
    outs[c].write(Binary.fromReusedByteArray(bytes, offset, length), rep, def);
    advance();
  }

  /** A text or binary value of {@code len} bytes, counted for shape drift and fetch sizing. */
  private void counted(int c, int len) {
    if (len > maxBytes[c]) {
      maxBytes[c] = len;
    }
    variableBytes += len;
  }

  @Override
  public void writeUuid(int c, byte[] bytes, int offset) {
    outs[c].write(Binary.fromReusedByteArray(bytes, offset, 16), rep, def);
    advance();
  }

  @Override
  public void writeZeroDate(int c) {
    zeroDates[c]++;
    writeNull(c);
  }

  @Override
  public void startList(int c) {
    inList = true;
    elements = 0;
    rep = 0;
    def = 3;
  }

  @Override
  public void endList(int c) {
    if (elements == 0) {
      outs[c].writeNull(0, 1);
    }
    inList = false;
    rep = 0;
    def = 1;
  }

  @Override
  public void writeRowHash(long hash) {
    rowHashOut.write(hash, 0, 1);
  }

  /** Zero dates written as NULL so far, per column (only columns that had any). */
  Map<String, Long> zeroDates() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < zeroDates.length; i++) {
      if (zeroDates[i] > 0) {
        out.put(columns.get(i).name(), zeroDates[i]);
      }
    }
    return out;
  }

  long variableBytes() {
    return variableBytes;
  }

  /** The longest text or binary value per column, in bytes (columns with values only). */
  Map<String, Integer> maxBytes() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < maxBytes.length; i++) {
      if (maxBytes[i] >= 0) {
        out.put(columns.get(i).name(), maxBytes[i]);
      }
    }
    return out;
  }
}
