package io.rivet.core.config;

import io.rivet.core.schema.TypeOverride;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and validates one entry of {@code exports[]}. */
final class ExportParser {
  static final Set<String> KEYS = Set.of(
      "name", "query", "query_file", "table", "mode", "cursor_column", "cursor_fallback_column",
      "incremental_cursor_mode", "chunk_column", "chunk_by_key", "chunk_size", "chunk_size_memory_mb", "chunk_count",
      "chunk_by_days", "chunk_dense", "parallel", "chunk_checkpoint", "chunk_max_attempts", "time_column",
      "time_column_type", "days_window", "cdc", "partition_by", "partition_granularity", "format", "compression",
      "compression_level", "compression_profile", "parquet", "destination", "verify", "skip_empty", "max_file_size",
      "meta_columns", "quality", "tuning", "columns", "target", "on_schema_drift", "shape_drift_warn_factor",
      "source_group", "reconcile_required", "wave", "parallel_safe", "incremental");
  /** Keys parsed today whose behaviour later work implements; a run refuses them, naming each. */
  private static final List<String> NOT_YET = List.of(
      "cdc",
      "verify", "target", "source_group", "reconcile_required", "wave", "parallel_safe");
  private static final Set<String> QUALITY_KEYS =
      Set.of("row_count_min", "row_count_max", "null_ratio_max", "unique_columns", "unique_max_entries");
  private static final Set<String> DEST_KEYS = Set.of(
      "type", "path", "bucket", "prefix", "region", "endpoint", "access_key_env", "secret_key_env",
      "session_token_env", "aws_profile", "allow_anonymous", "credentials_file", "account_name", "account_key_env",
      "sas_token_env", "container");
  private static final Set<String> META_KEYS = Set.of("exported_at", "row_hash");
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

  private final YamlObject node;
  private final Path configDir;
  private final TuningOverlay sourceTuning;
  private final TuningConfig.Profile baseProfile;
  private final List<String> notSupported = new ArrayList<>();

  ExportParser(YamlObject node, Path configDir, TuningOverlay sourceTuning, TuningConfig.Profile baseProfile) {
    this.node = node;
    this.configDir = configDir;
    this.sourceTuning = sourceTuning;
    this.baseProfile = baseProfile;
  }

  ExportConfig parse() {
    node.rejectUnknown(KEYS);
    String name = node.requiredString("name", "give the export a unique name, e.g. name: orders");
    if (name != null && (name.contains("/") || name.contains("\\") || name.contains("..") || name.startsWith(".")
        || name.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f) || name.length() > 200)) {
      node.problem("name", "'" + printable(name) + "' is not filename-safe; use letters, digits, '_' and '-' (no '/', '\\',"
          + " '..', control characters such as NUL, or a leading '.'; at most 200 characters)");
    }
    for (String k : NOT_YET) {
      if (node.has(k)) {
        notSupported.add(node.pathOf(k));
      }
    }
    String query = null;
    ExportConfig.TableRef table = null;
    int sources = (node.has("query") ? 1 : 0) + (node.has("query_file") ? 1 : 0) + (node.has("table") ? 1 : 0);
    if (sources != 1) {
      node.problem(null, sources == 0
          ? "no rows to export; set exactly one of table, query, query_file"
          : "set exactly one of table, query, query_file; remove the others");
    } else if (node.has("query")) {
      query = stripSemicolon(node.string("query"));
    } else if (node.has("query_file")) {
      query = stripSemicolon(readQueryFile(node.string("query_file")));
    } else {
      table = parseTable(node.string("table"));
    }

