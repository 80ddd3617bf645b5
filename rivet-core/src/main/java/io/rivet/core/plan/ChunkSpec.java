package io.rivet.core.plan;

import java.io.Serializable;
import java.time.LocalDate;

/**
 * One chunk of an export:
 *
 * <ul>
 *   <li>{@link Kind#RANGE}: integer keys {@code [lo, hi)}; splittable;
 *   <li>{@link Kind#DENSE}: row ordinals {@code [lo, hi)} in key order; splittable;
 *   <li>{@link Kind#DAYS}: a date window, epoch days {@code [lo, hi)};
 *   <li>{@link Kind#KEYSET}: keys in {@code (keyFrom, keyTo]} (either end open when null), read in
 *       pages;
 *   <li>{@link Kind#NULL_KEYS}: the rows whose key is NULL;
 *   <li>{@link Kind#WHOLE}: the whole query (full mode).
 * </ul>
 */
public record ChunkSpec(int index, Kind kind, long lo, long hi, String keyFrom, String keyTo)
    implements Serializable {
  /** What a chunk selects. */
  public enum Kind {
    RANGE,
    DENSE,
    DAYS,
    KEYSET,
    NULL_KEYS,
    WHOLE
  }

  public static ChunkSpec range(int index, long lo, long hi) {
    return new ChunkSpec(index, Kind.RANGE, lo, hi, null, null);
  }

  public static ChunkSpec dense(int index, long lo, long hi) {
    return new ChunkSpec(index, Kind.DENSE, lo, hi, null, null);
  }

  public static ChunkSpec days(int index, LocalDate from, LocalDate until) {
    return new ChunkSpec(index, Kind.DAYS, from.toEpochDay(), until.toEpochDay(), null, null);
  }

  public static ChunkSpec keyset(int index, String keyFrom, String keyTo) {
    return new ChunkSpec(index, Kind.KEYSET, 0, 1, keyFrom, keyTo);
  }

  public static ChunkSpec nullKeys(int index) {
    return new ChunkSpec(index, Kind.NULL_KEYS, 0, 1, null, null);
  }

  public static ChunkSpec whole(int index) {
    return new ChunkSpec(index, Kind.WHOLE, 0, 1, null, null);
  }

  /**
   * Whether the restriction is a key or ordinal range that a runner may split; otherwise it is
   * {@code [0, 1)}.
   */
  public boolean keyed() {
    return kind == Kind.RANGE || kind == Kind.DENSE;
  }

  public String describe() {
    return switch (kind) {
      case RANGE -> "chunk " + index + " [" + lo + ".." + (hi - 1) + "]";
      case DENSE -> "chunk " + index + " [rows " + lo + ".." + (hi - 1) + "]";
      case DAYS ->
          "chunk "
              + index
              + " ["
              + LocalDate.ofEpochDay(lo)
              + ".."
              + LocalDate.ofEpochDay(hi)
              + ")";
      case KEYSET ->
          "chunk "
              + index
              + " ("
              + (keyFrom == null ? "start" : keyFrom)
              + ".."
              + (keyTo == null ? "end" : keyTo)
              + "]";
      case NULL_KEYS -> "chunk " + index + " [NULL keys]";
      case WHOLE -> "chunk " + index + " [whole query]";
    };
  }
}
