package io.rivet.core.write;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * Which columns of an export are not worth a Parquet dictionary, learned from the parts already
 * written in this JVM. parquet-mr tries a dictionary for every column of every part and falls back
 * to plain encoding after the first page when the dictionary does not pay; for a column of mostly
 * distinct values (timestamps, amounts, ids) that try was the largest single cost of the write loop
 * (issue 6's profile). Once a part of the export has fallen back on a column, later parts write it
 * plain from the start. Only the encoding changes, never a value.
 */
final class DictionaryHints {
  private static final Map<String, Set<String>> PLAIN = new ConcurrentHashMap<>();

  private DictionaryHints() {}

  /** Column paths (dot-separated) of the export to write without a dictionary. */
  static Set<String> plainColumns(String export) {
    return PLAIN.getOrDefault(export, Set.of());
  }

  /**
   * Learns from a finished part's footer: a column written with a dictionary enabled that still has
   * plain data pages fell back, so its values are too distinct for one.
   */
  static void learn(String export, ParquetMetadata footer, Set<String> dictionaryDisabled) {
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        String path = column.getPath().toDotString();
        EncodingStats stats = column.getEncodingStats();
        if (stats != null
            && stats.hasNonDictionaryEncodedPages()
            && !dictionaryDisabled.contains(path)) {
          PLAIN.computeIfAbsent(export, e -> ConcurrentHashMap.newKeySet()).add(path);
        }
      }
    }
  }
}
