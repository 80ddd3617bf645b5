package io.rivet.core.schema;

/** The logical type a column is written as; each maps to one Parquet physical type + annotation. */
public enum ColumnKind {
  BOOLEAN,
  INT16,
  INT32,
  INT64,
  /** Unsigned 64-bit (MySQL bigint unsigned): Parquet INT64 annotated INT(64, unsigned). */
  UINT64,
  FLOAT32,
  FLOAT64,
  DECIMAL,
  DATE,
  TIME_MICROS,
  /** Timestamp without time zone: wall-clock value, not adjusted to UTC. */
  TIMESTAMP_MICROS,
  /** Timestamp with time zone: an instant, stored UTC-adjusted. */
  TIMESTAMPTZ_MICROS,
  STRING,
  JSON,
  BYTES,
  UUID,
  LIST
}