    ExportMode mode = node.enumValue("mode", ExportMode.class, ExportMode.FULL);
    if (mode == ExportMode.CDC) {
      notSupported.add(node.pathOf("mode") + ": cdc");
    }
    String chunkColumn = node.string("chunk_column");
    int chunkSize = orDefault(node.intValue("chunk_size", 1, Integer.MAX_VALUE), 100_000);
    Integer chunkCount = node.intValue("chunk_count", 1, 1_000_000);
    Integer chunkMemory = node.intValue("chunk_size_memory_mb", 1, 1_048_576);
    int parallel = orDefault(node.intValue("parallel", 1, 1024), 1);
    boolean checkpoint = Boolean.TRUE.equals(node.bool("chunk_checkpoint"));
    if (mode == ExportMode.CHUNKED && chunkColumn == null && table == null && !node.has("chunk_by_key")
        && !node.has("chunk_dense") && !node.has("chunk_by_days")) {
      node.problem("chunk_column", "mode chunked needs chunk_column (an integer column) or a table: export whose primary key is one integer column");
    }
    if (mode != ExportMode.CHUNKED) {
      for (String k : List.of("chunk_column", "chunk_count", "chunk_by_key", "chunk_dense", "chunk_by_days",
          "chunk_size_memory_mb")) {
        if (node.has(k)) {
          node.problem(k, "is only valid with mode: chunked; set mode: chunked or remove it");
        }
      }
    }
    String chunkByKey = node.string("chunk_by_key");
    boolean dense = Boolean.TRUE.equals(node.bool("chunk_dense"));
    Integer byDays = node.intValue("chunk_by_days", 1, 36_600);
    if (chunkCount != null && (dense || node.has("chunk_by_days"))) {
      node.problem("chunk_count", "cannot be combined with chunk_dense or chunk_by_days; keep one of them");
    }
    if (dense && node.has("chunk_by_days")) {
      node.problem("chunk_by_days", "cannot be combined with chunk_dense; keep one of them");
    }
    if (chunkByKey != null && (chunkColumn != null || chunkCount != null || dense || node.has("chunk_by_days"))) {
      node.problem("chunk_by_key", "cannot be combined with chunk_column, chunk_count, chunk_dense or chunk_by_days; keep one of them");
    }
    if (chunkByKey != null && table == null && sources == 1) {
      node.problem("chunk_by_key", "needs a table: export (the key must be proven unique and NOT NULL); replace query with table");
    }
    if ((dense || node.has("chunk_by_days")) && chunkColumn == null && table == null && sources == 1) {
      node.problem("chunk_column", (dense ? "chunk_dense" : "chunk_by_days") + " needs chunk_column (the column to order or window by)");
    }

    TuningOverlay exportTuning = TuningOverlay.parse(node.object("tuning"), notSupported);
    TuningConfig tuning = exportTuning.over(sourceTuning).resolve(baseProfile);
    Integer maxAttempts = node.intValue("chunk_max_attempts", 1, 1000);

