package io.rivet.core.write;

import io.rivet.core.plan.ExportPlan;
import io.rivet.core.read.BadValueException;
import io.rivet.core.read.RowSource;
import io.rivet.core.read.ValueSink;
import io.rivet.core.read.Values;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * One CSV part (reference §6.2): a header, RFC 4180 with CRLF, every non-NULL value quoted (so
 * NULL, written as an empty field, differs from an empty string); decimals exact, binary as
 * lowercase hex, UUIDs canonical, timestamps ISO with microseconds and no offset (UTC for
 * instants), floats with NaN / inf / -inf spelled out. The values are the ones the column readers
 * decided, as for Parquet: this class only spells them.
 */
final class CsvPartWriter implements PartWriter, ValueSink {
  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL_NON_NULL).build();
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

  private final CountingDigestStream counted;
  private final CSVPrinter printer;
  private final List<ColumnMapping> columns;
  private final String exportedAt;
  private final boolean rowHash;
  private final String[] values;
  private final List<String> record;
  private final long[] zeroDates;
  private final Map<String, Integer> maxBytes = new LinkedHashMap<>();
  private String hash;
  private long rows;
  private long variableBytes;
  private boolean closed;

  CsvPartWriter(OutputStream out, ExportPlan plan, Long exportedAtMicros) throws IOException {
    this.counted = new CountingDigestStream(out);
    this.printer =
        new CSVPrinter(
            new BufferedWriter(new OutputStreamWriter(counted, StandardCharsets.UTF_8), 1 << 16),
            FORMAT);
    this.columns = plan.columns();
    this.exportedAt = exportedAtMicros == null ? null : timestamp(exportedAtMicros);
    this.rowHash = plan.rowHashColumn();
    this.values = new String[columns.size()];
    this.record = new ArrayList<>(columns.size() + 2);
    this.zeroDates = new long[columns.size()];
    List<String> header = new ArrayList<>(columns.stream().map(ColumnMapping::name).toList());
    if (exportedAt != null) {
      header.add(ParquetSchemas.EXPORTED_AT);
    }
    if (rowHash) {
      header.add(ParquetSchemas.ROW_HASH);
    }
    printer.printRecord(header);
  }

  @Override
  public void write(RowSource row) throws SQLException, IOException {
    Arrays.fill(values, null);
    row.emit(this);
    record.clear();
    record.addAll(Arrays.asList(values));
    if (exportedAt != null) {
      record.add(exportedAt);
    }
    if (rowHash) {
      record.add(hash);
    }
    printer.printRecord(record);
    rows++;
  }

  /** A column's value as text, counted for fetch sizing (and, for text and binary, shape drift). */
  private void set(int c, String v) {
    values[c] = v;
    variableBytes += v.length();
  }

  private void setVariable(int c, String v, int bytes) {
    set(c, v);
    maxBytes.merge(columns.get(c).name(), bytes, Math::max);
  }

  @Override
  public void writeNull(int c) {
    values[c] = null;
  }

  @Override
  public void writeInt(int c, int v) {
    set(c, Integer.toString(v));
  }

  @Override
  public void writeLong(int c, long v) {
    set(
        c,
        columns.get(c).kind() == ColumnKind.UINT64 ? Long.toUnsignedString(v) : Long.toString(v));
  }

  @Override
  public void writeFloat(int c, float f) {
    set(
        c,
        Float.isNaN(f)
            ? "NaN"
            : Float.isInfinite(f) ? (f > 0 ? "inf" : "-inf") : Float.toString(f));
  }

  @Override
  public void writeDouble(int c, double d) {
    set(
        c,
        Double.isNaN(d)
            ? "NaN"
            : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : Double.toString(d));
  }

  @Override
  public void writeBoolean(int c, boolean v) {
    set(c, Boolean.toString(v));
  }

  @Override
  public void writeDecimal(int c, long unscaled) {
    set(c, BigDecimal.valueOf(unscaled, columns.get(c).scale()).toPlainString());
  }

  @Override
  public void writeDecimal(int c, BigDecimal scaled) {
    set(c, scaled.toPlainString());
  }

  @Override
  public void writeDate(int c, int epochDay) {
    set(c, LocalDate.ofEpochDay(epochDay).toString());
  }

  @Override
  public void writeTime(int c, long micros) {
    set(
        c,
        micros == Values.END_OF_DAY_MICROS
            ? "24:00:00.000000"
            : TIME.format(LocalTime.ofNanoOfDay(micros * 1000)));
  }

  @Override
  public void writeTimestamp(int c, long micros) {
    set(c, timestamp(micros));
  }

  private static String timestamp(long micros) {
    return TS.format(
        LocalDateTime.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L),
            (int) Math.floorMod(micros, 1_000_000L) * 1000,
            ZoneOffset.UTC));
  }

  @Override
  public void writeText(int c, String value) {
    setVariable(c, value, value.getBytes(StandardCharsets.UTF_8).length);
  }

  @Override
  public void writeBytes(int c, byte[] bytes, int offset, int length) {
    setVariable(
        c,
        columns.get(c).kind() == ColumnKind.BYTES
            ? HexFormat.of().formatHex(bytes, offset, offset + length)
            : new String(bytes, offset, length, StandardCharsets.UTF_8),
        length);
  }

  @Override
  public void writeUuid(int c, byte[] b, int offset) {
    set(c, new UUID(longAt(b, offset), longAt(b, offset + 8)).toString());
  }

  private static long longAt(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xFF);
    }
    return v;
  }

  @Override
  public void writeZeroDate(int c) {
    zeroDates[c]++;
    values[c] = null;
  }

  @Override
  public void startList(int c) {
    throw new BadValueException(
        "column "
            + columns.get(c).name()
            + ": CSV cannot carry lists; write this export as"
            + " parquet, or turn the array into text in the query",
        null);
  }

  @Override
  public void endList(int c) {
    startList(c);
  }

  @Override
  public void writeRowHash(long h) {
    hash = Long.toString(h);
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public long variableBytes() {
    return variableBytes;
  }

  @Override
  public long dataSize() {
    return counted.count();
  }

  @Override
  public Result finish() throws IOException {
    closed = true;
    printer.close(true);
    Map<String, Long> zeros = new LinkedHashMap<>();
    for (int i = 0; i < zeroDates.length; i++) {
      if (zeroDates[i] > 0) {
        zeros.put(columns.get(i).name(), zeroDates[i]);
      }
    }
    return new Result(rows, counted.count(), counted.fingerprint(), counted.md5(), zeros, maxBytes);
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      printer.close(true);
    }
  }
}
