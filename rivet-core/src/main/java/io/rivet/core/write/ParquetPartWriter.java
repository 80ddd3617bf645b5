package io.rivet.core.write;

import io.rivet.core.config.Compression;
import io.rivet.core.plan.ExportPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * One Parquet part being written: rows go from the ResultSet into column writers; {@link #finish} writes the
 * footer and returns the size and content fingerprint. Memory is bounded by the row-group budget.
 */
public final class ParquetPartWriter implements PartWriter {
  /** Row groups are flushed at this size at most, so a writer never holds more than this much encoded data. */
  static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;
  static final long MIN_ROW_GROUP_BYTES = 4L * 1024 * 1024;
  /** Writers open at once in this JVM: the heap share for row groups is divided among them. */
  private static final AtomicInteger OPEN = new AtomicInteger();

  private final DigestingOutputFile file;
  private final ParquetWriter<ResultSet> writer;
  private final RowWriteSupport support;
  private long rows;
  private boolean closed;
  private boolean counted;
  private final String hintKey;
  /** Columns written without a dictionary: the integer chunk key, and those {@link DictionaryHints} names. */
  private final Set<String> plainColumns;

  ParquetPartWriter(OutputStream out, ExportPlan plan, Long exportedAtMicros) throws IOException {
    this.file = new DigestingOutputFile(out);
    Configuration conf = new Configuration(false);
    if (plan.compressionLevel() != null && plan.compression() == Compression.ZSTD) {
      conf.setInt("parquet.compression.codec.zstd.level", plan.compressionLevel());
    }
    if (plan.compressionLevel() != null && plan.compression() == Compression.GZIP) {
      conf.setInt("zlib.compress.level", plan.compressionLevel());
    }
    this.support = new RowWriteSupport(plan.columns(), exportedAtMicros, plan.rowHashColumn(),
        plan.connection() == null ? null : plan.connection().dialect());
    Builder b = new Builder(file, support)
        .withConf(conf)
        .withCompressionCodec(codec(plan.compression()))
        .withRowGroupSize(plan.rowGroupBytes() > 0 ? plan.rowGroupBytes()
            : defaultRowGroupBytes(Runtime.getRuntime().maxMemory(), OPEN.incrementAndGet()))
        .withDictionaryEncoding(true);
    // Hints belong to one export of one state store: two configs in one JVM (an embedding job, tests) that share
    // an export name do not share what was learned.
    this.hintKey = plan.stateUrl() + "#" + plan.exportName();
    this.plainColumns = new HashSet<>(DictionaryHints.plainColumns(hintKey));
    if (plan.chunkColumn() != null && plan.columns().stream().anyMatch(c -> c.name().equals(plan.chunkColumn()) && c.integral())) {
      // An integer chunk key is nearly always unique: a dictionary would only be built to be thrown away.
      plainColumns.add(plan.chunkColumn());
    }
    for (String column : plainColumns) {
      b = b.withDictionaryEncoding(column, false);
    }
    counted = plan.rowGroupBytes() <= 0;
    try {
      this.writer = b.build();
    } catch (IOException | RuntimeException e) {
      release();
      throw e;
    }
  }

  /**
   * The row-group size when the config sets none: a quarter of the heap shared among the writers open at once,
   * between 4 MB and 64 MB — so a small heap with several parallel writers of wide rows does not run out, and a
   * large one gets full-size row groups. Only the file's layout depends on it, never its rows.
   */
  static long defaultRowGroupBytes(long maxHeap, int openWriters) {
    return Math.max(MIN_ROW_GROUP_BYTES, Math.min(ROW_GROUP_BYTES, maxHeap / 4 / Math.max(1, openWriters)));
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
   * Writes the ResultSet's current row.
   *
   * @throws SQLException when the driver fails reading a value
   * @throws BadValueException when a value cannot be written exactly (the message names the column)
   */
  @Override
  public void write(ResultSet rs) throws SQLException, IOException {
    try {
      writer.write(rs);
    } catch (RowWriteSupport.SqlFailure e) {
      throw e.sql();
    } catch (ColumnWriter.BadValue e) {
      throw new BadValueException(e.getMessage(), e);
    }
    rows++;
  }

  @Override
  public long rows() {
    return rows;
  }

  /** Bytes written so far plus those buffered in the open row group: what the file would be if closed now. */
  @Override
  public long variableBytes() {
    return support.variableBytes();
  }

  @Override
  public long dataSize() {
    return writer.getDataSize();
  }

  /** Writes the footer and closes the stream. */
  @Override
  public Result finish() throws IOException {
    closed = true;
    release();
    writer.close();
    DictionaryHints.learn(hintKey, writer.getFooter(), plainColumns);
    return new Result(rows, file.bytes(), file.fingerprint(), file.md5(), support.zeroDates(), support.maxBytes());
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      release();
      writer.close();
    }
  }

  private void release() {
    if (counted) {
      counted = false;
      OPEN.decrementAndGet();
    }
  }

  private static final class Builder extends ParquetWriter.Builder<ResultSet, Builder> {
    private final RowWriteSupport support;

    Builder(OutputFile file, RowWriteSupport support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<ResultSet> getWriteSupport(Configuration conf) {
      return support;
    }
  }
}
