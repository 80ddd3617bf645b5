package io.rivet.core.plan;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.CursorConfig;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.TimeWindowConfig;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.read.BoundValue;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The row filters of incremental and time_window exports: the base query wrapped with a bound
 * {@code WHERE}, and for incremental the cursor window captured at plan time.
 */
final class RowFilters {
  /** A filtered base query with its parameters, and the cursor window when incremental. */
  record Filtered(String base, List<BoundValue> params, CursorWindow cursor) {}

  private RowFilters() {}

  static Filtered incremental(
      Connection c,
      Dialect dialect,
      ExportConfig export,
      String base,
      List<ColumnMapping> columns,
      String storedCursor)
      throws SQLException {
    CursorConfig cc = export.cursor();
    ColumnMapping key = column(export, columns, cc.column(), "cursor_column");
    String alias = "_rivet_inc";
    String expr = alias + "." + dialect.quote(cc.column());
    if (cc.mode() == CursorConfig.Mode.COALESCE) {
      ColumnMapping fb = column(export, columns, cc.fallbackColumn(), "cursor_fallback_column");
      if (fb.kind() != key.kind()) {
        throw problem(
            export,
            "cursor_fallback_column",
            "'"
                + fb.name()
                + "' is "
                + fb.describe()
                + " but '"
                + key.name()
                + "' is "
                + key.describe()
                + "; COALESCE needs both of one type");
      }
      expr = "COALESCE(" + expr + ", " + alias + "." + dialect.quote(cc.fallbackColumn()) + ")";
    }
    String wrapped = "(" + base + ") AS " + alias;
    String high;
    try (PreparedStatement ps = c.prepareStatement("SELECT max(" + expr + ") FROM " + wrapped);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      high = text(rs, key);
    }
    checkStoredCursor(export, key, storedCursor);
    String low = storedCursor == null ? null : minusLag(export, key.kind(), storedCursor, cc.lag());
    CursorWindow window = new CursorWindow(key.kind(), storedCursor, low, high);
    List<BoundValue> params = new ArrayList<>();
    String where;
    if (high == null) {
      where = "1 = 0";
    } else if (low == null) {
      where = expr + " <= ?";
      params.add(new BoundValue(key.kind(), key.readAs(), high));
    } else {
      where = expr + " > ? AND " + expr + " <= ?";
      params.add(new BoundValue(key.kind(), key.readAs(), low));
      params.add(new BoundValue(key.kind(), key.readAs(), high));
    }
    return new Filtered(
        "SELECT " + alias + ".* FROM " + wrapped + " WHERE " + where, params, window);
  }

  /**
   * The cursor committed by the previous run must be a value of the cursor column's type; one that
   * is not (the state was edited, or the column's type changed since) is refused naming both,
   * before anything is read.
   */
  static void checkStoredCursor(ExportConfig export, ColumnMapping key, String stored) {
    if (stored == null) {
      return;
    }
    try {
      switch (key.kind()) {
        case INT16, INT32, INT64 -> Long.parseLong(stored);
        case DATE -> LocalDate.parse(stored);
        case TIMESTAMP_MICROS -> LocalDateTime.parse(stored);
        case TIMESTAMPTZ_MICROS -> OffsetDateTime.parse(stored);
        default -> {}
      }
    } catch (RuntimeException e) {
      throw new RivetException(
          ErrorCode.STATE_STORE_FAILED,
          "export '"
              + export.name()
              + "': the stored cursor '"
              + stored
              + "' is not a value of cursor column "
              + key.name()
              + " ("
              + key.describe()
              + "): the state was"
              + " edited, or the column's type changed since the last run. Nothing was read or written. Clear it with"
              + " 'rivet state reset -c <config> -e "
              + export.name()
              + "' (the next run exports every row again)");
    }
  }

