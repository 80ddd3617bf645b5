package io.rivet.core.plan;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.FileFormat;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the config says of the query's columns, checked against its real columns at plan time,
 * before any row is read: quality gates name existing columns, and a CSV export has no list column.
 */
final class ColumnChecks {
  private ColumnChecks() {}

  static void check(ExportConfig export, List<ColumnMapping> columns) {
    checkQualityColumns(export, columns);
    if (export.format() == FileFormat.CSV) {
      List<String> lists =
          columns.stream()
              .filter(m -> m.kind() == ColumnKind.LIST)
              .map(m -> m.name() + " (" + m.sourceType() + ")")
              .toList();
      if (!lists.isEmpty()) {
        throw new RivetException(
            ErrorCode.TYPE_UNSUPPORTED,
            "export '"
                + export.name()
                + "': CSV cannot carry list"
                + " column(s) "
                + lists
                + "; use format: parquet, or cast them to text in the query");
      }
    }
  }

  /** Quality gates name columns; a name that is not a column fails here, before any row is read. */
  private static void checkQualityColumns(ExportConfig export, List<ColumnMapping> columns) {
    Set<String> names = new LinkedHashSet<>();
    columns.forEach(m -> names.add(m.name()));
    List<String> problems = new ArrayList<>();
    for (String c : export.quality().nullRatioMax().keySet()) {
      if (!names.contains(c)) {
        problems.add("quality.null_ratio_max." + c);
      }
    }
    for (String c : export.quality().uniqueColumns()) {
      if (!names.contains(c)) {
        problems.add("quality.unique_columns: '" + c + "'");
      }
    }
    if (!problems.isEmpty()) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "exports["
              + export.name()
              + "]."
              + String.join(", ", problems)
              + (problems.size() == 1 ? " is not a column" : " are not columns")
              + " of the query; its columns are "
              + names
              + ". Fix the names in quality: — nothing was read or written");
    }
  }
}
