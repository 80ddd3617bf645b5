package io.rivet.core.dialect.postgres;

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

/** PostgreSQL column types → written types; resolved once per export at plan time (reference §6.3). */
final class PostgresTypes {
  private static final String TYPE_KIND = "SELECT t.typtype FROM pg_type t WHERE t.oid = to_regtype(?)";

  private final Connection connection;

  PostgresTypes(Connection connection) {
    this.connection = connection;
  }

  List<ColumnMapping> map(String probeSql, Map<String, String> overrides) throws SQLException {
    List<ColumnMapping> out = new ArrayList<>();
    List<String> unsupported = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, String> pending = new LinkedHashMap<>(overrides);
    try (PreparedStatement ps = connection.prepareStatement(probeSql);
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData md = rs.getMetaData();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        String name = md.getColumnLabel(i);
        if (!seen.add(name)) {
          throw new RivetException(ErrorCode.CONFIG_INVALID, "the query returns two columns named '" + name
              + "'; give each column a distinct alias (AS ...)");
        }
        String type = md.getColumnTypeName(i);
        String override = pending.remove(name);
        ColumnMapping m = resolve(name, type, md.getPrecision(i), md.getScale(i));
        if (override != null) {
          m = TypeOverride.parse(override).apply(m != null ? m : ColumnMapping.of(name, type, ColumnKind.STRING));
        }
        if (m == null) {
          unsupported.add(describeUnsupported(name, type, md.getPrecision(i)));
        } else {
          out.add(m);
        }
      }
    }
    if (!pending.isEmpty()) {
      throw new RivetException(ErrorCode.CONFIG_INVALID, "columns: override(s) for " + pending.keySet()
          + " name no column of the query; the columns are " + out.stream().map(ColumnMapping::name).toList());
    }
    if (!unsupported.isEmpty()) {
      throw new RivetException(ErrorCode.TYPE_UNSUPPORTED, "unsupported column type(s): " + String.join("; ", unsupported)
          + ". Cast them in the query (e.g. col::text) or add a columns: override (" + TypeOverride.ALLOWED + ")");
    }
    return out;
  }

  private static String describeUnsupported(String name, String type, int precision) {
    if (type.equals("numeric")) {
      return name + " (numeric without precision/scale" + (precision > 38 ? " or precision above 38" : "")
          + ": add columns: {" + name + ": decimal(p,s)})";
    }
    return name + " (" + type + ")";
  }

  /** The mapping of a column, or null when the type is not supported. */
  ColumnMapping resolve(String name, String type, int precision, int scale) throws SQLException {
    if (type.startsWith("_")) {
      ColumnMapping element = resolve("element", type.substring(1), 0, 0);
      if (element == null || !arrayElementSupported(element.kind())) {
        return null;
      }
      return ColumnMapping.list(name, type, element);
    }
    ColumnKind kind = switch (type) {
      case "int2" -> ColumnKind.INT16;
      case "int4", "serial" -> ColumnKind.INT32;
      case "int8", "bigserial", "oid" -> ColumnKind.INT64;
      case "float4" -> ColumnKind.FLOAT32;
      case "float8" -> ColumnKind.FLOAT64;
      case "bool" -> ColumnKind.BOOLEAN;
      case "text", "varchar", "bpchar", "name", "char", "citext" -> ColumnKind.STRING;
      case "bytea" -> ColumnKind.BYTES;
      case "date" -> ColumnKind.DATE;
      case "time" -> ColumnKind.TIME_MICROS;
      case "timestamp" -> ColumnKind.TIMESTAMP_MICROS;
      case "timestamptz" -> ColumnKind.TIMESTAMPTZ_MICROS;
      case "uuid" -> ColumnKind.UUID;
      case "json", "jsonb" -> ColumnKind.JSON;
      case "numeric" -> ColumnKind.DECIMAL;
      default -> isEnum(type) ? ColumnKind.STRING : null;
    };
    if (kind == ColumnKind.DECIMAL) {
      // pgjdbc reports precision 0 (or the 1000-digit maximum) for a numeric declared without (p,s).
      if (precision <= 0 || precision > 38 || scale < 0 || scale > precision) {
        return null;
      }
      return ColumnMapping.decimal(name, type + "(" + precision + "," + scale + ")", precision, scale);
    }
    return kind == null ? null : ColumnMapping.of(name, type, kind);
  }

  private static boolean arrayElementSupported(ColumnKind k) {
    return switch (k) {
      case INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, UUID -> true;
      default -> false;
    };
  }

  private boolean isEnum(String type) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(TYPE_KIND)) {
      ps.setString(1, type);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "e".equals(rs.getString(1));
      }
    }
  }
}
