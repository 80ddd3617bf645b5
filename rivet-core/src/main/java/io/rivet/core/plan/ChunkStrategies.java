package io.rivet.core.plan;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.read.BoundValue;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Cuts a chunked export into chunks: integer key ranges (default), row ordinals ({@code
 * chunk_dense}), date windows ({@code chunk_by_days}) or keyset pages ({@code chunk_by_key}). Rows
 * whose key is NULL get a chunk of their own in every strategy that can meet them.
 */
final class ChunkStrategies {
  private static final int KEYSET_CHUNKS_PER_WORKER = 4;

  private final Connection c;
  private final Dialect dialect;
  private final ExportConfig export;
  private final String base;
  private final List<BoundValue> baseParams;
  private final List<ColumnMapping> columns;
  private final String column;

  ChunkStrategies(
      Connection c,
      Dialect dialect,
      ExportConfig export,
      String base,
      List<BoundValue> baseParams,
      List<ColumnMapping> columns)
      throws SQLException {
    this.c = c;
    this.dialect = dialect;
    this.export = export;
    this.base = base;
    this.baseParams = baseParams;
    this.columns = columns;
    this.column = resolveColumn();
  }

  String column() {
    return column;
  }

  List<ChunkSpec> chunks() throws SQLException {
    if (export.chunkByKey() != null) {
      return keyset();
    }
    if (export.chunkDense()) {
      return dense();
    }
    if (export.chunkByDays() != null) {
      return withNullChunk(days());
    }
    return withNullChunk(ranges());
  }

  private String resolveColumn() throws SQLException {
    String col = export.chunkByKey() != null ? export.chunkByKey() : export.chunkColumn();
    if (col == null) {
      col =
          dialect
              .integerPrimaryKey(c, export.table())
              .orElseThrow(
                  () ->
                      problem(
                          "chunk_column",
                          "table "
                              + export.table()
                              + " has no single integer primary key to chunk by; set chunk_column to an integer column,"
                              + " or chunk_by_key to a unique key"));
    }
    String name = col;
    ColumnMapping m = mapping(name);
    if (export.chunkByKey() != null) {
      if (!m.integral() && m.kind() != ColumnKind.STRING && m.kind() != ColumnKind.UUID) {
        throw problem(
            "chunk_by_key",
            "'"
                + name
                + "' is "
                + m.sourceType()
                + "; keyset keys must be integers, strings or"
                + " UUIDs (other types are not supported yet)");
      }
      if (!dialect.uniqueNotNull(c, export.table(), name)) {
        throw problem(
            "chunk_by_key",
            "'"
                + name
                + "' is not a NOT NULL column with a unique index of its own on "
                + export.table()
                + "; keyset paging would skip or repeat rows, so pick the primary key or such a column");
      }
    } else if (export.chunkByDays() != null) {
      if (m.kind() != ColumnKind.DATE
          && m.kind() != ColumnKind.TIMESTAMP_MICROS
          && m.kind() != ColumnKind.TIMESTAMPTZ_MICROS) {
        throw problem(
            "chunk_column",
            "'"
                + name
                + "' is "
                + m.sourceType()
                + "; chunk_by_days needs a date or timestamp column");
      }
    } else if (!export.chunkDense() && !m.integral()) {
      throw problem(
          "chunk_column",
          "'"
              + name
              + "' is "
              + m.sourceType()
              + "; range chunking needs an integer column"
              + " (use chunk_dense: true, or chunk_by_key for a unique key of another type)");
    }
    return col;
  }

  private ColumnMapping mapping(String name) {
    return columns.stream()
        .filter(x -> x.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                problem(
                    export.chunkByKey() != null ? "chunk_by_key" : "chunk_column",
                    "'"
                        + name
                        + "' is not a column of the query;"
                        + " columns are "
                        + columns.stream().map(ColumnMapping::name).toList()));
  }

  private RivetException problem(String key, String what) {
    return new RivetException(
        ErrorCode.CONFIG_INVALID, "exports[" + export.name() + "]." + key + ": " + what);
  }

  private List<ChunkSpec> ranges() throws SQLException {
    String[] b = bounds();
    return b[0] == null
        ? new ArrayList<>()
        : new ArrayList<>(Planner.ranges(export, Long.parseLong(b[0]), Long.parseLong(b[1])));
  }

  private List<ChunkSpec> days() throws SQLException {
    String[] b = bounds();
    List<ChunkSpec> out = new ArrayList<>();
    if (b[0] == null) {
      return out;
    }
    LocalDate from = LocalDate.parse(b[0].substring(0, 10));
    LocalDate last = LocalDate.parse(b[1].substring(0, 10));
    while (!from.isAfter(last)) {
      LocalDate until = from.plusDays(export.chunkByDays());
      out.add(ChunkSpec.days(out.size(), from, until));
      from = until;
    }
    return out;
  }

  private List<ChunkSpec> dense() throws SQLException {
    long rows;
    try (PreparedStatement ps = prepare(dialect.countQuery(base));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      rows = rs.getLong(1);
    }
    List<ChunkSpec> out = new ArrayList<>();
    long size =
        export.chunkCount() != null
            ? Math.max(1, (rows + export.chunkCount() - 1) / export.chunkCount())
            : export.chunkSize();
    for (long lo = 1; lo <= rows; lo += size) {
      out.add(ChunkSpec.dense(out.size(), lo, Math.min(rows + 1, lo + size)));
    }
    return out;
  }

  /**
   * One keyset chunk per stretch between sampled boundaries; a single chunk when read by one
   * worker.
   */
  private List<ChunkSpec> keyset() throws SQLException {
    List<String> bounds = new ArrayList<>();
    if (export.parallel() > 1) {
      OptionalLong estimate = dialect.rowEstimate(c, export.table());
      long rows = estimate.isPresent() && estimate.getAsLong() > 0 ? estimate.getAsLong() : 0;
      long step =
          Math.max(
              export.chunkSize(),
              (rows + (long) export.parallel() * KEYSET_CHUNKS_PER_WORKER - 1)
                  / ((long) export.parallel() * KEYSET_CHUNKS_PER_WORKER));
      if (rows > step) {
        try (PreparedStatement ps = prepare(dialect.keysetBoundaries(base, column))) {
          ps.setLong(baseParams.size() + 1, step);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              bounds.add(rs.getString(1));
            }
          }
        }
      }
    }
    List<ChunkSpec> out = new ArrayList<>();
    String from = null;
    for (String b : bounds) {
      out.add(ChunkSpec.keyset(out.size(), from, b));
      from = b;
    }
    out.add(ChunkSpec.keyset(out.size(), from, null));
    return out;
  }

  private String[] bounds() throws SQLException {
    try (PreparedStatement ps = prepare(dialect.boundsQuery(base, column));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }

  /**
   * A statement over the base query with the base's own parameters (partition, window) bound first.
   */
  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    int i = 1;
    for (BoundValue v : baseParams) {
      v.bind(ps, i++);
    }
    return ps;
  }

  private List<ChunkSpec> withNullChunk(List<ChunkSpec> chunks) throws SQLException {
    try (PreparedStatement ps = prepare(dialect.nullProbe(base, column));
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        chunks.add(ChunkSpec.nullKeys(chunks.size()));
      }
    }
    return chunks;
  }
}
