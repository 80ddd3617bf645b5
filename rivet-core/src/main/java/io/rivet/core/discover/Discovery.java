package io.rivet.core.discover;

import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig.TableRef;
import io.rivet.core.config.SourceType;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads the catalog — never a table's rows — and suggests, per table, how to export it (reference
 * §2.4): up to 100,000 rows {@code full}; larger with an integer primary key {@code chunked} on it
 * with checkpoints; with another unique non-null key {@code chunked} by that key (keyset pages);
 * with a timestamp column {@code incremental} on the best-scored one; otherwise {@code full}. The
 * planner statistics size the chunks and the parallelism, and columns the export cannot write as
 * they are get a {@code columns:} override marked for review.
 */
public final class Discovery {
  static final long FULL_MAX_ROWS = 100_000;
  private static final long CHUNK_TARGET_BYTES = 64L << 20;
  private static final long RSS_BUDGET_MB = 2048;

  private final Connection c;
  private final Dialect d;

  public Discovery(Connection c, Dialect d) {
    this.c = c;
    this.d = d;
  }

  /**
   * The tables of {@code schema} (the engine's default when null) whose names match an {@code
   * include} glob (all when none) and no {@code exclude} glob.
   */
  public List<TableRef> tables(String schema, List<String> include, List<String> exclude)
      throws SQLException {
    List<PathMatcher> in = matchers(include);
    List<PathMatcher> out = matchers(exclude);
    List<TableRef> tables = new ArrayList<>();
    for (TableRef t : d.tables(c, schema)) {
      Path name = Path.of(t.name());
      boolean included = in.isEmpty() || in.stream().anyMatch(m -> m.matches(name));
      if (included && out.stream().noneMatch(m -> m.matches(name))) {
        tables.add(t);
      }
    }
    return tables;
  }

  private static List<PathMatcher> matchers(List<String> globs) {
    List<PathMatcher> out = new ArrayList<>();
    for (String g : globs) {
      out.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
    }
    return out;
  }

  /** A table's profile and suggested strategy; {@code mode} forces a mode when not null. */
  public TableProfile profile(TableRef t, String mode) throws SQLException {
    List<String> notes = new ArrayList<>();
    OptionalLong est = d.rowEstimate(c, t);
    Long rows = est.isPresent() && est.getAsLong() >= 0 ? est.getAsLong() : null;
    OptionalLong avg = d.avgRowBytes(c, t);
    Long avgBytes = avg.isPresent() ? avg.getAsLong() : null;
    Long total = rows != null && avgBytes != null ? rows * avgBytes : null;
    if (rows == null) {
      notes.add(
          "no planner statistics (never analyzed): sized as a small table; analyze it and run init again");
    }
    Map<String, TableProfile.ColumnOverride> overrides = new LinkedHashMap<>();
    List<ColumnMapping> columns = columns(t, overrides, notes);
    Set<String> nullable = nullableColumns(t);
    String pk = d.integerPrimaryKey(c, t).orElse(null);
    List<String> keys = new ArrayList<>();
    if (pk != null) {
      keys.add(pk);
    }
    for (ColumnMapping m : columns) {
      boolean keyable =
          m.integral() || m.kind() == ColumnKind.STRING || m.kind() == ColumnKind.UUID;
      if (keyable && !m.name().equals(pk) && d.uniqueNotNull(c, t, m.name())) {
        keys.add(m.name());
      }
    }
    List<TableProfile.CursorCandidate> cursors = cursorCandidates(columns, nullable, pk);
    String fallback = fallback(cursors);

    long n = rows == null ? 0 : rows;
    String suggested;
    String chunkColumn = null;
    String keyset = null;
    String cursor = null;
    if (n <= FULL_MAX_ROWS) {
      suggested = "full";
      notes.add("up to " + FULL_MAX_ROWS + " rows: one statement");
    } else if (pk != null) {
      suggested = "chunked";
      chunkColumn = pk;
    } else if (keys.size() > 0) {
      suggested = "chunked";
      keyset = keys.get(0);
      notes.add("no integer primary key: chunked by the unique key " + keyset + " (keyset pages)");
    } else if (!cursors.isEmpty()) {
      suggested = "incremental";
      cursor = cursors.get(0).column();
      notes.add("no unique key: incremental on " + cursor);
    } else {
      suggested = "full";
      notes.add(
          "large, but no key to split it and no timestamp to follow: one statement; add an index or a key");
    }
    if (mode != null && !mode.equals(suggested)) {
      switch (mode) {
        case "full" -> {
          suggested = "full";
          chunkColumn = null;
          keyset = null;
          cursor = null;
        }
        case "chunked" -> {
          if (pk != null || !keys.isEmpty()) {
            suggested = "chunked";
            chunkColumn = pk;
            keyset = pk == null ? keys.get(0) : null;
            cursor = null;
          } else {
            notes.add("--mode chunked: the table has no key to chunk by; kept " + suggested);
          }
        }
        case "incremental" -> {
          if (!cursors.isEmpty()) {
            suggested = "incremental";
            cursor = cursors.get(0).column();
            chunkColumn = null;
            keyset = null;
          } else {
            notes.add("--mode incremental: the table has no timestamp column; kept " + suggested);
          }
        }
        default ->
            notes.add("--mode " + mode + ": init does not scaffold it yet; kept " + suggested);
      }
    }
    int parallel = n < 500_000 ? 1 : n < 5_000_000 ? 2 : 4;
    long rowBytes = avgBytes == null ? 256 : avgBytes;
    while (parallel > 1 && 16 + parallel * (18 + rowBytes * 87 / 4096) > RSS_BUDGET_MB) {
      parallel--;
    }
    if (d.sourceType() == SourceType.MYSQL && rowBytes > 4096 && parallel > 1) {
      parallel = 1;
      notes.add("wide rows on MySQL: parallel 1");
    }
    if (!"chunked".equals(suggested)) {
      parallel = 1;
    }
    Integer chunkSize = null;
    if ("chunked".equals(suggested)) {
      long size = CHUNK_TARGET_BYTES / Math.max(1, rowBytes);
      chunkSize = (int) Math.max(10_000, Math.min(1_000_000, size / 1000 * 1000));
    }
    long wideColumns =
        columns.stream()
            .filter(
                m ->
                    m.kind() == ColumnKind.STRING
                        || m.kind() == ColumnKind.JSON
                        || m.kind() == ColumnKind.BYTES)
            .count();
    return new TableProfile(
        t.schema(),
        t.name(),
        rows,
        total,
        suggested,
        chunkColumn,
        keyset,
        cursor,
        chunkSize,
        parallel,
        wideColumns >= 5 ? 64 : 128,
        cursors,
        fallback,
        keys,
        overrides,
        notes);
  }

