package io.rivet.core.dialect.postgres;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.dialect.ChecksumSql;
import io.rivet.core.schema.ColumnMapping;
import java.util.List;

/**
 * PostgreSQL's SQL for the content checksum. Exact on PostgreSQL 12 and later: timestamps are taken
 * as whole seconds ({@code EXTRACT(epoch)} of the second) plus the microseconds of the second,
 * never through a double; floats through {@code float8send}; text through the type's output
 * function ({@code concat}), which keeps {@code char(n)}'s padding as binary COPY sends it.
 */
final class PostgresChecksumSql implements ChecksumSql {
  static final PostgresChecksumSql INSTANCE = new PostgresChecksumSql();

  private PostgresChecksumSql() {}

  @Override
  public String column(String name) {
    return ROWS + ".\"" + name.replace("\"", "\"\"") + "\"";
  }

  @Override
  public String token(ColumnMapping c, String e) {
    return "(CASE WHEN " + e + " IS NULL THEN 'N' ELSE " + present(c, e) + " END)";
  }

  private String present(ColumnMapping c, String e) {
    return switch (c.kind()) {
      case BOOLEAN -> "(CASE WHEN " + e + " THEN 't' ELSE 'f' END)";
      case INT16, INT32, INT64, UINT64 -> "(" + e + ")::text";
      case FLOAT32, FLOAT64 ->
          "(CASE WHEN ("
              + e
              + ")::float8 = 0 THEN '0000000000000000' WHEN ("
              + e
              + ")::float8 = 'NaN'::float8 THEN '7ff8000000000000'"
              + " ELSE encode(float8send(("
              + e
              + ")::float8), 'hex') END)";
      case DECIMAL -> "round((" + e + ")::numeric, " + c.scale() + ")::text";
      case DATE -> "((" + e + ")::date - DATE '1970-01-01')::text";
      case TIME_MICROS ->
          "((EXTRACT(hour FROM "
              + e
              + ")::bigint * 3600 + EXTRACT(minute FROM "
              + e
              + ")::bigint * 60) * 1000000 + EXTRACT(microseconds FROM "
              + e
              + ")::bigint)::text";
      case TIMESTAMP_MICROS, TIMESTAMPTZ_MICROS ->
          "(EXTRACT(epoch FROM date_trunc('second', "
              + e
              + "))::bigint * 1000000 + EXTRACT(microseconds FROM "
              + e
              + ")::bigint % 1000000)::text";
      case STRING, JSON -> "md5(concat(" + e + "))";
      case BYTES -> "md5(" + e + ")";
      case UUID -> "(" + e + ")::text";
      case LIST ->
          "md5('[' || coalesce((SELECT string_agg("
              + token(c.element(), "_rivet_u.v")
              + ", ',' ORDER BY _rivet_u.i) FROM unnest("
              + e
              + ") WITH ORDINALITY AS _rivet_u(v, i)), '') || ']')";
    };
  }

  @Override
  public String rowHash(String rowText) {
    return "('x' || substr(md5(" + rowText + "), 1, 16))::bit(64)::bigint";
  }

  @Override
  public String concat(List<String> parts) {
    if (parts.isEmpty()) {
      throw new RivetException(ErrorCode.INTERNAL, "a checksum needs at least one column");
    }
    return "(" + String.join(" || ", parts) + ")";
  }
}
