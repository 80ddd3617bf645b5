package io.rivet.core.read;

import io.rivet.core.config.FileFormat;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.schema.ColumnMapping;
import java.util.List;

/**
 * What a dialect needs to read an export's chunks, from its plan: the base query and its bound
 * values, the chunk column, the written columns, and what the written file needs of the read.
 *
 * @param keyColumn the chunk column's mapping, or null when the export has no chunk column
 * @param format the written format (an engine's own stream is used for Parquet parts only, so far)
 * @param rowHash whether {@code _rivet_row_hash} is written (a hash over the driver's text of each
 *     value)
 */
public record ReadSpec(
    String baseQuery,
    List<BoundValue> baseParams,
    String chunkColumn,
    ColumnMapping keyColumn,
    List<ColumnMapping> columns,
    FileFormat format,
    boolean rowHash,
    TuningConfig tuning) {
  public ReadSpec {
    baseParams = List.copyOf(baseParams);
    columns = List.copyOf(columns);
  }

  /** The 1-based position of the chunk column among the columns, or -1 when there is none. */
  public int keyIndex() {
    for (int i = 0; chunkColumn != null && i < columns.size(); i++) {
      if (columns.get(i).name().equals(chunkColumn)) {
        return i + 1;
      }
    }
    if (chunkColumn != null) {
      throw new IllegalStateException("chunk column " + chunkColumn + " is not among the columns");
    }
    return -1;
  }
}