    FileFormat format = null;
    if (!node.has("format")) {
      node.problem("format", "is required; set format: parquet");
    } else {
      format = node.enumValue("format", FileFormat.class, null);
    }
    Compression compression = node.enumValue("compression", Compression.class,
        format == FileFormat.CSV ? Compression.NONE : Compression.ZSTD);
    if (format == FileFormat.CSV && compression != Compression.NONE) {
      node.problem("compression", "CSV is written uncompressed; remove compression (or set none), or use format: parquet");
    }
    Integer level = node.intValue("compression_level", 0, 22);
    String profile = node.string("compression_profile");
    if (profile != null) {
      if (format == FileFormat.CSV) {
        node.problem("compression_profile", "CSV is written uncompressed; remove compression_profile");
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
        default -> node.problem("compression_profile", "unknown value '" + profile + "'; allowed: none, fast, balanced, compact");
      }
    }
    if (level != null) {
      if (compression == Compression.ZSTD && level < 1) {
        node.problem("compression_level", "zstd levels are 1..22");
      } else if (compression == Compression.GZIP && level > 10) {
        node.problem("compression_level", "gzip levels are 0..10");
      } else if (compression != Compression.ZSTD && compression != Compression.GZIP) {
        node.problem("compression_level", "only zstd and gzip take a level; remove it or change compression");
      }
    }
    if (node.has("chunk_size_memory_mb")) {
      if (table == null) {
        node.problem("chunk_size_memory_mb", "needs a table: export (chunks are sized from the table's average row size in"
            + " the catalog); replace query with table, or size chunks with chunk_size");
      }
      if (node.has("chunk_size")) {
        node.problem("chunk_size_memory_mb", "and chunk_size both size the chunks; keep one of them");
      }
      if (chunkCount != null || node.has("chunk_by_days")) {
        node.problem("chunk_size_memory_mb", "cannot be combined with " + (chunkCount != null ? "chunk_count" : "chunk_by_days")
            + ", which decides the chunks itself; keep one of them");
      }
    }
    return new ExportConfig(name, query, table, mode, chunkColumn, chunkByKey, dense, byDays, chunkSize, chunkCount,
        chunkMemory, parallel, checkpoint,
        maxAttempts != null ? maxAttempts : tuning.maxRetries() + 1, format, compression, level,
        skipEmpty(), metaColumns(), columns(), destination(), tuning, cursor(mode), timeWindow(mode), quality(),
        node.enumValue("on_schema_drift", SchemaDriftPolicy.class, SchemaDriftPolicy.WARN), maxFileSize(), partition(mode),
        shapeFactor(), parquetBlock(format), notSupported);
  }

  private CursorConfig cursor(ExportMode mode) {
    String column = node.string("cursor_column");
    String fallback = node.string("cursor_fallback_column");
    CursorConfig.Mode cm = node.enumValue("incremental_cursor_mode", CursorConfig.Mode.class, CursorConfig.Mode.SINGLE_COLUMN);
    YamlObject inc = node.object("incremental");
    String lag = null;
    if (inc != null) {
      inc.rejectUnknown(java.util.Set.of("lag"));
      lag = inc.string("lag");
      if (lag != null && !lag.trim().matches("\\d+\\s*(s|m|h|d)?")) {
        inc.problem("lag", "'" + lag + "' is not a lag; write a number (integer cursors) or a duration like 30s, 15m, 2h, 1d");
      }
    }
    if (mode != ExportMode.INCREMENTAL) {
      for (String k : List.of("cursor_column", "cursor_fallback_column", "incremental_cursor_mode", "incremental")) {
        if (node.has(k)) {
          node.problem(k, "is only valid with mode: incremental; set mode: incremental or remove it");
        }
      }
      return null;
    }
    if (column == null) {
      node.problem("cursor_column", "mode incremental needs cursor_column (the column that grows with every change)");
    }
    if (cm == CursorConfig.Mode.COALESCE && fallback == null) {
      node.problem("cursor_fallback_column", "incremental_cursor_mode: coalesce needs cursor_fallback_column");
    }
    if (cm == CursorConfig.Mode.SINGLE_COLUMN && fallback != null) {
      node.problem("cursor_fallback_column", "is only used with incremental_cursor_mode: coalesce; set it or remove this key");
    }
    return new CursorConfig(column, fallback, cm, lag == null ? null : lag.trim());
  }

  private TimeWindowConfig timeWindow(ExportMode mode) {
    if (mode != ExportMode.TIME_WINDOW) {
      for (String k : List.of("time_column", "time_column_type", "days_window")) {
        if (node.has(k)) {
          node.problem(k, "is only valid with mode: time_window; set mode: time_window or remove it");
        }
      }
      return null;
    }
    String column = node.requiredString("time_column", "mode time_window needs time_column");
    String type = node.string("time_column_type");
    if (type != null && !type.equals("timestamp") && !type.equals("unix")) {
      node.problem("time_column_type", "unknown value '" + type + "'; allowed: timestamp, unix");
    }
    Integer days = node.intValue("days_window", 1, 36_600);
    if (days == null && !node.has("days_window")) {
      node.problem("days_window", "mode time_window needs days_window (how many days back to export)");
    }
    return new TimeWindowConfig(column, "unix".equals(type), days == null ? 1 : days);
  }

  private QualityConfig quality() {
    YamlObject q = node.object("quality");
    if (q == null) {
      return QualityConfig.NONE;
    }
    q.rejectUnknown(QUALITY_KEYS);
    java.util.Map<String, Double> ratios = new java.util.LinkedHashMap<>();
    YamlObject nr = q.object("null_ratio_max");
    q.stringMap("null_ratio_max").forEach((col, v) -> {
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
    return new QualityConfig(min, max, ratios, q.stringList("unique_columns"), q.longValue("unique_max_entries"));
  }

  private PartitionConfig partition(ExportMode mode) {
    String column = node.string("partition_by");
    PartitionConfig.Granularity g =
        node.enumValue("partition_granularity", PartitionConfig.Granularity.class, PartitionConfig.Granularity.DAY);
    if (column == null) {
      if (node.has("partition_granularity")) {
        node.problem("partition_granularity", "is only used with partition_by; set partition_by or remove it");
      }
      return null;
    }
    if (mode == ExportMode.TIME_WINDOW) {
      node.problem("partition_by", "cannot be combined with mode: time_window; remove one of them");
    }
    if (mode == ExportMode.INCREMENTAL) {
      notSupported.add(node.pathOf("partition_by") + " with mode: incremental");
    }
    if (node.has("chunk_by_key")) {
      node.problem("partition_by", "cannot be combined with chunk_by_key; remove one of them");
    }
    YamlObject d = node.object("destination");
    String path = d == null ? null : (d.string("path") != null ? d.string("path") : d.string("prefix"));
    if (path != null && !path.contains("{partition}")) {
      node.problem("destination", "partition_by needs a {partition} placeholder in the destination path, e.g."
          + " path: \"./out/{export}/{partition}\"");
    }
    return new PartitionConfig(column, g);
  }

  private ParquetConfig parquetBlock(FileFormat format) {
    YamlObject p = node.object("parquet");
    if (p == null) {
      return null;
    }
    if (format == FileFormat.CSV) {
      node.problem("parquet", "only applies to format: parquet; remove it");
    }
    p.rejectUnknown(Set.of("row_group_strategy", "row_group_rows", "target_row_group_mb", "max_row_group_mb"));
    ParquetConfig.Strategy st = p.enumValue("row_group_strategy", ParquetConfig.Strategy.class, ParquetConfig.Strategy.AUTO);
    Long rows = p.longValue("row_group_rows");
    if (st == ParquetConfig.Strategy.FIXED_ROWS && rows == null) {
      p.problem("row_group_rows", "row_group_strategy: fixed_rows needs row_group_rows");
    }
    Integer target = p.intValue("target_row_group_mb", 1, 4096);
    return new ParquetConfig(st, rows, target == null ? 128 : target, p.intValue("max_row_group_mb", 1, 4096));
  }

  private double shapeFactor() {
    Double f = node.doubleValue("shape_drift_warn_factor");
    if (f != null && f != 0 && f < 1) {
      node.problem("shape_drift_warn_factor", "must be 0 (off) or at least 1, found " + f);
    }
    return f == null ? 2.0 : f;
  }

  private long maxFileSize() {
    String s = node.string("max_file_size");
    if (s == null) {
      return 0;
    }
    long bytes = ByteSize.parse(s);
    if (bytes < 1024 * 1024) {
      node.problem("max_file_size", "'" + s + "' is not a size of at least 1MB; write e.g. 256MB or 1GB");
      return 0;
    }
    return bytes;
  }

  private boolean skipEmpty() {
    return Boolean.TRUE.equals(node.bool("skip_empty"));
  }

  private MetaColumns metaColumns() {
    YamlObject m = node.object("meta_columns");
    if (m == null) {
      return MetaColumns.NONE;
    }
    m.rejectUnknown(META_KEYS);
    boolean rowHash = Boolean.TRUE.equals(m.bool("row_hash"));
    return new MetaColumns(Boolean.TRUE.equals(m.bool("exported_at")), rowHash);
  }

  private Map<String, String> columns() {
    Map<String, String> cols = node.stringMap("columns");
    Map<String, String> out = new LinkedHashMap<>();
    YamlObject c = node.object("columns");
    cols.forEach((k, v) -> {
      try {
        TypeOverride.parse(v);
        out.put(k, v);
      } catch (IllegalArgumentException e) {
        c.problem(k, e.getMessage());
      }
    });
    return out;
  }

  private DestinationConfig destination() {
    YamlObject d = node.object("destination");
    if (d == null) {
      if (!node.has("destination")) {
        node.problem("destination", "is required; e.g. destination: {type: local, path: \"./out/{export}\"}");
      }
      return null;
    }
    d.rejectUnknown(DEST_KEYS);
    DestinationConfig.Type type = d.has("type")
        ? d.enumValue("type", DestinationConfig.Type.class, null)
        : null;
    if (!d.has("type")) {
      d.problem("type", "is required; one of local, s3, gcs, azure, stdout");
    }
    String path = d.string("path");
    if (type == DestinationConfig.Type.LOCAL) {
      if (path == null || path.isBlank()) {
        d.problem("path", "is required for a local destination; e.g. path: \"./out/{export}\"");
      } else if (path.replace('\\', '/').matches("(^|.*/)\\.\\.(/.*|$)")) {
        d.problem("path", "'" + path + "' contains '..'; give a path without parent references");
      }
    } else if (type == DestinationConfig.Type.S3) {
      s3(d);
    } else if (type == DestinationConfig.Type.AZURE) {
      azure(d);
    } else if (type == DestinationConfig.Type.GCS) {
      gcs(d);
    } else if (type == DestinationConfig.Type.STDOUT) {
      for (String k : List.of("chunk_column", "chunk_by_key", "chunk_dense", "chunk_by_days", "max_file_size", "partition_by")) {
        if (node.has(k)) {
          node.problem(k, "cannot be used with destination stdout, which is one stream; remove it or write to files");
        }
      }
      if ("chunked".equals(node.string("mode"))) {
        node.problem("mode", "chunked cannot be used with destination stdout, which is one stream; use mode: full");
      }
    } else if (type != null) {
      notSupported.add(d.pathOf("type") + ": " + type.name().toLowerCase());
    }
    String bucket = d.has("container") ? d.string("container") : d.string("bucket");
    String keyEnv = type == DestinationConfig.Type.AZURE ? d.string("account_key_env") : d.string("access_key_env");
    String keyFile = d.string("credentials_file") == null ? null : configDir.resolve(d.string("credentials_file")).toString();
    return new DestinationConfig(type, path, bucket, d.string("prefix"), d.string("region"), d.string("endpoint"), keyEnv,
        d.string("secret_key_env"), d.string("session_token_env"), Boolean.TRUE.equals(d.bool("allow_anonymous")),
        d.string("account_name"), d.string("sas_token_env"), d.string("aws_profile"), keyFile);
  }

  private void s3(YamlObject d) {
    if (!d.has("bucket")) {
      d.problem("bucket", "is required for an s3 destination; e.g. bucket: lake-raw");
    }
    if (!d.has("region")) {
      d.problem("region", "is required for an s3 destination; e.g. region: eu-west-1");
    }
    if (d.has("access_key_env") != d.has("secret_key_env")) {
      d.problem("access_key_env", "S3 needs both access_key_env and secret_key_env, or neither");
    }
    if (d.has("aws_profile") && d.has("access_key_env")) {
      d.problem("aws_profile", "cannot be combined with access_key_env; keep one of them");
    }
    if (Boolean.TRUE.equals(d.bool("allow_anonymous"))) {
      notSupported.add(d.pathOf("allow_anonymous"));
    }
    String host = endpointHost(d, "http://127.0.0.1:9090");
    if (host != null && !isLoopback(host) && !d.has("access_key_env") && !d.has("aws_profile")
        && !Boolean.TRUE.equals(d.bool("allow_anonymous"))) {
      // A custom endpoint with the default credential chain would hand your AWS credentials to that host.
      d.problem("endpoint", "a non-loopback endpoint needs explicit credentials (access_key_env + secret_key_env);"
          + " the default AWS credential chain is never sent to a custom endpoint");
    }
  }

  private void gcs(YamlObject d) {
    if (!d.has("bucket")) {
      d.problem("bucket", "is required for a gcs destination; e.g. bucket: lake-raw");
    }
    boolean anonymous = Boolean.TRUE.equals(d.bool("allow_anonymous"));
    String file = d.string("credentials_file");
    if (anonymous && file != null) {
      d.problem("allow_anonymous", "cannot be combined with credentials_file; keep one of them");
    }
    if (file != null && !Files.isReadable(configDir.resolve(file))) {
      d.problem("credentials_file", "'" + file + "' does not exist or cannot be read; give the service-account JSON key file");
    }
    String host = endpointHost(d, "http://127.0.0.1:4443");
    if (host != null && !isLoopback(host) && file == null && !anonymous) {
      d.problem("endpoint", "a non-loopback endpoint needs credentials_file or allow_anonymous;"
          + " application default credentials are never sent to a custom endpoint");
    }
  }

  private void azure(YamlObject d) {
    if (!d.has("account_name")) {
      d.problem("account_name", "is required for an azure destination; the storage account's name");
    }
    if (!d.has("bucket") && !d.has("container")) {
      d.problem("container", "is required for an azure destination (or bucket, as the original names it)");
    }
    if (d.has("account_key_env") == d.has("sas_token_env")) {
      d.problem("account_key_env", "set exactly one of account_key_env or sas_token_env");
    }
    if (Boolean.TRUE.equals(d.bool("allow_anonymous"))) {
      notSupported.add(d.pathOf("allow_anonymous"));
    }
    endpointHost(d, "http://127.0.0.1:10000/devstoreaccount1");
  }

  /**
   * The host of the destination's {@code endpoint}, or null when there is none; an endpoint that is not a URL is
   * a problem naming {@code example}.
   */
  private static String endpointHost(YamlObject d, String example) {
    String endpoint = d.string("endpoint");
    if (endpoint == null) {
      return null;
    }
    String host;
    try {
      host = java.net.URI.create(endpoint).getHost();
    } catch (IllegalArgumentException e) {
      host = null;
    }
    if (host == null) {
      d.problem("endpoint", "'" + endpoint + "' is not a URL; write e.g. endpoint: " + example);
    }
    return host;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
  }

  private ExportConfig.TableRef parseTable(String t) {
    if (t == null || !TABLE.matcher(t.trim()).matches()) {
      node.problem("table", "'" + t + "' is not a table name; write table: name or table: schema.name (ASCII letters, digits, _)");
      return null;
    }
    String[] parts = t.trim().split("\\.");
    return parts.length == 2 ? new ExportConfig.TableRef(parts[0], parts[1]) : new ExportConfig.TableRef(null, parts[0]);
  }

  private String readQueryFile(String f) {
    if (f == null) {
      return null;
    }
    Path p;
    try {
      p = Path.of(f);
    } catch (java.nio.file.InvalidPathException e) {
      node.problem("query_file", "'" + printable(f) + "' is not a file path; give a relative path inside the config directory");
      return null;
    }
    if (p.isAbsolute() || f.contains("..")) {
      node.problem("query_file", "'" + f + "' must be a relative path inside the config directory, without '..'");
      return null;
    }
    Path file = configDir.resolve(p);
    try {
      // Links are followed before the check: a link inside the directory may not lead out of it.
      Path real = file.toRealPath();
      Path root = configDir.toRealPath();
      if (!real.startsWith(root)) {
        node.problem("query_file", "'" + f + "' leads to " + real + ", outside the config directory " + root
            + " (through a symbolic link); copy the query next to the config instead");
        return null;
      }
      if (Files.size(real) > ConfigLoader.MAX_BYTES) {
        node.problem("query_file", "'" + f + "' is " + Files.size(real) + " bytes; a query file may hold at most "
            + ConfigLoader.MAX_BYTES + " bytes");
        return null;
      }
      return Files.readString(real).trim();
    } catch (IOException e) {
      node.problem("query_file", "cannot read '" + file + "'; check the file exists next to the config");
      return null;
    }
  }

  /** A value as a message can show it: control characters (NUL…) as {@code \\uXXXX}. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(ch -> {
      if (ch < 0x20 || ch == 0x7f) {
        b.append(String.format("\\u%04x", ch));
      } else {
        b.append((char) ch);
      }
    });
    return b.toString();
  }

  /**
   * The query without trailing semicolons; a query whose last line holds a {@code --} (or MySQL {@code #}) comment keeps a final line
   * break, so the statements that wrap it ({@code (query) AS _rivet}, {@code COPY (query) TO …}) are not commented out.
   */
  private static String stripSemicolon(String q) {
    if (q == null) {
      return null;
    }
    String t = q.strip();
    while (t.endsWith(";")) {
      t = t.substring(0, t.length() - 1).strip();
    }
    String lastLine = t.substring(t.lastIndexOf('\n') + 1);
    return lastLine.contains("--") || lastLine.contains("#") ? t + "\n" : t;
  }

  private static int orDefault(Integer v, int d) {
    return v == null ? d : v;
  }
}
