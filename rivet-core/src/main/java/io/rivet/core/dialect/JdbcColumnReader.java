package io.rivet.core.dialect;

import io.rivet.core.read.ValueSink;
import io.rivet.core.schema.ColumnMapping;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads one column of the current result-set row into a {@link ValueSink}: the one place that says
 * how the column's value is taken from the driver and what value it becomes. Chosen per column by
 * the dialect when a statement's result opens (from the plan's mapping and the result's metadata),
 * never per row.
 */
public abstract class JdbcColumnReader {
  protected final ColumnMapping mapping;

  /** The column's position in the result set, 1-based. */
  protected final int index;

  /** The column's position in the written row, 0-based. */
  protected final int column;

  protected JdbcColumnReader(ColumnMapping mapping, int column) {
    this.mapping = mapping;
    this.column = column;
    this.index = column + 1;
  }

  public ColumnMapping mapping() {
    return mapping;
  }

  /**
   * Writes the current row's value of this column (or NULL): exactly one value, or one list, per
   * row.
   */
  public abstract void read(ResultSet rs, ValueSink sink) throws SQLException;
}
