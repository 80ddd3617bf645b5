package io.rivet.core.dialect.postgres;

import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;

/**
 * Values as PostgreSQL literals, for the statements that take no parameters (binary COPY): typed as
 * a bound parameter of the same value would be.
 */
final class PgLiterals {
  private PgLiterals() {}

  /**
   * A keyset key as a literal: integers as bigint, uuids as uuid, text as an escape string constant
   * of unknown type (so it takes the key column's own type and collation, as a bound parameter
   * does), its backslashes and quotes escaped — the same whatever {@code
   * standard_conforming_strings} says.
   */
  static String key(ColumnMapping key, String value) {
    if (key.integral()) {
      return int8(Long.parseLong(value));
    }
    if (key.kind() == ColumnKind.UUID) {
      return "'" + UUID.fromString(value) + "'::uuid";
    }
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /**
   * A bigint literal, as a bound parameter would be typed (quoted, so Long.MIN_VALUE parses too).
   */
  static String int8(long v) {
    return "'" + v + "'::bigint";
  }

  /**
   * A date literal, as a bound {@code LocalDate} is typed; only for years 1–9999 (Java prints
   * others with a sign PostgreSQL does not read): empty otherwise, and the window is bound through
   * the driver.
   */
  static Optional<String> date(LocalDate d) {
    return d.getYear() >= 1 && d.getYear() <= 9999
        ? Optional.of("'" + d + "'::date")
        : Optional.empty();
  }
}
