package io.rivet.core.write;

import io.rivet.core.config.Compression;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.read.RowSource;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * One Parquet part being written: each row's values go straight into parquet-mr's column writers
 * (no record-assembly layer: rivet's schemas are flat, one leaf per field); row groups are cut at
 * the row-group budget, which bounds memory; {@link #finish} writes the footer and returns the size
 * and content fingerprint.
 */
public final class ParquetPartWriter implements PartWriter {
  /**
   * Row groups are flushed at this size at most, so a writer never holds more than this much
   * encoded data.
   */
  static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;

  static final long MIN_ROW_GROUP_BYTES = 4L * 1024 * 1024;

  /** Writers open at once in this JVM: the heap share for row groups is divided among them. */
  private static final AtomicInteger OPEN = new AtomicInteger();

  private final DigestingOutputFile file;
  private final ParquetRowWriter rows;
  private final ParquetProperties props;
  private final CodecFactory codecs;
  private final CodecFactory.BytesCompressor compressor;
  private final ParquetFileWriter fileWriter;
  private final long rowGroupBytes;
  private final String hintKey;

  /**
   * Columns written without a dictionary: the integer chunk key, and those {@link DictionaryHints}
   * names.
   */
  private final Set<String> plainColumns;

  /** The open row group: its pages per column, and the column writers that fill them. */
  private ColumnChunkPageWriteStore pages;

  private ColumnWriteStore columns;
  private long groupRows;
  private long nextSizeCheck;

  /** Where the last flushed row group ended in the file. */
  private long flushedBytes;

  private long rowCount;
  private boolean closed;
  private boolean counted;

  /** A write failed part-way through a row: the open row group is unusable, and so is the part. */
  private boolean failed;

  ParquetPartWriter(OutputStream out, ExportPlan plan, Long exportedAtMicros) throws IOException {
    this.file = new DigestingOutputFile(out);
    Configuration conf = new Configuration(false);
    if (plan.compressionLevel() != null && plan.compression() == Compression.ZSTD) {
      conf.setInt("parquet.compression.codec.zstd.level", plan.compressionLevel());
    }
    if (plan.compressionLevel() != null && plan.compression() == Compression.GZIP) {
      conf.setInt("zlib.compress.level", plan.compressionLevel());
    }
    this.rows = new ParquetRowWriter(plan.columns(), exportedAtMicros, plan.rowHashColumn());
    counted = plan.rowGroupBytes() <= 0;
    this.rowGroupBytes =
        plan.rowGroupBytes() > 0
            ? plan.rowGroupBytes()
            : defaultRowGroupBytes(Runtime.getRuntime().maxMemory(), OPEN.incrementAndGet());
    // Hints belong to one export of one state store: two configs in one JVM (an embedding job,
    // tests) that share an export name do not share what was learned.
    this.hintKey = plan.stateUrl() + "#" + plan.exportName();
    this.plainColumns = new HashSet<>(DictionaryHints.plainColumns(hintKey));
    if (plan.chunkColumn() != null
        && plan.columns().stream()
            .anyMatch(c -> c.name().equals(plan.chunkColumn()) && c.integral())) {
      // An integer chunk key is nearly always unique: a dictionary would only be built to be thrown
      // away.
      plainColumns.add(plan.chunkColumn());
    }
    ParquetProperties.Builder p = ParquetProperties.builder().withDictionaryEncoding(true);
    for (String column : plainColumns) {
      p = p.withDictionaryEncoding(column, false);
    }
    this.props = p.build();
    this.codecs = new CodecFactory(conf, props.getPageSizeThreshold());
    try {
      this.compressor = codecs.getCompressor(codec(plan.compression()));
      this.fileWriter =
          new ParquetFileWriter(
              file,
              rows.schema(),
              ParquetFileWriter.Mode.CREATE,
              rowGroupBytes,
              0,
              props.getColumnIndexTruncateLength(),
              props.getStatisticsTruncateLength(),
              props.getPageWriteChecksumEnabled());
      fileWriter.start();
      openRowGroup();
    } catch (IOException | RuntimeException e) {
      release();
      codecs.release();
      file.close();
      throw e;
    }
  }

  /**
   * The row-group size when the config sets none: a quarter of the heap shared among the writers
   * open at once, between 4 MB and 64 MB — so a small heap with several parallel writers of wide
   * rows does not run out, and a large one gets full-size row groups. Only the file's layout
   * depends on it, never its rows.
   */
  static long defaultRowGroupBytes(long maxHeap, int openWriters) {
    return Math.max(
        MIN_ROW_GROUP_BYTES, Math.min(ROW_GROUP_BYTES, maxHeap / 4 / Math.max(1, openWriters)));
  }

  static CompressionCodecName codec(Compression c) {
    return switch (c) {
      case ZSTD -> CompressionCodecName.ZSTD;
      case SNAPPY -> CompressionCodecName.SNAPPY;
      case GZIP -> CompressionCodecName.GZIP;
      case LZ4 -> CompressionCodecName.LZ4_RAW;
      case NONE -> CompressionCodecName.UNCOMPRESSED;
    };
  }

  /**
   * Writes the source's current row.
   *
   * @throws SQLException when the driver fails reading a value
   * @throws io.rivet.core.read.BadValueException when a value cannot be written exactly (the
   *     message names the column)
   */
  @Override
  public void write(RowSource row) throws SQLException, IOException {
    beginRow();
    row.emit(rows);
    rows.endRow();
    endRow();
  }

  /**
   * A part whose last write failed mid-row holds a partial record: it must be aborted, never
   * written on.
   */
  private void beginRow() {
    if (failed) {
      throw new IllegalStateException("a write to this part failed; it must be aborted");
    }
    failed = true;
  }

  private void endRow() throws IOException {
    columns.endRecord();
    failed = false;
    rowCount++;
    if (++groupRows >= nextSizeCheck) {
      checkRowGroupSize();
    }
  }

  /**
   * Flushes the row group once its buffered size comes within two rows of the budget; otherwise
   * plans the next check halfway to the budget at the rows' average size (parquet-mr's own rule:
   * asking the column writers for their size on every row would cost more than writing it).
   */
  private void checkRowGroupSize() throws IOException {
    long buffered = columns.getBufferedSize();
    long rowBytes = Math.max(1, buffered / groupRows);
    if (buffered > rowGroupBytes - 2 * rowBytes) {
      flushRowGroup();
      openRowGroup();
    } else {
      nextSizeCheck =
          Math.min(
              Math.max(
                  props.getMinRowCountForPageSizeCheck(),
                  (groupRows + rowGroupBytes / rowBytes) / 2),
              groupRows + props.getMaxRowCountForPageSizeCheck());
    }
  }

  private void openRowGroup() {
    pages =
        new ColumnChunkPageWriteStore(
            compressor,
            rows.schema(),
            props.getAllocator(),
            props.getColumnIndexTruncateLength(),
            props.getPageWriteChecksumEnabled(),
            null,
            0);
    columns = props.newColumnWriteStore(rows.schema(), pages, pages);
    rows.bind(columns);
    groupRows = 0;
    nextSizeCheck = props.getMinRowCountForPageSizeCheck();
  }

  private void flushRowGroup() throws IOException {
    try {
      if (groupRows > 0) {
        fileWriter.startBlock(groupRows);
        columns.flush();
        pages.flushToFileWriter(fileWriter);
        fileWriter.endBlock();
        flushedBytes = fileWriter.getPos();
      }
    } finally {
      columns.close();
      columns = null;
      pages = null;
    }
  }

  @Override
  public long rows() {
    return rowCount;
  }

  /** Text and binary bytes written so far (see {@link PartWriter#variableBytes}). */
  @Override
  public long variableBytes() {
    return rows.variableBytes();
  }

  /**
   * Bytes written so far plus those buffered in the open row group: what the file would be if
   * closed now.
   */
  @Override
  public long dataSize() {
    return flushedBytes + (columns == null ? 0 : columns.getBufferedSize());
  }

  /** Writes the last row group and the footer, and closes the stream. */
  @Override
  public Result finish() throws IOException {
    if (failed) {
      throw new IllegalStateException("a write to this part failed; it must be aborted");
    }
    closed = true;
    release();
    try {
      flushRowGroup();
      fileWriter.end(rows.metadata());
    } finally {
      codecs.release();
    }
    DictionaryHints.learn(hintKey, fileWriter.getFooter(), plainColumns);
    return new Result(
        rowCount, file.bytes(), file.fingerprint(), file.md5(), rows.zeroDates(), rows.maxBytes());
  }

  /** Closes the stream without a footer: the part is being aborted, never committed. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      release();
      try {
        if (columns != null) {
          columns.close();
        }
        codecs.release();
      } finally {
        file.close();
      }
    }
  }

  private void release() {
    if (counted) {
      counted = false;
      OPEN.decrementAndGet();
    }
  }
}
