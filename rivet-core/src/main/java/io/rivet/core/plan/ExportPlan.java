package io.rivet.core.plan;

import io.rivet.core.config.Compression;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.QualityConfig;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.ConnectionSpec;
import io.rivet.core.read.BoundValue;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.schema.ColumnMapping;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;

/**
 * Everything needed to extract one export in one run, decided at plan time: the SQL, the written
 * schema, the chunks and where the parts go. It is serializable (it travels in the pipeline) and
 * stored as JSON in the state store, so a resume replays exactly the same chunks.
 *
 * @param outputDir the destination directory with placeholders resolved (a local path or a Beam
 *     URI)
 * @param filePrefix deterministic prefix of every part name of this run, e.g. {@code
 *     orders_20261125_101500}
 * @param fetchRows rows per fetch round trip (the driver's fetch size)
 * @param pageRows rows per keyset page
 */
public record ExportPlan(
    String exportName,
    String runId,
    String planHash,
    ConnectionSpec connection,
    String baseQuery,
    List<BoundValue> baseParams,
    String chunkColumn,
    List<ColumnMapping> columns,
    List<ChunkSpec> chunks,
    FileFormat format,
    Compression compression,
    Integer compressionLevel,
    String outputDir,
    String filePrefix,
    int fetchRows,
    int pageRows,
    TuningConfig tuning,
    boolean exportedAtColumn,
    boolean rowHashColumn,
    boolean skipEmpty,
    String stateUrl,
    String mode,
    CursorWindow cursor,
    long maxFileSizeBytes,
    QualityConfig quality,
    double shapeDriftWarnFactor,
    long rowGroupBytes)
    implements Serializable {

  public ExportPlan {
    baseParams = List.copyOf(baseParams);
    columns = List.copyOf(columns);
    chunks = List.copyOf(chunks);
    quality = quality == null ? QualityConfig.NONE : quality;
  }

  /**
   * This plan with another connection (a stored plan has none: credentials never reach the state
   * store).
   */
  public ExportPlan withConnection(ConnectionSpec spec) {
    return with(spec, chunks, filePrefix);
  }

  /**
   * This plan with other chunks (a plan that travels without its chunk list: {@code List.of()}).
   */
  public ExportPlan withChunks(List<ChunkSpec> others) {
    return with(connection, others, filePrefix);
  }

  /**
   * This plan writing its parts under another prefix (a repair's: new names, never a committed
   * part's).
   */
  public ExportPlan withFilePrefix(String prefix) {
    return with(connection, chunks, prefix);
  }

  private ExportPlan with(ConnectionSpec spec, List<ChunkSpec> chunkList, String prefix) {
    return new ExportPlan(
        exportName,
        runId,
        planHash,
        spec,
        baseQuery,
        baseParams,
        chunkColumn,
        columns,
        chunkList,
        format,
        compression,
        compressionLevel,
        outputDir,
        prefix,
        fetchRows,
        pageRows,
        tuning,
        exportedAtColumn,
        rowHashColumn,
        skipEmpty,
        stateUrl,
        mode,
        cursor,
        maxFileSizeBytes,
        quality,
        shapeDriftWarnFactor,
        rowGroupBytes);
  }

  /**
   * The deterministic name of a part: of {@code chunk}, starting at key or ordinal {@code from}
   * (range and dense chunks), or being page {@code from} (keyset chunks).
   */
  public String partName(ChunkSpec chunk, long from) {
    String key =
        switch (chunk.kind()) {
          case RANGE -> "k" + from;
          case DENSE -> "r" + from;
          case KEYSET -> "p" + from;
          case DAYS -> "d" + LocalDate.ofEpochDay(chunk.lo()).toString().replace("-", "");
          case NULL_KEYS -> "knull";
          case WHOLE -> "all";
        };
    return filePrefix + "_chunk" + chunk.index() + "_" + key + "." + format.extension();
  }

  /** The mapping of the chunk column. */
  public ColumnMapping keyColumn() {
    return columns.stream()
        .filter(c -> c.name().equals(chunkColumn))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "chunk column " + chunkColumn + " is not among the columns"));
  }

  /** What the dialect needs to read this plan's chunks. */
  public ReadSpec readSpec() {
    ColumnMapping key =
        columns.stream().filter(c -> c.name().equals(chunkColumn)).findFirst().orElse(null);
    return new ReadSpec(
        baseQuery, baseParams, chunkColumn, key, columns, format, rowHashColumn, tuning);
  }

  public ChunkSpec chunk(int index) {
    return chunks.stream()
        .filter(c -> c.index() == index)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no chunk " + index + " in " + runId));
  }
}
