package io.rivet.core.read;

import io.rivet.core.schema.ColumnMapping;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The value rules every reader shares: what a source value becomes in the written type, and the
 * error when it cannot become it exactly (the message names the column and the value and says what
 * to do).
 */
public final class Values {
  /** 24:00:00 in microseconds after midnight, PostgreSQL's largest {@code time}. */
  public static final long END_OF_DAY_MICROS = 86_400_000_000L;

  private Values() {}

  /**
   * A date that is a day (the driver's {@code ±infinity} is {@link LocalDate#MAX} / {@link
   * LocalDate#MIN}).
   */
  public static int epochDay(ColumnMapping m, LocalDate d) {
    if (d.equals(LocalDate.MAX) || d.equals(LocalDate.MIN)) {
      throw infinite(m, "date");
    }
    return Math.toIntExact(d.toEpochDay());
  }

  /**
   * Microseconds after midnight. pgjdbc reads PostgreSQL's {@code time '24:00:00'} as {@link
   * LocalTime#MAX} (no source type holds nanoseconds 999,999,999 otherwise); it is 24:00, as the
   * COPY path reads it.
   */
  public static long timeMicros(LocalTime t) {
    return t.equals(LocalTime.MAX) ? END_OF_DAY_MICROS : t.toNanoOfDay() / 1000;
  }

  /** A naive timestamp as microseconds of its wall-clock time. */
  @SuppressWarnings(
      "JavaLocalDateTimeGetNano") // the second's nanos, added to toEpochSecond's seconds
  public static long micros(ColumnMapping m, LocalDateTime t) {
    if (t.equals(LocalDateTime.MAX) || t.equals(LocalDateTime.MIN)) {
      throw infinite(m, "timestamp");
    }
    return micros(m, t.toEpochSecond(ZoneOffset.UTC), t.getNano(), t);
  }

  /** An instant as microseconds since the epoch. */
  public static long micros(ColumnMapping m, OffsetDateTime t) {
    if (t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN)) {
      throw infinite(m, "timestamp");
    }
    return micros(m, t.toEpochSecond(), t.getNano(), t);
  }

  private static long micros(ColumnMapping m, long seconds, int nanos, Object v) {
    try {
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1000);
    } catch (ArithmeticException e) {
      throw new BadValueException(
          "column "
              + m.name()
              + ": timestamp "
              + v
              + " is outside the range of microsecond timestamps",
          e);
    }
  }

  /** The value at exactly the column's scale, checked against its precision. */
  public static BigDecimal scaled(ColumnMapping m, BigDecimal v) {
    BigDecimal scaled;
    try {
      scaled = v.setScale(m.scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new BadValueException(
          "column "
              + m.name()
              + ": value "
              + v.toPlainString()
              + " has more than "
              + m.scale()
              + " decimal places; widen the columns: override to keep it exact",
          e);
    }
    if (scaled.precision() > m.precision()) {
      throw new BadValueException(
          "column "
              + m.name()
              + ": value "
              + v.toPlainString()
              + " does not fit decimal("
              + m.precision()
              + ","
              + m.scale()
              + ")",
          null);
    }
    return scaled;
  }

  /** A UUID (the driver's object or its canonical text) as 16 bytes, most significant first. */
  public static byte[] uuidBytes(Object v) {
    UUID u = v instanceof UUID id ? id : UUID.fromString(v.toString());
    byte[] b = new byte[16];
    long hi = u.getMostSignificantBits();
    long lo = u.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return b;
  }

  public static BadValueException infinite(ColumnMapping m, String what) {
    return new BadValueException(
        "column "
            + m.name()
            + ": the "
            + what
            + " is ±infinity, which no written "
            + what
            + " can hold; filter or cast it in the query",
        null);
  }

  public static BadValueException multiDimensional(ColumnMapping m) {
    return new BadValueException(
        "column "
            + m.name()
            + ": multi-dimensional arrays are not supported yet; unnest or"
            + " cast to text in the query",
        null);
  }

  /**
   * A driver value of another class or form than the column's type expects (an override to another
   * kind, say).
   */
  public static BadValueException notWritable(ColumnMapping m, RuntimeException e) {
    return new BadValueException(
        "column "
            + m.name()
            + ": a value cannot be written as "
            + m.describe()
            + " ("
            + e.getMessage()
            + "); check the columns: override or cast in the query",
        e);
  }
}