  /**
   * The table's columns as rivet maps them; a column it cannot write as it is gets an override:
   * {@code decimal(38,18)} for a decimal without (or beyond) Parquet's precision, {@code text}
   * otherwise — both marked for review.
   */
  private List<ColumnMapping> columns(
      TableRef t, Map<String, TableProfile.ColumnOverride> overrides, List<String> notes)
      throws SQLException {
    String base = "SELECT * FROM " + d.tableRef(t);
    try {
      return d.mapColumns(c, base, Map.of());
    } catch (RivetException unsupported) {
      // Which ones: each column alone.
    }
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(d.schemaProbe(base));
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        types.put(md.getColumnLabel(i), md.getColumnTypeName(i));
      }
    }
    for (var e : types.entrySet()) {
      try {
        d.mapColumns(c, "SELECT " + d.quote(e.getKey()) + " FROM " + d.tableRef(t), Map.of());
      } catch (RivetException unsupported) {
        String type = e.getValue().toLowerCase(Locale.ROOT);
        if (type.contains("numeric") || type.contains("decimal")) {
          overrides.put(
              e.getKey(),
              new TableProfile.ColumnOverride(
                  "decimal(38,18)",
                  type
                      + " without a precision Parquet can hold: check the scale your values need"));
        } else {
          overrides.put(
              e.getKey(),
              new TableProfile.ColumnOverride(
                  "text", type + " has no exact Parquet type: exported as the server's text"));
        }
      }
    }
    Map<String, String> asText = new LinkedHashMap<>();
    overrides.forEach((k, v) -> asText.put(k, v.type()));
    try {
      return d.mapColumns(c, base, asText);
    } catch (RivetException still) {
      notes.add("columns rivet cannot export even with overrides: " + still.getMessage());
      return List.of();
    }
  }

  private Set<String> nullableColumns(TableRef t) throws SQLException {
    Set<String> out = new HashSet<>();
    DatabaseMetaData md = c.getMetaData();
    String catalog = d.sourceType() == SourceType.MYSQL ? schemaOrCatalog(t) : null;
    String schema = d.sourceType() == SourceType.MYSQL ? null : t.schema();
    try (ResultSet rs = md.getColumns(catalog, schema, t.name(), "%")) {
      while (rs.next()) {
        if (!"NO".equals(rs.getString("IS_NULLABLE"))) {
          out.add(rs.getString("COLUMN_NAME"));
        }
      }
    }
    return out;
  }

  private String schemaOrCatalog(TableRef t) throws SQLException {
    return t.schema() != null ? t.schema() : c.getCatalog();
  }

  /** Timestamp (and date) columns scored as incremental cursors, best first. */
  static List<TableProfile.CursorCandidate> cursorCandidates(
      List<ColumnMapping> columns, Set<String> nullable, String pk) {
    List<TableProfile.CursorCandidate> out = new ArrayList<>();
    for (ColumnMapping m : columns) {
      int score;
      List<String> reasons = new ArrayList<>();
      switch (m.kind()) {
        case TIMESTAMPTZ_MICROS, TIMESTAMP_MICROS -> {
          score = 50;
          reasons.add("a timestamp");
        }
        case DATE -> {
          score = 30;
          reasons.add("a date: a day's rows share one cursor value");
        }
        default -> {
          continue;
        }
      }
      String n = m.name().toLowerCase(Locale.ROOT);
      if (n.contains("updat") || n.contains("modif") || n.contains("changed")) {
        score += 40;
        reasons.add("named as a last-change time: catches updated rows");
      } else if (n.contains("creat") || n.contains("insert")) {
        score += 10;
        reasons.add("named as a creation time: catches new rows only");
      }
      boolean isNullable = nullable.contains(m.name());
      if (isNullable) {
        score -= 30;
        reasons.add("nullable: rows where it is NULL are not exported (use a fallback column)");
      }
      out.add(
          new TableProfile.CursorCandidate(
              m.name(), m.sourceType(), isNullable, m.name().equals(pk), score, reasons));
    }
    out.sort(Comparator.comparingInt(TableProfile.CursorCandidate::score).reversed());
    return out;
  }

  /** A non-null candidate to coalesce with when the best one is nullable. */
  private static String fallback(List<TableProfile.CursorCandidate> cursors) {
    if (cursors.isEmpty() || !cursors.get(0).isNullable()) {
      return null;
    }
    return cursors.stream()
        .skip(1)
        .filter(x -> !x.isNullable())
        .map(TableProfile.CursorCandidate::column)
        .findFirst()
        .orElse(null);
  }
}
