package io.rivet.core.discover;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rivet.yaml {@code rivet init} writes (reference §2.4): the source by reference (never a
 * password), one export per table with its suggested strategy, the catalog's figures and the
 * reasons as comments, and {@code # REVIEW} on every line a person should check.
 */
public final class Scaffold {
  private Scaffold() {}

  /**
   * The scaffold's text.
   *
   * @param source the {@code source:} block's lines (indented two spaces)
   * @param destination the {@code destination:} flow mapping, with {@code {export}} in its path or
   *     prefix
   */
  public static String yaml(
      String header, List<String> source, List<TableProfile> tables, String destination) {
    StringBuilder y = new StringBuilder();
    for (String line : header.split("\n", -1)) {
      y.append("# ").append(line).append('\n');
    }
    y.append("source:\n");
    source.forEach(l -> y.append("  ").append(l).append('\n'));
    y.append("exports:\n");
    Set<String> names = new HashSet<>();
    for (TableProfile t : tables) {
      String name = safe(t.table());
      if (!names.add(name)) {
        name = safe(t.schema() + "_" + t.table());
        names.add(name);
      }
      y.append("  - name: ").append(name).append('\n');
      y.append("    table: ").append(quote(t.ref())).append('\n');
      y.append("    # ")
          .append(
              t.rowEstimate() == null
                  ? "rows unknown (no statistics)"
                  : String.format(Locale.ROOT, "~%,d rows", t.rowEstimate()))
          .append(
              t.totalBytes() == null
                  ? ""
                  : String.format(Locale.ROOT, ", ~%,d MB", t.totalBytes() >> 20))
          .append(" (catalog estimate)")
          .append('\n');
      for (String note : t.notes()) {
        y.append("    # ").append(note).append('\n');
      }
      y.append("    mode: ").append(t.suggestedMode()).append('\n');
      if (t.chunkColumn() != null) {
        y.append("    chunk_column: ").append(quote(t.chunkColumn())).append('\n');
      }
      if (t.keysetColumn() != null) {
        y.append("    chunk_by_key: ").append(quote(t.keysetColumn())).append('\n');
      }
      if ("chunked".equals(t.suggestedMode())) {
        y.append("    chunk_size: ").append(t.chunkSize()).append('\n');
        y.append("    chunk_checkpoint: true\n");
        y.append("    parallel: ").append(t.parallel()).append('\n');
      }
      if (t.cursorColumn() != null) {
        y.append("    cursor_column: ").append(quote(t.cursorColumn())).append('\n');
        if (t.suggestedCursorFallbackColumn() != null) {
          y.append("    incremental_cursor_mode: coalesce\n");
          y.append("    cursor_fallback_column: ")
              .append(quote(t.suggestedCursorFallbackColumn()))
              .append("  # REVIEW: the cursor is nullable\n");
        }
      }
      y.append("    format: parquet\n");
      y.append("    compression: zstd\n");
      y.append("    meta_columns: {exported_at: true, row_hash: true}\n");
      y.append("    parquet: {target_row_group_mb: ").append(t.rowGroupMb()).append("}\n");
      if (!t.overrides().isEmpty()) {
        y.append("    columns:\n");
        for (Map.Entry<String, TableProfile.ColumnOverride> o : t.overrides().entrySet()) {
          y.append("      ")
              .append(quote(o.getKey()))
              .append(": ")
              .append(quote(o.getValue().type()))
              .append("  # REVIEW: ")
              .append(o.getValue().why())
              .append('\n');
        }
      }
      y.append("    destination: ").append(destination).append('\n');
    }
    return y.toString();
  }

  /** A filename-safe export name. */
  static String safe(String s) {
    String out = s.replaceAll("[^A-Za-z0-9_-]", "_");
    return out.startsWith("_") || out.startsWith("-") ? "t" + out : out;
  }

  /** A YAML scalar, double-quoted when it would not read back as the same plain string. */
  static String quote(String s) {
    if (s.matches("[A-Za-z_][A-Za-z0-9_.()/,-]*")
        && !s.matches("(?i)true|false|null|yes|no|on|off|~")) {
      return s;
    }
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
