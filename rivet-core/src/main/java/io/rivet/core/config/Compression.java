package io.rivet.core.config;

/** Parquet codecs; {@code lz4} is written as Parquet's LZ4_RAW, the interoperable LZ4 codec. */
public enum Compression {
  ZSTD,
  SNAPPY,
  GZIP,
  LZ4,
  NONE
}
