package io.rivet.core.discover;

import java.util.List;
import java.util.Map;

/**
 * What the catalog says about one table and the strategy {@code rivet init} suggests for it (the
 * {@code init --discover} report's {@code tables[]}, reference §1.2).
 *
 * @param rowEstimate the planner statistics' row count (null when the table was never analyzed)
 * @param totalBytes the estimated stored size (null when unknown)
 * @param suggestedMode {@code full}, {@code chunked} or {@code incremental}
 * @param chunkColumn the integer key of a range-chunked export, or null
 * @param keysetColumn the unique key of a keyset-chunked export ({@code chunk_by_key}), or null
 * @param cursorColumn the cursor of an incremental export, or null
 * @param overrides {@code columns:} overrides the table needs to be exported, with why
 */
public record TableProfile(
    String schema,
    String table,
    Long rowEstimate,
    Long totalBytes,
    String suggestedMode,
    String chunkColumn,
    String keysetColumn,
    String cursorColumn,
    Integer chunkSize,
    int parallel,
    int rowGroupMb,
    List<CursorCandidate> cursorCandidates,
    String suggestedCursorFallbackColumn,
    List<String> chunkCandidates,
    Map<String, ColumnOverride> overrides,
    List<String> notes) {

  /** A column that could carry an incremental cursor, scored. */
  public record CursorCandidate(
      String column,
      String dataType,
      boolean isNullable,
      boolean isPrimaryKey,
      int score,
      List<String> reasons) {}

  /** A {@code columns:} override and why it is there (written as a REVIEW comment). */
  public record ColumnOverride(String type, String why) {}

  /** The table as {@code table:} names it. */
  public String ref() {
    return schema == null ? table : schema + "." + table;
  }
}
