package io.rivet.core.write;

import io.rivet.core.config.FileFormat;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.read.BadValueException;
import io.rivet.core.read.RowSource;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.Map;

/** One part file being written from a source's rows, in the export's format. */
public interface PartWriter extends AutoCloseable {
  /** The size and content fingerprint of a finished part, and what the values showed on the way. */
  record Result(
      long rows,
      long bytes,
      String fingerprint,
      String md5,
      Map<String, Long> zeroDates,
      Map<String, Integer> maxBytes) {}

  static PartWriter open(OutputStream out, ExportPlan plan, Long exportedAtMicros)
      throws IOException {
    return plan.format() == FileFormat.CSV
        ? new CsvPartWriter(out, plan, exportedAtMicros)
        : new ParquetPartWriter(out, plan, exportedAtMicros);
  }

  /**
   * Writes the source's current row.
   *
   * @throws BadValueException when a value cannot be written exactly (the message names the column)
   */
  void write(RowSource row) throws SQLException, IOException;

  long rows();

  /**
   * Text and binary bytes written so far: with the fixed-width columns, the width of the rows
   * actually seen.
   */
  long variableBytes();

  /** Bytes written so far plus those still buffered: what the file would be if closed now. */
  long dataSize();

  /** Completes the file (footer, flush) and closes the stream. */
  Result finish() throws IOException;

  @Override
  void close() throws IOException;
}
