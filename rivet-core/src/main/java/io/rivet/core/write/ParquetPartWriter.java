package io.rivet.core.write;

import io.rivet.core.config.Compression;
import io.rivet.core.plan.ExportPlan;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
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
  /** Row groups are flushed at this size, so a writer never holds more than this much encoded data. */
  static final int ROW_GROUP_BYTES = 64 * 1024 * 1024;

  private final DigestingOutputFile file;
  private final ParquetWriter<ResultSet> writer;
  private final RowWriteSupport support;
  private long rows;
  private boolean closed;

  ParquetPartWriter(OutputStream out, ExportPlan plan, Long exportedAtMicros) throws IOException {
    this.file = new DigestingOutputFile(out);
    Configuration conf = new Configuration(false);
    if (plan.compressionLevel() != null && plan.compression() == Compression.ZSTD) {
      conf.setInt("parquet.compression.codec.zstd.level", plan.compressionLevel());
    }
    if (plan.compressionLevel() != null && plan.compression() == Compression.GZIP) {
      conf.setInt("zlib.compress.level", plan.compressionLevel());
    }
    this.support = new RowWriteSupport(plan.columns(), exportedAtMicros, plan.rowHashColumn());
    Builder b = new Builder(file, support)
        .withConf(conf)
        .withCompressionCodec(codec(plan.compression()))
        .withRowGroupSize(plan.rowGroupBytes() > 0 ? plan.rowGroupBytes() : ROW_GROUP_BYTES)
        .withDictionaryEncoding(true);
    if (plan.chunkColumn() != null && plan.columns().stream().anyMatch(c -> c.name().equals(plan.chunkColumn()) && c.integral())) {
      // An integer chunk key is nearly always unique: a dictionary would only be built to be thrown away.
      b = b.withDictionaryEncoding(plan.chunkColumn(), false);
    }
    this.writer = b.build();
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
    writer.close();
    return new Result(rows, file.bytes(), file.fingerprint(), file.md5(), support.zeroDates(), support.maxBytes());
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      writer.close();
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
