package io.rivet.core.write;

import io.rivet.core.plan.ExportPlan;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

/**
 * One CSV part (reference §6.2): a header, RFC 4180 with CRLF, every non-NULL value quoted (so NULL, written as an
 * empty field, differs from an empty string); decimals exact, binary as lowercase hex, UUIDs canonical, timestamps
 * ISO with microseconds and no offset (UTC for instants), floats with NaN / inf / -inf spelled out.
 */
final class CsvPartWriter implements PartWriter {
  private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL_NON_NULL).build();
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

  private final CountingDigestStream counted;
  private final CSVPrinter printer;
  private final List<ColumnMapping> columns;
  private final String exportedAt;
  private final boolean rowHash;
  private final RowHash hash;
  private final Map<String, Integer> maxBytes = new LinkedHashMap<>();
  private final List<Object> row = new ArrayList<>();
  private long rows;
  private long variableBytes;
  private boolean closed;

  CsvPartWriter(OutputStream out, ExportPlan plan, Long exportedAtMicros) throws IOException {
    this.counted = new CountingDigestStream(out);
    this.printer = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(counted, StandardCharsets.UTF_8), 1 << 16), FORMAT);
    this.columns = plan.columns();
    this.exportedAt = exportedAtMicros == null ? null : TS.format(LocalDateTime.ofInstant(
        Instant.EPOCH.plusNanos(exportedAtMicros * 1000), ZoneOffset.UTC));
    this.rowHash = plan.rowHashColumn();
    this.hash = rowHash ? new RowHash(columns.size()) : null;
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
  public void write(ResultSet rs) throws SQLException, IOException {
    row.clear();
    for (int i = 0; i < columns.size(); i++) {
      ColumnMapping m = columns.get(i);
      String v = render(rs, i + 1, m);
      if (v != null) {
        variableBytes += v.length();
      }
      if (v != null && (m.kind() == ColumnKind.STRING || m.kind() == ColumnKind.JSON || m.kind() == ColumnKind.BYTES)) {
        maxBytes.merge(m.name(), m.kind() == ColumnKind.BYTES ? v.length() / 2 : v.getBytes(StandardCharsets.UTF_8).length, Math::max);
      }
      row.add(v);
    }
    if (exportedAt != null) {
      row.add(exportedAt);
    }
    if (rowHash) {
      row.add(Long.toString(hash.of(rs)));
    }
    printer.printRecord(row);
    rows++;
  }

  private static String render(ResultSet rs, int i, ColumnMapping m) throws SQLException {
    try {
      return switch (m.kind()) {
        case BOOLEAN -> {
          boolean b = rs.getBoolean(i);
          yield rs.wasNull() ? null : Boolean.toString(b);
        }
        case INT16, INT32, INT64 -> {
          long l = rs.getLong(i);
          yield rs.wasNull() ? null : Long.toString(l);
        }
        case UINT64 -> rs.getString(i);
        case FLOAT32 -> {
          float f = rs.getFloat(i);
          yield rs.wasNull() ? null : Float.isNaN(f) ? "NaN" : Float.isInfinite(f) ? (f > 0 ? "inf" : "-inf") : Float.toString(f);
        }
        case FLOAT64 -> {
          double d = rs.getDouble(i);
          yield rs.wasNull() ? null : Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : Double.toString(d);
        }
        case DECIMAL -> {
          BigDecimal d = rs.getBigDecimal(i);
          yield d == null ? null : d.setScale(m.scale(), RoundingMode.UNNECESSARY).toPlainString();
        }
        case DATE -> {
          LocalDate d = rs.getObject(i, LocalDate.class);
          yield d == null ? null : d.toString();
        }
        case TIME_MICROS -> {
          LocalTime t = rs.getObject(i, LocalTime.class);
          yield t == null ? null : t.equals(LocalTime.MAX) ? "24:00:00.000000" : TIME.format(t);
        }
        case TIMESTAMP_MICROS -> {
          LocalDateTime t = rs.getObject(i, LocalDateTime.class);
          yield t == null ? null : TS.format(t);
        }
        case TIMESTAMPTZ_MICROS -> {
          LocalDateTime t = m.readAs() == ColumnMapping.ReadAs.DEFAULT
              ? utc(rs.getObject(i, OffsetDateTime.class)) : rs.getObject(i, LocalDateTime.class);
          yield t == null ? null : TS.format(t);
        }
        case BYTES -> {
          byte[] b = rs.getBytes(i);
          yield b == null ? null : HexFormat.of().formatHex(b);
        }
        case UUID -> {
          Object u = rs.getObject(i);
          yield u == null ? null : java.util.UUID.fromString(u.toString()).toString();
        }
        case STRING, JSON -> rs.getString(i);
        case LIST -> throw new BadValueException("column " + m.name() + ": CSV cannot carry lists", null);
      };
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw new BadValueException("column " + m.name() + ": a value cannot be written as " + m.describe() + " ("
          + e.getMessage() + ")", e);
    }
  }

  private static LocalDateTime utc(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
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
    return new Result(rows, counted.count(), counted.fingerprint(), counted.md5(), Map.of(), maxBytes);
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      printer.close(true);
    }
  }
}
