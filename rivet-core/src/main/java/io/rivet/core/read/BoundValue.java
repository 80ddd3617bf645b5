package io.rivet.core.read;

import io.rivet.core.schema.ColumnKind;
import io.rivet.core.schema.ColumnMapping;
import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A value bound as {@code ?} into a plan's base query (cursor window, time window), kept as text so
 * the plan stays serializable and readable; bound with the Java type its column expects.
 */
public record BoundValue(ColumnKind kind, ColumnMapping.ReadAs readAs, String text)
    implements Serializable {

  public void bind(PreparedStatement ps, int index) throws SQLException {
    switch (kind) {
      case INT16, INT32, INT64 -> ps.setLong(index, Long.parseLong(text));
      case DATE -> ps.setObject(index, LocalDate.parse(text));
      case TIMESTAMP_MICROS -> ps.setObject(index, LocalDateTime.parse(text));
      case TIMESTAMPTZ_MICROS -> {
        OffsetDateTime t = OffsetDateTime.parse(text);
        if (readAs == ColumnMapping.ReadAs.DEFAULT) {
          ps.setObject(index, t);
        } else {
          // MySQL TIMESTAMP: the session is at +00:00, so the instant is bound as its UTC wall
          // clock.
          ps.setObject(index, t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        }
      }
      default -> ps.setString(index, text);
    }
  }
}
