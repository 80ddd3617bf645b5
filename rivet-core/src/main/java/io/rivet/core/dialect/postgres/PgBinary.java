package io.rivet.core.dialect.postgres;

/**
 * Decoders of PostgreSQL's binary wire format (the {@code *_send} functions of the server) for the types the
 * export writes as numbers: no objects are made per value.
 */
public final class PgBinary {
  /** Microseconds from 1970-01-01 to PostgreSQL's epoch, 2000-01-01. */
  static final long EPOCH_MICROS = 946_684_800_000_000L;
  /** Days from 1970-01-01 to 2000-01-01. */
  static final int EPOCH_DAYS = 10_957;
  /** Returned by {@link #numericUnscaled} when the value needs the general path (NaN, ±Infinity, lost digits, too long). */
  public static final long NOT_EXACT = Long.MIN_VALUE;

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private PgBinary() {}

  /** A binary timestamp or timestamptz as microseconds since 1970-01-01; ±infinity are Long.MAX_VALUE/MIN_VALUE. */
  public static long timestampMicros(byte[] b) {
    long v = int64(b);
    return v == Long.MAX_VALUE || v == Long.MIN_VALUE ? v : v + EPOCH_MICROS;
  }

  public static boolean isInfinite(long micros) {
    return micros == Long.MAX_VALUE || micros == Long.MIN_VALUE;
  }

  /** A binary date as days since 1970-01-01; ±infinity are Integer.MAX_VALUE/MIN_VALUE (returned as they are). */
  public static long epochDay(byte[] b) {
    int v = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    return v == Integer.MAX_VALUE || v == Integer.MIN_VALUE ? v : (long) v + EPOCH_DAYS;
  }

  public static boolean isInfiniteDay(long day) {
    return day == Integer.MAX_VALUE || day == Integer.MIN_VALUE;
  }

  /**
   * A binary numeric as the unscaled value at {@code scale}, exactly, when it has at most {@code precision} (≤ 18)
   * digits; otherwise {@link #NOT_EXACT} (NaN, ±Infinity, digits beyond the scale, or too many digits), for the
   * caller to take the general path, which explains the problem.
   */
  public static long numericUnscaled(byte[] b, int scale, int precision) {
    int ndigits = uint16(b, 0);
    int weight = (short) uint16(b, 2);
    int sign = uint16(b, 4);
    if (sign != 0x0000 && sign != 0x4000) {
      return NOT_EXACT;
    }
    long limit = POW10[Math.min(18, precision)];
    long acc = 0;
    for (int i = 0; i < ndigits; i++) {
      int digit = uint16(b, 8 + 2 * i);
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

  private static int uint16(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static long int64(byte[] b) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }
}
