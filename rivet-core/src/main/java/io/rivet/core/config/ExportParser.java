package io.rivet.core.config;

import io.rivet.core.schema.TypeOverride;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads and validates one entry of {@code exports[]}. */
final class ExportParser {
  static final Set<String> KEYS =
      Set.of(
          "name",
          "query",
          "query_file",
          "table",
          "mode",
          "cursor_column",
          "cursor_fallback_column",
          "incremental_cursor_mode",
          "chunk_column",
          "chunk_by_key",
          "chunk_size",
          "chunk_size_memory_mb",
          "chunk_count",
          "chunk_by_days",
          "chunk_dense",
          "parallel",
          "chunk_checkpoint",
          "chunk_max_attempts",
          "time_column",
          "time_column_type",
          "days_window",
          "cdc",
          "partition_by",
          "partition_granularity",
          "format",
          "compression",
          "compression_level",
          "compression_profile",
          "parquet",
          "destination",
          "verify",
          "skip_empty",
          "max_file_size",
          "meta_columns",
          "quality",
          "tuning",
          "columns",
          "target",
          "on_schema_drift",
          "shape_drift_warn_factor",
          "source_group",
          "reconcile_required",
          "wave",
          "parallel_safe",
          "incremental");

  /** Keys parsed today whose behaviour later work implements; a run refuses them, naming each. */
  private static final List<String> NOT_YET = List.of("cdc");

  static final Set<String> QUALITY_KEYS =
      Set.of(
          "row_count_min",
          "row_count_max",
          "null_ratio_max",
          "unique_columns",
          "unique_max_entries");

  private final YamlObject node;
  private final Path configDir;
  private final TuningOverlay sourceTuning;
  private final TuningConfig.Profile baseProfile;
  private final List<String> notSupported = new ArrayList<>();

  ExportParser(
      YamlObject node,
      Path configDir,
      TuningOverlay sourceTuning,
      TuningConfig.Profile baseProfile) {
    this.node = node;
    this.configDir = configDir;
    this.sourceTuning = sourceTuning;
    this.baseProfile = baseProfile;
  }

  ExportConfig parse() {
    node.rejectUnknown(KEYS);
    String name = name();
    for (String k : NOT_YET) {
      if (node.has(k)) {
        notSupported.add(node.pathOf(k));
      }
    }
    RowsParser.Rows rows = new RowsParser(node, configDir).rows();
    String query = rows.query();
    ExportConfig.TableRef table = rows.table();
    int sources = rows.sources();

    ExportMode mode = node.enumValue("mode", ExportMode.class, ExportMode.FULL);
    if (mode == ExportMode.CDC) {
      notSupported.add(node.pathOf("mode") + ": cdc");
    }
    ChunkingParser.Chunking ch = new ChunkingParser(node).chunking(mode, table, sources);
    TuningOverlay exportTuning = TuningOverlay.parse(node.object("tuning"), notSupported);
    TuningConfig tuning = exportTuning.over(sourceTuning).resolve(baseProfile);
    Integer maxAttempts = node.intValue("chunk_max_attempts", 1, 1000);
    EncodingParser encoding = new EncodingParser(node);
    EncodingParser.Encoding enc = encoding.encoding();
    ModeParser modes = new ModeParser(node, notSupported);
    return new ExportConfig(
        name,
        query,
        table,
        mode,
        ch.chunkColumn(),
        ch.chunkByKey(),
        ch.dense(),
        ch.byDays(),
        ch.chunkSize(),
        ch.chunkCount(),
        ch.chunkMemory(),
        ch.parallel(),
        ch.checkpoint(),
        maxAttempts != null ? maxAttempts : tuning.maxRetries() + 1,
        enc.format(),
        enc.compression(),
        enc.level(),
        skipEmpty(),
        encoding.metaColumns(),
        columns(),
        new DestinationParser(node, configDir, notSupported).parse(),
        tuning,
        modes.cursor(mode),
        modes.timeWindow(mode),
        quality(),
        node.enumValue("on_schema_drift", SchemaDriftPolicy.class, SchemaDriftPolicy.WARN),
        encoding.maxFileSize(),
        modes.partition(mode),
        shapeFactor(),
        encoding.parquetBlock(enc.format()),
        notSupported,
        Boolean.TRUE.equals(node.bool("reconcile_required")),
        node.enumValue("verify", VerifyMode.class, VerifyMode.SIZE),
        target(),
        new ApplyHints(
            node.intValue("wave", 1, 1000),
            node.bool("parallel_safe"),
            node.string("source_group")));
  }

  /** The export's name, which names its files and directories: it must be filename-safe. */
  private String name() {
    String name = node.requiredString("name", "give the export a unique name, e.g. name: orders");
    if (name != null
        && (name.contains("/")
            || name.contains("\\")
            || name.contains("..")
            || name.startsWith(".")
            || name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)
            || name.length() > 200)) {
      node.problem(
          "name",
          "'"
              + RowsParser.printable(name)
              + "' is not filename-safe; use letters, digits, '_' and '-' (no '/', '\\',"
              + " '..', control characters such as NUL, or a leading '.'; at most 200 characters)");
    }
    return name;
  }

  private QualityConfig quality() {
    YamlObject q = node.object("quality");
    if (q == null) {
      return QualityConfig.NONE;
    }
    q.rejectUnknown(QUALITY_KEYS);
    Map<String, Double> ratios = new LinkedHashMap<>();
    YamlObject nr = q.object("null_ratio_max");
    q.stringMap("null_ratio_max")
        .forEach(
            (col, v) -> {
              try {
                double d = Double.parseDouble(v);
                if (d < 0 || d > 1) {
                  nr.problem(col, "must be a ratio between 0 and 1, found " + v);
                }
                ratios.put(col, d);
              } catch (NumberFormatException e) {
                nr.problem(col, "must be a ratio between 0 and 1, found '" + v + "'");
              }
            });
    Long min = q.longValue("row_count_min");
    Long max = q.longValue("row_count_max");
    if (min != null && max != null && min > max) {
      q.problem("row_count_min", "is above row_count_max; swap them");
    }
    return new QualityConfig(
        min, max, ratios, q.stringList("unique_columns"), q.longValue("unique_max_entries"));
  }

  /** {@code target:}, the warehouse {@code rivet check --type-report} reports for. */
  private String target() {
    String t = node.string("target");
    if (t != null
        && !List.of("bigquery", "bq", "duckdb", "snowflake", "sf", "clickhouse", "ch")
            .contains(t.toLowerCase(Locale.ROOT))) {
      node.problem(
          "target",
          "unknown target '"
              + t
              + "'; use bigquery (bq), duckdb, snowflake (sf) or clickhouse (ch)");
    }
    return t;
  }

  private double shapeFactor() {
    Double f = node.doubleValue("shape_drift_warn_factor");
    if (f != null && f != 0 && f < 1) {
      node.problem("shape_drift_warn_factor", "must be 0 (off) or at least 1, found " + f);
    }
    return f == null ? 2.0 : f;
  }

  private boolean skipEmpty() {
    return Boolean.TRUE.equals(node.bool("skip_empty"));
  }

  private Map<String, String> columns() {
    Map<String, String> cols = node.stringMap("columns");
    Map<String, String> out = new LinkedHashMap<>();
    YamlObject c = node.object("columns");
    cols.forEach(
        (k, v) -> {
          try {
            TypeOverride.parse(v);
            out.put(k, v);
          } catch (IllegalArgumentException e) {
            c.problem(k, e.getMessage());
          }
        });
    return out;
  }
}
