package io.rivet.core.dialect;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import io.rivet.core.schema.TypeOverride;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves a query's columns once, at plan time, with an engine's {@link Resolver}: applies {@code
 * columns:} overrides, and fails naming every unsupported column at once.
 */
public final class ColumnTypes {
  private ColumnTypes() {}

  /** An engine's type table: the mapping of one column, or null when the type is not supported. */
  public interface Resolver {
    ColumnMapping resolve(String name, String type, int precision, int scale) throws SQLException;

    /** What to tell the user about an unsupported column. */
    default String unsupported(String name, String type, int precision) {
      return name + " (" + type + ")";
    }
  }

  public static List<ColumnMapping> map(
      Connection c, String probeSql, Map<String, String> overrides, Resolver resolver)
      throws SQLException {
    List<ColumnMapping> out = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, String> pending = new LinkedHashMap<>(overrides);
    try (PreparedStatement ps = c.prepareStatement(probeSql);
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String name = md.getColumnLabel(i);
        if (!seen.add(name)) {
          throw new RivetException(
              ErrorCode.CONFIG_INVALID,
              "the query returns two columns named '"
                  + name
                  + "'; give each column a distinct alias (AS ...)");
        }
        String type = md.getColumnTypeName(i);
        String override = pending.remove(name);
        ColumnMapping m = resolver.resolve(name, type, md.getPrecision(i), md.getScale(i));
        if (override != null) {
          m =
              TypeOverride.parse(override)
                  .apply(m != null ? m : ColumnMapping.of(name, type, ColumnKind.STRING));
        }
        if (m == null) {
          unsupported.add(resolver.unsupported(name, type, md.getPrecision(i)));
        } else {
          out.add(m);
        }
      }
    }
    if (!pending.isEmpty()) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "columns: override(s) for "
              + pending.keySet()
              + " name no column of the query; the columns are "
              + out.stream().map(ColumnMapping::name).toList());
    }
    if (!unsupported.isEmpty()) {
      throw new RivetException(
          ErrorCode.TYPE_UNSUPPORTED,
          "unsupported column type(s): "
              + String.join("; ", unsupported)
              + ". Cast them in the query or add a columns: override ("
              + TypeOverride.ALLOWED
              + ")");
    }
    return out;
  }

  /** A decimal within Parquet's 38 digits, or null. */
  public static ColumnMapping decimal(String name, String type, int precision, int scale) {
    if (precision <= 0 || precision > 38 || scale < 0 || scale > precision) {
      return null;
    }
    return ColumnMapping.decimal(
        name, type + "(" + precision + "," + scale + ")", precision, scale);
  }
}
