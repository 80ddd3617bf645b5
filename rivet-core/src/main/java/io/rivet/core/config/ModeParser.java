package io.rivet.core.config;

import java.util.List;
import java.util.Set;

/**
 * Reads the keys that say which rows of the source a run reads over time: the incremental cursor
 * ({@code cursor_column}, {@code incremental.lag}), the time window, and {@code partition_by}; each
 * valid only with its mode.
 */
final class ModeParser {
  static final Set<String> INCREMENTAL_KEYS = Set.of("lag");

  private final YamlObject node;
  private final List<String> notSupported;

  ModeParser(YamlObject node, List<String> notSupported) {
    this.node = node;
    this.notSupported = notSupported;
  }

  CursorConfig cursor(ExportMode mode) {
    String column = node.string("cursor_column");
    String fallback = node.string("cursor_fallback_column");
    CursorConfig.Mode cm =
        node.enumValue(
            "incremental_cursor_mode", CursorConfig.Mode.class, CursorConfig.Mode.SINGLE_COLUMN);
    YamlObject inc = node.object("incremental");
    String lag = null;
    if (inc != null) {
      inc.rejectUnknown(INCREMENTAL_KEYS);
      lag = inc.string("lag");
      if (lag != null && !lag.trim().matches("\\d+\\s*(s|m|h|d)?")) {
        inc.problem(
            "lag",
            "'"
                + lag
                + "' is not a lag; write a number (integer cursors) or a duration like 30s, 15m, 2h, 1d");
      }
    }
    if (mode != ExportMode.INCREMENTAL) {
      for (String k :
          List.of(
              "cursor_column",
              "cursor_fallback_column",
              "incremental_cursor_mode",
              "incremental")) {
        if (node.has(k)) {
          node.problem(
              k, "is only valid with mode: incremental; set mode: incremental or remove it");
        }
      }
      return null;
    }
    if (column == null) {
      node.problem(
          "cursor_column",
          "mode incremental needs cursor_column (the column that grows with every change)");
    }
    if (cm == CursorConfig.Mode.COALESCE && fallback == null) {
      node.problem(
          "cursor_fallback_column",
          "incremental_cursor_mode: coalesce needs cursor_fallback_column");
    }
    if (cm == CursorConfig.Mode.SINGLE_COLUMN && fallback != null) {
      node.problem(
          "cursor_fallback_column",
          "is only used with incremental_cursor_mode: coalesce; set it or remove this key");
    }
    return new CursorConfig(column, fallback, cm, lag == null ? null : lag.trim());
  }

  TimeWindowConfig timeWindow(ExportMode mode) {
    if (mode != ExportMode.TIME_WINDOW) {
      for (String k : List.of("time_column", "time_column_type", "days_window")) {
        if (node.has(k)) {
          node.problem(
              k, "is only valid with mode: time_window; set mode: time_window or remove it");
        }
      }
      return null;
    }
    String column = node.requiredString("time_column", "mode time_window needs time_column");
    String type = node.string("time_column_type");
    if (type != null && !type.equals("timestamp") && !type.equals("unix")) {
      node.problem("time_column_type", "unknown value '" + type + "'; allowed: timestamp, unix");
    }
    Integer days = node.intValue("days_window", 1, 36_600);
    if (days == null && !node.has("days_window")) {
      node.problem(
          "days_window", "mode time_window needs days_window (how many days back to export)");
    }
    return new TimeWindowConfig(column, "unix".equals(type), days == null ? 1 : days);
  }

  PartitionConfig partition(ExportMode mode) {
    String column = node.string("partition_by");
    PartitionConfig.Granularity g =
        node.enumValue(
            "partition_granularity",
            PartitionConfig.Granularity.class,
            PartitionConfig.Granularity.DAY);
    if (column == null) {
      if (node.has("partition_granularity")) {
        node.problem(
            "partition_granularity",
            "is only used with partition_by; set partition_by or remove it");
      }
      return null;
    }
    if (mode == ExportMode.TIME_WINDOW) {
      node.problem("partition_by", "cannot be combined with mode: time_window; remove one of them");
    }
    if (mode == ExportMode.INCREMENTAL) {
      notSupported.add(node.pathOf("partition_by") + " with mode: incremental");
    }
    if (node.has("chunk_by_key")) {
      node.problem("partition_by", "cannot be combined with chunk_by_key; remove one of them");
    }
    YamlObject d = node.object("destination");
    String path =
        d == null ? null : (d.string("path") != null ? d.string("path") : d.string("prefix"));
    if (path != null && !path.contains("{partition}")) {
      node.problem(
          "destination",
          "partition_by needs a {partition} placeholder in the destination path, e.g."
              + " path: \"./out/{export}/{partition}\"");
    }
    return new PartitionConfig(column, g);
  }
}
