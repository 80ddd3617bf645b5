package io.rivet.core.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code exports[]}, validated. {@code query} is the resolved SQL (from {@code query}
 * or {@code query_file}); for {@code table:} exports it is null and {@code table} is set.
 *
 * @param notSupportedYet YAML paths of keys this version parses but cannot run yet; a run of this
 *     export fails listing them, so no key is ever silently ignored
 * @param reconcileRequired {@code reconcile_required}: every successful run of this export is
 *     reconciled with its source (as {@code rivet run --reconcile} does for all)
 * @param verify {@code verify:}, the default depth of {@code rivet validate} for this export
 * @param target {@code target:}, the warehouse {@code rivet check --type-report} reports for (null:
 *     none)
 * @param apply {@code wave}, {@code parallel_safe} and {@code source_group}: how {@code rivet
 *     apply} schedules the export
 */
public record ExportConfig(
    String name,
    String query,
    TableRef table,
    ExportMode mode,
    String chunkColumn,
    String chunkByKey,
    boolean chunkDense,
    Integer chunkByDays,
    int chunkSize,
    Integer chunkCount,
    Integer chunkSizeMemoryMb,
    int parallel,
    boolean chunkCheckpoint,
    int chunkMaxAttempts,
    FileFormat format,
    Compression compression,
    Integer compressionLevel,
    boolean skipEmpty,
    MetaColumns metaColumns,
    Map<String, String> columns,
    DestinationConfig destination,
    TuningConfig tuning,
    CursorConfig cursor,
    TimeWindowConfig timeWindow,
    QualityConfig quality,
    SchemaDriftPolicy onSchemaDrift,
    long maxFileSizeBytes,
    PartitionConfig partition,
    double shapeDriftWarnFactor,
    ParquetConfig parquet,
    List<String> notSupportedYet,
    boolean reconcileRequired,
    VerifyMode verify,
    String target,
    ApplyHints apply)
    implements Serializable {

  public ExportConfig {
    columns = Map.copyOf(columns);
    notSupportedYet = List.copyOf(notSupportedYet);
  }

  /**
   * A child of a partitioned export: its own name (state key) and the destination with {@code
   * {partition}} filled.
   */
  public ExportConfig child(String childName, String partitionPath) {
    DestinationConfig d = destination.withPartition(partitionPath);
    return new ExportConfig(
        childName,
        query,
        table,
        mode,
        chunkColumn,
        chunkByKey,
        chunkDense,
        chunkByDays,
        chunkSize,
        chunkCount,
        chunkSizeMemoryMb,
        parallel,
        chunkCheckpoint,
        chunkMaxAttempts,
        format,
        compression,
        compressionLevel,
        skipEmpty,
        metaColumns,
        columns,
        d,
        tuning,
        cursor,
        timeWindow,
        quality,
        onSchemaDrift,
        maxFileSizeBytes,
        partition,
        shapeDriftWarnFactor,
        parquet,
        notSupportedYet,
        reconcileRequired,
        verify,
        target,
        apply);
  }

  /**
   * This export with {@code chunk_size} resolved to {@code rows} (from {@code chunk_size_memory_mb}
   * at planning).
   */
  public ExportConfig withChunkSize(int rows) {
    return new ExportConfig(
        name,
        query,
        table,
        mode,
        chunkColumn,
        chunkByKey,
        chunkDense,
        chunkByDays,
        rows,
        chunkCount,
        chunkSizeMemoryMb,
        parallel,
        chunkCheckpoint,
        chunkMaxAttempts,
        format,
        compression,
        compressionLevel,
        skipEmpty,
        metaColumns,
        columns,
        destination,
        tuning,
        cursor,
        timeWindow,
        quality,
        onSchemaDrift,
        maxFileSizeBytes,
        partition,
        shapeDriftWarnFactor,
        parquet,
        notSupportedYet,
        reconcileRequired,
        verify,
        target,
        apply);
  }

  /** Keys of this export (and of the config) that this version cannot run yet. */
  public List<String> unsupported(RivetConfig config) {
    List<String> all = new ArrayList<>(config.notSupportedYet());
    all.addAll(notSupportedYet);
    return all;
  }

  /** A {@code table:} reference, {@code t} or {@code s.t}. */
  public record TableRef(String schema, String name) implements Serializable {
    @Override
    public String toString() {
      return schema == null ? name : schema + "." + name;
    }
  }
}
