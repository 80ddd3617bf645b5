package io.rivet.core.dialect;

import io.rivet.core.schema.ColumnMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine's SQL for rivet's content checksum ({@link io.rivet.core.reconcile.ContentChecksum}):
 * each column's token, a row's hash, and their sum over a set of rows — computed by the server, so
 * reconciling a chunk moves two numbers, not its rows.
 */
public interface ChecksumSql {
  /** Alias of the rows a checksum query reads. */
  String ROWS = "_rivet_c";

  /**
   * The token of a value of {@code column} given as SQL {@code expr}: text, never NULL ({@code N}
   * for a NULL value).
   */
  String token(ColumnMapping column, String expr);

  /** A 64-bit row hash of the SQL text {@code rowText}, as an exact number. */
  String rowHash(String rowText);

  /** {@code parts} joined as text. */
  String concat(List<String> parts);

  /** The SQL reference to column {@code name} of the rows. */
  String column(String name);

  /** The exact sum of the row hashes (no overflow). */
  default String sum(String rowHash) {
    return "SUM(" + rowHash + ")";
  }

  /**
   * {@code COUNT(*)} and the sum of the row hashes of the rows {@code rowsSql} selects (any order,
   * extra columns ignored); the columns' tokens in {@code columns} order.
   */
  default String checksumQuery(String rowsSql, List<ColumnMapping> columns) {
    List<String> parts = new ArrayList<>();
    for (ColumnMapping c : columns) {
      if (!parts.isEmpty()) {
        parts.add("','");
      }
      parts.add(token(c, column(c.name())));
    }
    return "SELECT COUNT(*), " + sum(rowHash(concat(parts))) + " FROM (" + rowsSql + ") AS " + ROWS;
  }

  /**
   * One sum per column, each of its tokens' hashes: names the columns whose values differ when a
   * chunk's checksums do.
   */
  default String columnChecksumQuery(String rowsSql, List<ColumnMapping> columns) {
    List<String> sums = new ArrayList<>();
    for (ColumnMapping c : columns) {
      sums.add(sum(rowHash(token(c, column(c.name())))));
    }
    return "SELECT " + String.join(", ", sums) + " FROM (" + rowsSql + ") AS " + ROWS;
  }
}
