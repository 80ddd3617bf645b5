package io.rivet.core.read;

import java.math.BigDecimal;

/**
 * Where the values of one row go, column by column (0-based), exactly as the column's reader
 * decided them: the writers implement it and only encode. A value arrives already checked against
 * the column's written type (a decimal at the column's scale and within its precision, a timestamp
 * in microseconds, never ±infinity), so Parquet and CSV write the same value. Every column receives
 * exactly one call per row ({@link #writeNull} included), or, for a list, {@link #startList}, one
 * call per element, {@link #endList}.
 */
public interface ValueSink {
  /** SQL NULL. */
  void writeNull(int column);

  /** An INT16 or INT32 column's value. */
  void writeInt(int column, int value);

  /** An INT64 column's value, or a UINT64 column's value as its unsigned bits. */
  void writeLong(int column, long value);

  void writeFloat(int column, float value);

  void writeDouble(int column, double value);

  void writeBoolean(int column, boolean value);

  /** A decimal of precision 18 or less as its unscaled value at the column's scale. */
  void writeDecimal(int column, long unscaled);

  /** A decimal at exactly the column's scale, within its precision. */
  void writeDecimal(int column, BigDecimal scaled);

  /** Days since 1970-01-01. */
  void writeDate(int column, int epochDay);

  /** Microseconds after midnight; 86,400,000,000 is 24:00. */
  void writeTime(int column, long micros);

  /** Microseconds since 1970-01-01T00:00 (UTC for instants, wall-clock for naive timestamps). */
  void writeTimestamp(int column, long micros);

  /** Text or JSON as a string. */
  void writeText(int column, String value);

  /**
   * Text or JSON as its UTF-8 bytes, or a binary value: {@code length} bytes at {@code offset}. The
   * array may be reused by the reader once the call returns: a sink that keeps bytes copies them.
   */
  void writeBytes(int column, byte[] bytes, int offset, int length);

  /**
   * A UUID: 16 bytes at {@code offset}, most significant first (the array may be reused after the
   * call).
   */
  void writeUuid(int column, byte[] bytes, int offset);

  /**
   * A MySQL zero date ({@code 0000-00-00}): written as NULL by policy, and counted for the run's
   * warning.
   */
  void writeZeroDate(int column);

  /**
   * Starts a list value; its elements follow as value calls for the same column, then {@link
   * #endList}.
   */
  void startList(int column);

  void endList(int column);

  /** {@code _rivet_row_hash} of the row, after its columns (see {@link RowHash}). */
  void writeRowHash(long hash);
}
