package io.rivet.core.config;

import java.util.List;

/**
 * Reads how a chunked export is cut into chunks — by an integer column's ranges, a keyset, row
 * ordinals or day windows, sized by rows, count or memory — and how many are read at once; refuses
 * the combinations that mean nothing.
 */
final class ChunkingParser {
  /** The chunking keys as read. */
  record Chunking(
      String chunkColumn,
      String chunkByKey,
      boolean dense,
      Integer byDays,
      int chunkSize,
      Integer chunkCount,
      Integer chunkMemory,
      int parallel,
      boolean checkpoint) {}

  private final YamlObject node;

  ChunkingParser(YamlObject node) {
    this.node = node;
  }

  /**
   * @param table the export's table, or null for a query
   * @param sources how many of table, query, query_file the export set (1 when valid)
   */
  Chunking chunking(ExportMode mode, ExportConfig.TableRef table, int sources) {
    Chunking c =
        new Chunking(
            node.string("chunk_column"),
            node.string("chunk_by_key"),
            Boolean.TRUE.equals(node.bool("chunk_dense")),
            node.intValue("chunk_by_days", 1, 36_600),
            orDefault(node.intValue("chunk_size", 1, Integer.MAX_VALUE), 100_000),
            node.intValue("chunk_count", 1, 1_000_000),
            node.intValue("chunk_size_memory_mb", 1, 1_048_576),
            orDefault(node.intValue("parallel", 1, 1024), 1),
            Boolean.TRUE.equals(node.bool("chunk_checkpoint")));
    checkMode(mode, c.chunkColumn(), table);
    checkCombinations(c.chunkColumn(), c.chunkByKey(), c.dense(), c.chunkCount(), table, sources);
    checkMemory(c.chunkCount(), table);
    return c;
  }

  /** The chunking keys belong to mode chunked, which needs something to chunk by. */
  private void checkMode(ExportMode mode, String chunkColumn, ExportConfig.TableRef table) {
    if (mode == ExportMode.CHUNKED
        && chunkColumn == null
        && table == null
        && !node.has("chunk_by_key")
        && !node.has("chunk_dense")
        && !node.has("chunk_by_days")) {
      node.problem(
          "chunk_column",
          "mode chunked needs chunk_column (an integer column) or a table: export whose primary key is one integer column");
    }
    if (mode != ExportMode.CHUNKED) {
      for (String k :
          List.of(
              "chunk_column",
              "chunk_count",
              "chunk_by_key",
              "chunk_dense",
              "chunk_by_days",
              "chunk_size_memory_mb")) {
        if (node.has(k)) {
          node.problem(k, "is only valid with mode: chunked; set mode: chunked or remove it");
        }
      }
    }
  }

  /** Each way of cutting chunks excludes the others; keyset and column-less ones need a table. */
  private void checkCombinations(
      String chunkColumn,
      String chunkByKey,
      boolean dense,
      Integer chunkCount,
      ExportConfig.TableRef table,
      int sources) {
    if (chunkCount != null && (dense || node.has("chunk_by_days"))) {
      node.problem(
          "chunk_count", "cannot be combined with chunk_dense or chunk_by_days; keep one of them");
    }
    if (dense && node.has("chunk_by_days")) {
      node.problem("chunk_by_days", "cannot be combined with chunk_dense; keep one of them");
    }
    if (chunkByKey != null
        && (chunkColumn != null || chunkCount != null || dense || node.has("chunk_by_days"))) {
      node.problem(
          "chunk_by_key",
          "cannot be combined with chunk_column, chunk_count, chunk_dense or chunk_by_days; keep one of them");
    }
    if (chunkByKey != null && table == null && sources == 1) {
      node.problem(
          "chunk_by_key",
          "needs a table: export (the key must be proven unique and NOT NULL); replace query with table");
    }
    if ((dense || node.has("chunk_by_days"))
        && chunkColumn == null
        && table == null
        && sources == 1) {
      node.problem(
          "chunk_column",
          (dense ? "chunk_dense" : "chunk_by_days")
              + " needs chunk_column (the column to order or window by)");
    }
  }

  /**
   * {@code chunk_size_memory_mb} sizes chunks from a table's catalog, instead of the other sizes.
   */
  private void checkMemory(Integer chunkCount, ExportConfig.TableRef table) {
    if (node.has("chunk_size_memory_mb")) {
      if (table == null) {
        node.problem(
            "chunk_size_memory_mb",
            "needs a table: export (chunks are sized from the table's average row size in"
                + " the catalog); replace query with table, or size chunks with chunk_size");
      }
      if (node.has("chunk_size")) {
        node.problem(
            "chunk_size_memory_mb", "and chunk_size both size the chunks; keep one of them");
      }
      if (chunkCount != null || node.has("chunk_by_days")) {
        node.problem(
            "chunk_size_memory_mb",
            "cannot be combined with "
                + (chunkCount != null ? "chunk_count" : "chunk_by_days")
                + ", which decides the chunks itself; keep one of them");
      }
    }
  }

  private static int orDefault(Integer v, int d) {
    return v == null ? d : v;
  }
}
