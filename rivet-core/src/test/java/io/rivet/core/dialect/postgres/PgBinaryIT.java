package io.rivet.core.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.TestingPostgresServer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The binary decoders against the server's own encoder ({@code *_send}), value by value, with the
 * expected value computed independently (BigDecimal arithmetic, java.time via the driver's text
 * path).
 */
class PgBinaryIT {
  private static TestingPostgresServer pg;
  private static Connection c;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    c = pg.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    c.close();
    pg.close();
  }

  @Test
  void numericsAtEveryScaleAndPrecision() throws Exception {
    List<String> values =
        new ArrayList<>(
            List.of(
                "0",
                "-0",
                "1",
                "-1",
                "0.01",
                "-0.01",
                "0.1",
                "10",
                "10000",
                "100000000",
                "12345678.90",
                "9999999999.99",
                "-9999999999.99",
                "10000000000.00",
                "0.005",
                "1.10",
                "1.1000",
                "123456789012345678",
                "999999999999999999",
                "1000000000000000000",
                "0.000000000000000001",
                "1e-20",
                "98765.4321",
                "0.00010000",
                "5000000000000000.5",
                "NaN",
                "Infinity",
                "-Infinity",
                "1e30"));
    Random r = new Random(42);
    for (int i = 0; i < 3000; i++) {
      BigDecimal v = BigDecimal.valueOf(r.nextLong() >> r.nextInt(63), r.nextInt(24) - 4);
      values.add(v.toPlainString());
    }
    int[][] typmods = {
      {12, 2}, {18, 4}, {18, 0}, {9, 2}, {4, 4}, {18, 18}, {10, 0}, {1, 0}, {15, 6}
    };
    int checked = 0;
    int exact = 0;
    try (PreparedStatement ps = c.prepareStatement("SELECT numeric_send(?::numeric)")) {
      for (String text : values) {
        ps.setString(1, text);
        byte[] wire;
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          wire = rs.getBytes(1);
        }
        for (int[] t : typmods) {
          long expected = expectedUnscaled(text, t[0], t[1]);
          assertThat(PgBinary.numericUnscaled(wire, t[1], t[0]))
              .as("%s as numeric(%d,%d)", text, t[0], t[1])
              .isEqualTo(expected);
          checked++;
          exact += expected == PgBinary.NOT_EXACT ? 0 : 1;
        }
      }
    }
    assertThat(checked).isGreaterThan(27_000);
    assertThat(exact).isGreaterThan(1_000);
  }

  @Test
  void numericsOfAnySizeAsBigDecimalAtTheirDisplayScale() throws Exception {
    List<String> values =
        new ArrayList<>(
            List.of(
                "0",
                "-0",
                "0.000",
                "1",
                "-1",
                "10000",
                "9999",
                "0.0001",
                "0.00001",
                "-9999999999999999999999999999.9999999999",
                "1234567890123456789012345678.0123456789",
                "1e30",
                "1e-30",
                "123456789012345678901234567890.12",
                "-0.5",
                "100000000",
                "99999999.99999999"));
    Random r = new Random(11);
    for (int i = 0; i < 2000; i++) {
      values.add(
          new BigDecimal(new BigInteger(r.nextInt(130) + 1, r), r.nextInt(40) - 8)
              .multiply(BigDecimal.valueOf(r.nextBoolean() ? 1 : -1))
              .toPlainString());
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT numeric_send(?::numeric), ?::numeric::text")) {
      for (String text : values) {
        ps.setString(1, text);
        ps.setString(2, text);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          BigDecimal decoded = PgBinary.numeric(rs.getBytes(1), 0);
          // The server's own text at its display scale: the same digits and the same scale.
          assertThat(decoded.toPlainString()).as(text).isEqualTo(rs.getString(2));
        }
      }
    }
    for (String special : List.of("NaN", "Infinity", "-Infinity")) {
      try (ResultSet rs =
          c.createStatement().executeQuery("SELECT numeric_send('" + special + "'::numeric)")) {
        rs.next();
        byte[] wire = rs.getBytes(1);
        Assertions.assertThatThrownBy(() -> PgBinary.numeric(wire, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(special);
      }
    }
  }

  private static long expectedUnscaled(String text, int precision, int scale) {
    BigDecimal v;
    try {
      v = new BigDecimal(text);
    } catch (NumberFormatException nanOrInfinity) {
      return PgBinary.NOT_EXACT;
    }
    try {
      BigDecimal s = v.setScale(scale, RoundingMode.UNNECESSARY);
      return s.unscaledValue().abs().compareTo(BigDecimal.TEN.pow(precision).toBigInteger()) >= 0
          ? PgBinary.NOT_EXACT
          : s.unscaledValue().longValueExact();
    } catch (ArithmeticException lostDigits) {
      return PgBinary.NOT_EXACT;
    }
  }

  @Test
  void timestampsAndDates() throws Exception {
    List<String> values =
        new ArrayList<>(
            List.of(
                "2000-01-01 00:00:00",
                "1970-01-01 00:00:00",
                "1999-12-31 23:59:59.999999",
                "2024-02-29 12:34:56.123456",
                "1900-01-01 00:00:00.000001",
                "0044-03-15 12:00:00 BC",
                "9999-12-31 23:59:59.999999",
                "1969-12-31 23:59:59.5",
                "2262-04-11 23:47:16.854775",
                "4713-01-01 00:00:00 BC",
                "200000-01-01 00:00:00"));
    Random r = new Random(7);
    for (int i = 0; i < 500; i++) {
      values.add(
          LocalDateTime.ofEpochSecond(
                  r.nextLong(-60_000_000_000L, 250_000_000_000L),
                  r.nextInt(1_000_000) * 1000,
                  ZoneOffset.UTC)
              .toString()
              .replace('T', ' '));
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT timestamptz_send(v), timestamp_send(v::timestamp), date_send(v::date),"
                + " v, v::timestamp, v::date FROM (SELECT (?::text || '+00')::timestamptz AS v) x")) {
      for (String text : values) {
        ps.setString(1, text);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          OffsetDateTime tz = rs.getObject(4, OffsetDateTime.class);
          LocalDateTime local = rs.getObject(5, LocalDateTime.class);
          LocalDate day = rs.getObject(6, LocalDate.class);
          assertThat(PgBinary.timestampMicros(rs.getBytes(1)))
              .as(text)
              .isEqualTo(tz.toEpochSecond() * 1_000_000L + tz.getNano() / 1000);
          assertThat(PgBinary.timestampMicros(rs.getBytes(2)))
              .as(text)
              .isEqualTo(ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), local));
          assertThat(PgBinary.epochDay(rs.getBytes(3))).as(text).isEqualTo(day.toEpochDay());
        }
      }
    }
  }

  @Test
  void infinitiesAreRecognised() throws Exception {
    try (ResultSet rs =
        c.createStatement()
            .executeQuery(
                "SELECT timestamptz_send('infinity'), timestamptz_send('-infinity'),"
                    + " date_send('infinity'), date_send('-infinity')")) {
      rs.next();
      assertThat(PgBinary.isInfinite(PgBinary.timestampMicros(rs.getBytes(1)))).isTrue();
      assertThat(PgBinary.isInfinite(PgBinary.timestampMicros(rs.getBytes(2)))).isTrue();
      assertThat(PgBinary.isInfiniteDay(PgBinary.epochDay(rs.getBytes(3)))).isTrue();
      assertThat(PgBinary.isInfiniteDay(PgBinary.epochDay(rs.getBytes(4)))).isTrue();
    }
  }
}
