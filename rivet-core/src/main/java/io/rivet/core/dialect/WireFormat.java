package io.rivet.core.dialect;

/**
 * How the writer reads a column's values: through the driver's JDBC getters (always right), or straight from the
 * bytes the server sent, where the dialect knows their layout and the driver hands them out unconverted. The
 * direct forms skip the driver's per-value objects (OffsetDateTime, BigDecimal, String) on the hot path.
 */
public enum WireFormat {
  /** The JDBC getters. */
  DRIVER,
  /** PostgreSQL binary timestamp/timestamptz: int64 microseconds since 2000-01-01 (UTC for timestamptz). */
  PG_BINARY_TIMESTAMP,
  /** PostgreSQL binary date: int32 days since 2000-01-01. */
  PG_BINARY_DATE,
  /** PostgreSQL binary numeric: base-10000 digits with weight, sign and display scale. */
  PG_BINARY_NUMERIC,
  /** Text sent as UTF-8 bytes, written as they are. */
  UTF8_BYTES
}
