package io.rivet.core.reconcile;

import io.rivet.core.schema.ColumnMapping;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.Binary;

/**
 * rivet's content checksum ({@value #NAME}): an order-independent fingerprint of a set of rows that
 * the source computes in its own SQL and rivet computes from the written files, equal whenever the
 * rows are. Definition:
 *
 * <ol>
 *   <li>Each value becomes a <em>token</em>: {@code N} for NULL; for text, JSON and binary values
 *       the lowercase hex MD5 of their bytes (text as UTF-8); for a list {@code [t1,t2,…]} of its
 *       elements' tokens, then MD5'd as text; otherwise a canonical ASCII text — booleans {@code
 *       t}/{@code f}; integers in decimal (unsigned 64-bit as unsigned); decimals in plain notation
 *       with exactly the column's scale; floats as the 16 lowercase hex digits of the IEEE-754 bits
 *       of the value as a double (every NaN as {@code 7ff8000000000000}, −0 as +0); dates as days
 *       since 1970-01-01; times as microseconds since midnight; timestamps as microseconds since
 *       1970-01-01T00:00 (of the wall clock without time zone, of UTC with one); UUIDs in lowercase
 *       canonical text.
 *   <li>A row's text is its tokens in column order joined by {@code ,} (no token contains one).
 *   <li>A row's hash is the first 8 bytes of the MD5 of its text, as a 64-bit integer.
 *   <li>The checksum of a set of rows is the sum of their hashes modulo 2<sup>64</sup> — the same
 *       in any order, and a duplicated row changes it.
 * </ol>
 *
 * The meta columns ({@code _rivet_exported_at}, {@code _rivet_row_hash}) are not part of it.
 */
public final class ContentChecksum {
  /** The name and version of this definition, as reports carry it. */
  public static final String NAME = "rivet-content-v1";

  private static final HexFormat HEX = HexFormat.of();

  private ContentChecksum() {}

  /** Rows and their checksum. */
  public record Sum(long rows, long checksum) {
    public Sum plus(Sum other) {
      return new Sum(rows + other.rows, checksum + other.checksum);
    }

    /** The checksum as 16 lowercase hex digits (how reports show it). */
    public String hex() {
      return String.format(Locale.ROOT, "%016x", checksum);
    }

    public static final Sum EMPTY = new Sum(0, 0);

    /** From a source's {@code COUNT(*)} and {@code SUM(hash)} (any width; taken modulo 2^64). */
    public static Sum of(long rows, BigDecimal sum) {
      return new Sum(rows, sum == null ? 0 : sum.toBigIntegerExact().longValue());
    }
  }

  /** The hash of one row's text. */
  public static long rowHash(String rowText) {
    byte[] d = md5(rowText.getBytes(StandardCharsets.US_ASCII));
    return ByteBuffer.wrap(d, 0, 8).getLong();
  }

  /** Rows and checksum of a Parquet part written for {@code columns}. */
  public static Sum ofParquet(InputFile file, List<ColumnMapping> columns) throws IOException {
    long[] acc = new long[2];
    read(
        file,
        columns,
        tokens -> {
          acc[0]++;
          acc[1] += rowHash(String.join(",", tokens));
        });
    return new Sum(acc[0], acc[1]);
  }

  /**
   * Per column of a Parquet part, the sum of its tokens' hashes ({@link #rowHash} of the token
   * alone): where two chunks' checksums differ, the columns whose sums differ hold the changed
   * values.
   */
  public static long[] columnSums(InputFile file, List<ColumnMapping> columns) throws IOException {
    long[] sums = new long[columns.size()];
    read(
        file,
        columns,
        tokens -> {
          for (int i = 0; i < sums.length; i++) {
            sums[i] += rowHash(tokens[i]);
          }
        });
    return sums;
  }

  private static void read(InputFile file, List<ColumnMapping> columns, Consumer<String[]> row)
      throws IOException {
    Configuration conf = new Configuration(false);
    try (ParquetReader<Group> reader =
        new ParquetReader.Builder<Group>(file) {
          @Override
          protected ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
          }
        }.withConf(conf).build()) {
      String[] tokens = new String[columns.size()];
      // Every row of a file has the file's schema: each column's field is looked up once.
      int[] fields = null;
      for (Group g = reader.read(); g != null; g = reader.read()) {
        if (fields == null) {
          fields = new int[tokens.length];
          for (int i = 0; i < fields.length; i++) {
            fields[i] = g.getType().getFieldIndex(columns.get(i).name());
          }
        }
        for (int i = 0; i < tokens.length; i++) {
          int field = fields[i];
          tokens[i] =
              g.getFieldRepetitionCount(field) == 0 ? "N" : token(columns.get(i), g, field, 0);
        }
        row.accept(tokens);
      }
    }
  }

  /** The token of a present value {@code index} of field {@code field} of {@code g}. */
  static String token(ColumnMapping c, Group g, int field, int index) {
    return switch (c.kind()) {
      case BOOLEAN -> g.getBoolean(field, index) ? "t" : "f";
      case INT16, INT32 -> Integer.toString(g.getInteger(field, index));
      case INT64 -> Long.toString(g.getLong(field, index));
      case UINT64 -> Long.toUnsignedString(g.getLong(field, index));
      case FLOAT32 -> floatBits(g.getFloat(field, index));
      case FLOAT64 -> floatBits(g.getDouble(field, index));
      case DECIMAL -> decimal(c, g, field, index).toPlainString();
      case DATE -> Integer.toString(g.getInteger(field, index));
      case TIME_MICROS, TIMESTAMP_MICROS, TIMESTAMPTZ_MICROS ->
          Long.toString(g.getLong(field, index));
      case STRING, JSON, BYTES -> md5Hex(g.getBinary(field, index).getBytes());
      case UUID -> uuid(g.getBinary(field, index));
      case LIST -> list(c, g.getGroup(field, index));
    };
  }

  private static BigDecimal decimal(ColumnMapping c, Group g, int field, int index) {
    if (c.precision() <= 9) {
      return BigDecimal.valueOf(g.getInteger(field, index), c.scale());
    }
    if (c.precision() <= 18) {
      return BigDecimal.valueOf(g.getLong(field, index), c.scale());
    }
    return new BigDecimal(new BigInteger(g.getBinary(field, index).getBytes()), c.scale());
  }

  private static String uuid(Binary b) {
    ByteBuffer bb = ByteBuffer.wrap(b.getBytes());
    return new UUID(bb.getLong(), bb.getLong()).toString();
  }

  /** A 3-level list group: {@code list} repeated, each with an optional {@code element}. */
  private static String list(ColumnMapping c, Group list) {
    StringBuilder s = new StringBuilder("[");
    int n = list.getFieldRepetitionCount(0);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        s.append(',');
      }
      Group entry = list.getGroup(0, i);
      s.append(entry.getFieldRepetitionCount(0) == 0 ? "N" : token(c.element(), entry, 0, 0));
    }
    return md5Hex(s.append(']').toString().getBytes(StandardCharsets.US_ASCII));
  }

  /** The token of a float or double (a float is widened to double, exactly). */
  public static String floatBits(double v) {
    double d = v == 0.0 ? 0.0 : v;
    return String.format(Locale.ROOT, "%016x", Double.doubleToLongBits(d));
  }

  static String md5Hex(byte[] bytes) {
    return HEX.formatHex(md5(bytes));
  }

  /** One digest per thread, reused for every value and row (digest() resets it). */
  private static final ThreadLocal<MessageDigest> MD5 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  private static byte[] md5(byte[] bytes) {
    return MD5.get().digest(bytes);
  }
}
