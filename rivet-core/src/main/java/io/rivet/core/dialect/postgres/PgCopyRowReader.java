package io.rivet.core.dialect.postgres;

import io.rivet.core.config.FileFormat;
import io.rivet.core.dialect.JdbcRowReader;
import io.rivet.core.read.ReadRequest;
import io.rivet.core.read.ReadSpec;
import io.rivet.core.read.RowReader;
import io.rivet.core.read.RowSource;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Reads an export's chunks as PostgreSQL binary COPY: every statement is {@code COPY (<the chunk's
 * SELECT>) TO STDOUT (FORMAT binary)}, its bounds inlined as literals (COPY takes no parameters).
 * The server streams the rows without fetch requests, so it produces the next ones while rivet
 * writes these. A window with no literal form (a day outside years 1–9999) is read through the
 * driver.
 */
final class PgCopyRowReader implements RowReader {
  private final PostgresDialect dialect;
  private final ReadSpec spec;
  private final List<PgCopyFieldReader> fields;
  private final JdbcRowReader driver;

  PgCopyRowReader(PostgresDialect dialect, ReadSpec spec) {
    this.dialect = dialect;
    this.spec = spec;
    this.fields = PgCopyFieldReader.forColumns(spec.columns());
    this.driver = new JdbcRowReader(dialect, spec);
  }

  /**
   * Whether an export can be read as binary COPY: a Parquet part (CSV keeps the driver's path so
   * far), no row hash (it hashes the driver's text), no base-query parameters (COPY takes none),
   * and a binary decoder for every column.
   */
  static boolean applies(ReadSpec spec) {
    return spec.format() == FileFormat.PARQUET
        && !spec.rowHash()
        && spec.baseParams().isEmpty()
        && decodes(spec.columns());
  }

  /** Whether every column has a binary decoder ({@link PgCopyFieldReader#form}). */
  static boolean decodes(List<ColumnMapping> columns) {
    return columns.stream().allMatch(m -> PgCopyFieldReader.form(m) != null);
  }

  @Override
  public boolean streamsStatements() {
    return true;
  }

  @Override
  public RowSource open(Connection c, ReadRequest request, int fetchRows) throws SQLException {
    Optional<String> copy = dialect.copyStatement(spec, request);
    if (copy.isEmpty()) {
      return driver.open(c, request, fetchRows);
    }
    PgCopyStream stream = PgCopyStream.open(c, copy.get(), request.fields(spec.columns().size()));
    return new PgCopyRowSource(stream, fields, spec.keyColumn());
  }
}
