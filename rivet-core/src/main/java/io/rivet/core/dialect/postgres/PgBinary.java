package io.rivet.core.dialect.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Decoders of PostgreSQL's binary wire format (the {@code *_send} functions of the server) for the
 * types the export writes as numbers: no objects are made per value.
 */
public final class PgBinary {
  /** Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01. */
  static final long EPOCH_MICROS = 946_684_800_000_000L;

  /** Days from 1970-01-01 to 2000-01-01. */
  static final int EPOCH_DAYS = 10_957;

  /**
   * Returned by {@link #numericUnscaled} when the value needs the general path (NaN, ±Infinity,
   * lost digits, too long).
   */
  public static final long NOT_EXACT = Long.MIN_VALUE;

  private static final long[] POW10 = new long[19];
  private static final BigInteger TEN_TO_16 = BigInteger.TEN.pow(16);

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private PgBinary() {}

  /**
   * A binary timestamp or timestamptz as microseconds since 1970-01-01; ±infinity are
   * Long.MAX_VALUE/MIN_VALUE.
   */
  public static long timestampMicros(byte[] b) {
    return timestampMicros(b, 0);
  }

  /** {@link #timestampMicros(byte[])} of the 8 bytes at {@code at}. */
  public static long timestampMicros(byte[] b, int at) {
    long v = int64(b, at);
    return v == Long.MAX_VALUE || v == Long.MIN_VALUE ? v : v + EPOCH_MICROS;
  }

  public static boolean isInfinite(long micros) {
    return micros == Long.MAX_VALUE || micros == Long.MIN_VALUE;
  }

  /**
   * A binary date as days since 1970-01-01; ±infinity are Integer.MAX_VALUE/MIN_VALUE (returned as
   * they are).
   */
  public static long epochDay(byte[] b) {
    return epochDay(b, 0);
  }

  /** {@link #epochDay(byte[])} of the 4 bytes at {@code at}. */
  public static long epochDay(byte[] b, int at) {
    int v = int32(b, at);
    return v == Integer.MAX_VALUE || v == Integer.MIN_VALUE ? v : (long) v + EPOCH_DAYS;
  }

  public static boolean isInfiniteDay(long day) {
    return day == Integer.MAX_VALUE || day == Integer.MIN_VALUE;
  }

  /**
   * A binary numeric as the unscaled value at {@code scale}, exactly, when it has at most {@code
   * precision} (≤ 18) digits; otherwise {@link #NOT_EXACT} (NaN, ±Infinity, digits beyond the
   * scale, or too many digits), for the caller to take the general path, which explains the
   * problem.
   */
  public static long numericUnscaled(byte[] b, int scale, int precision) {
    return numericUnscaled(b, 0, scale, precision);
  }

  /** {@link #numericUnscaled(byte[], int, int)} of the numeric at {@code at}. */
  public static long numericUnscaled(byte[] b, int at, int scale, int precision) {
    int ndigits = uint16(b, at);
    int weight = (short) uint16(b, at + 2);
    int sign = uint16(b, at + 4);
    if (sign != 0x0000 && sign != 0x4000) {
      return NOT_EXACT;
    }
    long limit = POW10[Math.min(18, precision)];
    long acc = 0;
    for (int i = 0; i < ndigits; i++) {
      int digit = uint16(b, at + 8 + 2 * i);
      int exp = 4 * (weight - i) + scale;
      if (exp >= 0) {
        if (digit == 0) {
          continue;
        }
        if (exp >= 18 || digit > (limit - 1) / POW10[exp]) {
          return NOT_EXACT;
        }
        acc += digit * POW10[exp];
        if (acc >= limit) {
          return NOT_EXACT;
        }
      } else if (exp > -4) {
        long div = POW10[-exp];
        if (digit % div != 0) {
          return NOT_EXACT;
        }
        acc += digit / div;
        if (acc >= limit) {
          return NOT_EXACT;
        }
      } else if (digit != 0) {
        return NOT_EXACT;
      }
    }
    return sign == 0x4000 ? -acc : acc;
  }

  /**
   * A binary numeric of any size as a BigDecimal at its display scale; NaN and ±Infinity, which a
   * BigDecimal cannot hold, are refused with an IllegalArgumentException naming them.
   */
  public static BigDecimal numeric(byte[] b, int at) {
    int ndigits = uint16(b, at);
    int weight = (short) uint16(b, at + 2);
    int sign = uint16(b, at + 4);
    int dscale = uint16(b, at + 6);
    switch (sign) {
      case 0x0000, 0x4000 -> {}
      case 0xC000 -> throw new IllegalArgumentException("NaN");
      case 0xD000 -> throw new IllegalArgumentException("Infinity");
      case 0xF000 -> throw new IllegalArgumentException("-Infinity");
      default -> throw new IllegalArgumentException("numeric sign 0x" + Integer.toHexString(sign));
    }
    if (ndigits == 0) {
      return BigDecimal.ZERO.setScale(dscale);
    }
    BigInteger acc = BigInteger.ZERO;
    long small = 0;
    int pending = 0;
    for (int i = 0; i < ndigits; i++) {
      small = small * 10_000 + uint16(b, at + 8 + 2 * i);
      if (++pending == 4) {
        acc = acc.multiply(TEN_TO_16).add(BigInteger.valueOf(small));
        small = 0;
        pending = 0;
      }
    }
    if (pending > 0) {
      acc = acc.multiply(BigInteger.TEN.pow(4 * pending)).add(BigInteger.valueOf(small));
    }
    // The digits are acc · 10000^(weight − ndigits + 1); trailing digits past the display scale are
    // zeros.
    BigDecimal v = new BigDecimal(sign == 0x4000 ? acc.negate() : acc, -4 * (weight - ndigits + 1));
    return v.setScale(dscale, RoundingMode.UNNECESSARY);
  }

  public static short int16(byte[] b, int at) {
    return (short) uint16(b, at);
  }

  public static int int32(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24)
        | ((b[at + 1] & 0xFF) << 16)
        | ((b[at + 2] & 0xFF) << 8)
        | (b[at + 3] & 0xFF);
  }

  public static long int64(byte[] b, int at) {
    return ((long) int32(b, at) << 32) | (int32(b, at + 4) & 0xFFFF_FFFFL);
  }

  private static int uint16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
