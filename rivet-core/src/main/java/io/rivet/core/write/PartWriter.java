package io.rivet.core.write;

import io.rivet.core.config.FileFormat;
import io.rivet.core.plan.ExportPlan;
import java.io.IOException;
import java.io.OutputStream;
import io.rivet.core.dialect.postgres.PgBinaryRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/** One part file being written from ResultSet rows, in the export's format. */
public interface PartWriter extends AutoCloseable {
  /** The size and content fingerprint of a finished part, and what the values showed on the way. */
  record Result(long rows, long bytes, String fingerprint, String md5, Map<String, Long> zeroDates,
      Map<String, Integer> maxBytes) {}

  static PartWriter open(OutputStream out, ExportPlan plan, Long exportedAtMicros) throws IOException {
    return plan.format() == FileFormat.CSV ? new CsvPartWriter(out, plan, exportedAtMicros)
        : new ParquetPartWriter(out, plan, exportedAtMicros);
  }

  /**
   * Writes the ResultSet's current row.
   *
   * @throws BadValueException when a value cannot be written exactly (the message names the column)
   */
  void write(ResultSet rs) throws SQLException, IOException;

  /**
   * Writes a PostgreSQL binary COPY row (Parquet parts; the extractor reads COPY only when every column has a binary
   * decoder and no row hash is kept).
   *
   * @throws BadValueException when a value cannot be written exactly (the message names the column)
   */
  default void write(PgBinaryRow row) throws IOException {
    throw new UnsupportedOperationException("this part format does not read binary COPY rows");
  }

  long rows();

  /** Text and binary bytes written so far: with the fixed-width columns, the width of the rows actually seen. */
  long variableBytes();

  /** Bytes written so far plus those still buffered: what the file would be if closed now. */
  long dataSize();

  /** Completes the file (footer, flush) and closes the stream. */
  Result finish() throws IOException;

  @Override
  void close() throws IOException;
}