  static Filtered timeWindow(
      Dialect dialect, ExportConfig export, String base, List<ColumnMapping> columns, Instant now) {
    TimeWindowConfig tw = export.timeWindow();
    ColumnMapping col = column(export, columns, tw.column(), "time_column");
    LocalDateTime since =
        LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(tw.days()).atStartOfDay();
    BoundValue v;
    if (tw.unix()) {
      if (!col.integral()) {
        throw problem(
            export,
            "time_column_type",
            "unix needs an integer column of epoch seconds; '"
                + col.name()
                + "' is "
                + col.describe());
      }
      v =
          new BoundValue(
              ColumnKind.INT64,
              ColumnMapping.ReadAs.DEFAULT,
              Long.toString(since.toEpochSecond(ZoneOffset.UTC)));
    } else {
      v =
          switch (col.kind()) {
            case DATE ->
                new BoundValue(ColumnKind.DATE, col.readAs(), since.toLocalDate().toString());
            case TIMESTAMP_MICROS ->
                new BoundValue(ColumnKind.TIMESTAMP_MICROS, col.readAs(), since.toString());
            case TIMESTAMPTZ_MICROS ->
                new BoundValue(
                    ColumnKind.TIMESTAMPTZ_MICROS,
                    col.readAs(),
                    since.atOffset(ZoneOffset.UTC).toString());
            default ->
                throw problem(
                    export,
                    "time_column",
                    "'"
                        + col.name()
                        + "' is "
                        + col.describe()
                        + "; time_window needs a date or timestamp column, or time_column_type: unix for epoch seconds");
          };
    }
    String alias = "_rivet_tw";
    return new Filtered(
        "SELECT "
            + alias
            + ".* FROM ("
            + base
            + ") AS "
            + alias
            + " WHERE "
            + alias
            + "."
            + dialect.quote(tw.column())
            + " >= ?",
        List.of(v),
        null);
  }

  private static ColumnMapping column(
      ExportConfig export, List<ColumnMapping> columns, String name, String key) {
    ColumnMapping m =
        columns.stream()
            .filter(x -> x.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    problem(
                        export,
                        key,
                        "'"
                            + name
                            + "' is not a column of the query; columns are "
                            + columns.stream().map(ColumnMapping::name).toList()));
    if (key.startsWith("cursor")
        && !m.integral()
        && m.kind() != ColumnKind.DATE
        && m.kind() != ColumnKind.TIMESTAMP_MICROS
        && m.kind() != ColumnKind.TIMESTAMPTZ_MICROS) {
      throw problem(
          export,
          key,
          "'"
              + name
              + "' is "
              + m.describe()
              + "; a cursor must be an integer, date or timestamp column");
    }
    return m;
  }

  private static RivetException problem(ExportConfig export, String key, String what) {
    return new RivetException(
        ErrorCode.CONFIG_INVALID, "exports[" + export.name() + "]." + key + ": " + what);
  }

  /**
   * A cursor value as stable text: integers as written, dates ISO, timestamps ISO with
   * microseconds, instants in UTC.
   */
  static String text(ResultSet rs, ColumnMapping key) throws SQLException {
    Object v =
        switch (key.kind()) {
          case INT16, INT32, INT64 -> rs.getObject(1) == null ? null : rs.getLong(1);
          case DATE -> rs.getObject(1, LocalDate.class);
          case TIMESTAMP_MICROS -> rs.getObject(1, LocalDateTime.class);
          case TIMESTAMPTZ_MICROS ->
              key.readAs() == ColumnMapping.ReadAs.DEFAULT
                  ? utc(rs.getObject(1, OffsetDateTime.class))
                  : utc(
                      rs.getObject(1, LocalDateTime.class) == null
                          ? null
                          : rs.getObject(1, LocalDateTime.class).atOffset(ZoneOffset.UTC));
          default -> rs.getString(1);
        };
    return v == null ? null : v.toString();
  }

  private static OffsetDateTime utc(OffsetDateTime t) {
    return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
  }

  static String minusLag(ExportConfig export, ColumnKind kind, String cursor, String lag) {
    if (lag == null) {
      return cursor;
    }
    String digits = lag.replaceAll("\\D", "");
    long n = Long.parseLong(digits);
    String unit = lag.substring(lag.indexOf(digits) + digits.length()).trim();
    if (kind == ColumnKind.INT16 || kind == ColumnKind.INT32 || kind == ColumnKind.INT64) {
      if (!unit.isEmpty()) {
        throw problem(
            export,
            "incremental.lag",
            "'" + lag + "' is a duration but the cursor is an integer; give a plain number");
      }
      return Long.toString(Long.parseLong(cursor) - n);
    }
    Duration d =
        switch (unit) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default ->
              throw problem(
                  export,
                  "incremental.lag",
                  "'" + lag + "' needs a unit (s, m, h, d) for a date or timestamp cursor");
        };
    return switch (kind) {
      case DATE -> LocalDate.parse(cursor).minusDays((d.toHours() + 23) / 24).toString();
      case TIMESTAMP_MICROS -> LocalDateTime.parse(cursor).minus(d).toString();
      default -> OffsetDateTime.parse(cursor).minus(d).toString();
    };
  }
}
