package io.rivet.core.plan;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.PartitionConfig;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.read.BoundValue;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a partitioned export into day/month/year children (reference §3.5) and filters each child's
 * rows.
 */
final class Partitions {
  static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";
  private static final int MAX_BUCKETS = 100_000;

  private Partitions() {}

  static List<PartitionBucket> buckets(
      Connection c, Dialect dialect, ExportConfig export, String base) throws SQLException {
    PartitionConfig p = export.partition();
    List<PartitionBucket> out = new ArrayList<>();
    String min;
    String max;
    try (PreparedStatement ps = c.prepareStatement(dialect.boundsQuery(base, p.column()));
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      min = rs.getString(1);
      max = rs.getString(2);
    }
    if (min != null) {
      LocalDate from = truncate(LocalDate.parse(min.substring(0, 10)), p.granularity());
      LocalDate last = LocalDate.parse(max.substring(0, 10));
      while (!from.isAfter(last)) {
        LocalDate next = step(from, p.granularity());
        String value = label(from, p.granularity());
        out.add(
            new PartitionBucket(
                export.name() + "__" + value,
                p.column() + "=" + value,
                from.toString(),
                next.toString()));
        if (out.size() > MAX_BUCKETS) {
          throw new RivetException(
              ErrorCode.CONFIG_INVALID,
              "exports["
                  + export.name()
                  + "].partition_granularity: "
                  + min
                  + ".."
                  + max
                  + " makes more than "
                  + MAX_BUCKETS
                  + " partitions; use a coarser granularity");
        }
        from = next;
      }
    }
    try (PreparedStatement ps = c.prepareStatement(dialect.nullProbe(base, p.column()));
        ResultSet rs = ps.executeQuery()) {
      if (rs.next()) {
        out.add(
            new PartitionBucket(
                export.name() + "__" + NULL_VALUE, p.column() + "=" + NULL_VALUE, null, null));
      }
    }
    return out;
  }

  /**
   * The partition column must be a date or timestamp column of the query (checked before its bounds
   * are read).
   */
  static void checkColumn(ExportConfig export, List<ColumnMapping> columns) {
    String column = export.partition().column();
    if (columns.stream().noneMatch(x -> x.name().equals(column))) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "exports["
              + export.name()
              + "].partition_by: '"
              + column
              + "' is not a column of the query; its columns are "
              + columns.stream().map(ColumnMapping::name).toList()
              + ". Nothing was read or written");
    }
  }

  static RowFilters.Filtered filter(
      Dialect dialect,
      RowFilters.Filtered in,
      PartitionBucket bucket,
      List<ColumnMapping> columns,
      ExportConfig export) {
    String column = export.partition().column();
    ColumnMapping m =
        columns.stream()
            .filter(x -> x.name().equals(column))
            .findFirst()
            .orElseThrow(
                () ->
                    new RivetException(
                        ErrorCode.CONFIG_INVALID,
                        "exports["
                            + export.name()
                            + "].partition_by: '"
                            + column
                            + "' is not a column of the query"));
    String alias = "_rivet_part";
    String col = alias + "." + dialect.quote(column);
    List<BoundValue> params = new ArrayList<>(in.params());
    String where;
    if (bucket.nullBucket()) {
      where = col + " IS NULL";
    } else {
      where = col + " >= ? AND " + col + " < ?";
      params.add(value(m, export, bucket.lo()));
      params.add(value(m, export, bucket.hi()));
    }
    return new RowFilters.Filtered(
        "SELECT " + alias + ".* FROM (" + in.base() + ") AS " + alias + " WHERE " + where,
        params,
        in.cursor());
  }

  private static BoundValue value(ColumnMapping m, ExportConfig export, String day) {
    LocalDateTime midnight = LocalDate.parse(day).atStartOfDay();
    return switch (m.kind()) {
      case DATE -> new BoundValue(ColumnKind.DATE, m.readAs(), day);
      case TIMESTAMP_MICROS ->
          new BoundValue(ColumnKind.TIMESTAMP_MICROS, m.readAs(), midnight.toString());
      case TIMESTAMPTZ_MICROS ->
          new BoundValue(
              ColumnKind.TIMESTAMPTZ_MICROS,
              m.readAs(),
              midnight.atOffset(ZoneOffset.UTC).toString());
      default ->
          throw new RivetException(
              ErrorCode.CONFIG_INVALID,
              "exports["
                  + export.name()
                  + "].partition_by: '"
                  + m.name()
                  + "' is "
                  + m.describe()
                  + "; partitions need a date or timestamp column");
    };
  }

  private static LocalDate truncate(LocalDate d, PartitionConfig.Granularity g) {
    return switch (g) {
      case DAY -> d;
      case MONTH -> d.withDayOfMonth(1);
      case YEAR -> d.withDayOfYear(1);
    };
  }

  private static LocalDate step(LocalDate d, PartitionConfig.Granularity g) {
    return switch (g) {
      case DAY -> d.plusDays(1);
      case MONTH -> d.plusMonths(1);
      case YEAR -> d.plusYears(1);
    };
  }

  private static String label(LocalDate d, PartitionConfig.Granularity g) {
    return switch (g) {
      case DAY -> d.toString();
      case MONTH -> d.toString().substring(0, 7);
      case YEAR -> d.toString().substring(0, 4);
    };
  }
}
