package io.rivet.core.config;

import java.util.Set;

/**
 * Reads how parts are encoded: {@code format}, {@code compression} (or a {@code
 * compression_profile}) and its level, the {@code parquet:} block, {@code max_file_size} and {@code
 * meta_columns}.
 */
final class EncodingParser {
  static final Set<String> META_KEYS = Set.of("exported_at", "row_hash");
  static final Set<String> PARQUET_KEYS =
      Set.of("row_group_strategy", "row_group_rows", "target_row_group_mb", "max_row_group_mb");

  /** The format and its compression. */
  record Encoding(FileFormat format, Compression compression, Integer level) {}

  private final YamlObject node;

  EncodingParser(YamlObject node) {
    this.node = node;
  }

  Encoding encoding() {
    FileFormat format = null;
    if (!node.has("format")) {
      node.problem("format", "is required; set format: parquet");
    } else {
      format = node.enumValue("format", FileFormat.class, null);
    }
    Compression compression =
        node.enumValue(
            "compression",
            Compression.class,
            format == FileFormat.CSV ? Compression.NONE : Compression.ZSTD);
    if (format == FileFormat.CSV && compression != Compression.NONE) {
      node.problem(
          "compression",
          "CSV is written uncompressed; remove compression (or set none), or use format: parquet");
    }
    Integer level = node.intValue("compression_level", 0, 22);
    String profile = node.string("compression_profile");
    if (profile != null) {
      if (format == FileFormat.CSV) {
        node.problem(
            "compression_profile", "CSV is written uncompressed; remove compression_profile");
      }
      switch (profile) {
        case "none" -> {
          compression = Compression.NONE;
          level = null;
        }
        case "fast" -> {
          compression = Compression.SNAPPY;
          level = null;
        }
        case "balanced" -> {
          compression = Compression.ZSTD;
          level = 3;
        }
        case "compact" -> {
          compression = Compression.ZSTD;
          level = 9;
        }
        default ->
            node.problem(
                "compression_profile",
                "unknown value '" + profile + "'; allowed: none, fast, balanced, compact");
      }
    }
    if (level != null) {
      if (compression == Compression.ZSTD && level < 1) {
        node.problem("compression_level", "zstd levels are 1..22");
      } else if (compression == Compression.GZIP && level > 10) {
        node.problem("compression_level", "gzip levels are 0..10");
      } else if (compression != Compression.ZSTD && compression != Compression.GZIP) {
        node.problem(
            "compression_level",
            "only zstd and gzip take a level; remove it or change compression");
      }
    }
    return new Encoding(format, compression, level);
  }

  ParquetConfig parquetBlock(FileFormat format) {
    YamlObject p = node.object("parquet");
    if (p == null) {
      return null;
    }
    if (format == FileFormat.CSV) {
      node.problem("parquet", "only applies to format: parquet; remove it");
    }
    p.rejectUnknown(PARQUET_KEYS);
    ParquetConfig.Strategy st =
        p.enumValue(
            "row_group_strategy", ParquetConfig.Strategy.class, ParquetConfig.Strategy.AUTO);
    Long rows = p.longValue("row_group_rows");
    if (st == ParquetConfig.Strategy.FIXED_ROWS && rows == null) {
      p.problem("row_group_rows", "row_group_strategy: fixed_rows needs row_group_rows");
    }
    Integer target = p.intValue("target_row_group_mb", 1, 4096);
    return new ParquetConfig(
        st, rows, target == null ? 128 : target, p.intValue("max_row_group_mb", 1, 4096));
  }

  long maxFileSize() {
    String s = node.string("max_file_size");
    if (s == null) {
      return 0;
    }
    long bytes = ByteSize.parse(s);
    if (bytes < 1024 * 1024) {
      node.problem(
          "max_file_size", "'" + s + "' is not a size of at least 1MB; write e.g. 256MB or 1GB");
      return 0;
    }
    return bytes;
  }

  MetaColumns metaColumns() {
    YamlObject m = node.object("meta_columns");
    if (m == null) {
      return MetaColumns.NONE;
    }
    m.rejectUnknown(META_KEYS);
    boolean rowHash = Boolean.TRUE.equals(m.bool("row_hash"));
    return new MetaColumns(Boolean.TRUE.equals(m.bool("exported_at")), rowHash);
  }
}
