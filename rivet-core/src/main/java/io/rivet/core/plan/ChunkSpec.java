package io.rivet.core.plan;

import java.io.Serializable;

/**
 * One chunk of an export: a half-open key range {@code [lo, hi)} of the chunk column, the rows whose key is
 * NULL ({@link Kind#NULL_KEYS}), or the whole query ({@link Kind#WHOLE}, for full mode).
 */
public record ChunkSpec(int index, Kind kind, long lo, long hi) implements Serializable {
  /** What a chunk selects. */
  public enum Kind {
    RANGE,
    NULL_KEYS,
    WHOLE
  }

  public static ChunkSpec range(int index, long lo, long hi) {
    return new ChunkSpec(index, Kind.RANGE, lo, hi);
  }

  public static ChunkSpec nullKeys(int index) {
    return new ChunkSpec(index, Kind.NULL_KEYS, 0, 1);
  }

  public static ChunkSpec whole(int index) {
    return new ChunkSpec(index, Kind.WHOLE, 0, 1);
  }

  /** The restriction a splittable reader works through: the key range, or {@code [0, 1)} when not keyed. */
  public boolean keyed() {
    return kind == Kind.RANGE;
  }

  public String describe() {
    return switch (kind) {
      case RANGE -> "chunk " + index + " [" + lo + ".." + (hi - 1) + "]";
      case NULL_KEYS -> "chunk " + index + " [NULL keys]";
      case WHOLE -> "chunk " + index + " [whole query]";
    };
  }
}
