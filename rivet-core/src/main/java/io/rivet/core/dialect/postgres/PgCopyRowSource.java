package io.rivet.core.dialect.postgres;

import io.rivet.core.read.RowSource;
import io.rivet.core.read.ValueSink;
import io.rivet.core.schema.ColumnMapping;
import java.sql.SQLException;
import java.util.List;

/**
 * The rows of one binary COPY statement, each field decoded by its column's {@link
 * PgCopyFieldReader}.
 */
final class PgCopyRowSource implements RowSource {
  private final PgCopyStream copy;
  private final PgBinaryRow row;
  private final PgCopyFieldReader[] fields;
  private final PgBinaryRow.Form keyForm;
  private byte[] keyBytes;
  private int keyAt;
  private int keyLength;

  PgCopyRowSource(PgCopyStream copy, List<PgCopyFieldReader> fields, ColumnMapping keyColumn) {
    this.copy = copy;
    this.row = copy.row();
    this.fields = fields.toArray(new PgCopyFieldReader[0]);
    this.keyForm = keyColumn == null ? null : PgBinaryRow.form(keyColumn);
  }

  @Override
  public boolean next() throws SQLException {
    return copy.next();
  }

  @Override
  public long key(int index) {
    return row.integer(index - 1);
  }

  /**
   * Keeps the row message (each row arrives in its own array) and decodes the key only when asked.
   */
  @Override
  public void markKey(int index) {
    keyBytes = row.buffer();
    keyAt = row.offset(index - 1);
    keyLength = row.length(index - 1);
  }

  @Override
  public String markedKey() {
    return PgBinaryRow.keyText(keyBytes, keyAt, keyLength, keyForm);
  }

  @Override
  public void emit(ValueSink sink) {
    for (PgCopyFieldReader f : fields) {
      f.read(row, sink);
    }
  }

  @Override
  public boolean fetches() {
    return false;
  }

  @Override
  public void fetchSize(int rows) {
    // the server streams; there are no fetches to size
  }

  @Override
  public void abandon() {
    copy.abandon();
  }

  /**
   * Drains the rest of a statement stopped early (a refused claim); reads nothing after {@link
   * #abandon}.
   */
  @Override
  public void close() throws SQLException {
    copy.close();
  }
}
