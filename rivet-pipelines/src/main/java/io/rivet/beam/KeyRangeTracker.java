package io.rivet.beam;

import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;

/**
 * Tracks a chunk's key range. Keys arrive in ascending order but need not be unique, so claiming a
 * key at or below the last claimed one succeeds (a repeated key, or a retried read of keys whose
 * part was aborted). A runner's dynamic split (fraction &gt; 0) is accepted; a checkpoint request
 * (fraction 0, which the DirectRunner sends every second) is declined, because each checkpoint
 * would cut the part file short — the chunk size, not the runner's clock, decides how big parts
 * are.
 */
final class KeyRangeTracker extends OffsetRangeTracker {
  private Long lastClaimed;

  KeyRangeTracker(OffsetRange range) {
    super(range);
  }

  @Override
  public boolean tryClaim(Long key) {
    if (lastClaimed != null && key <= lastClaimed) {
      // Already ours: a repeated key, or a retry of this call re-reading keys whose part was never
      // committed.
      return true;
    }
    if (lastAttemptedOffset != null && key <= lastAttemptedOffset) {
      // Attempted and refused before (past a split, or the end claimed when the chunk was given
      // up): still refused.
      return false;
    }
    boolean ok = super.tryClaim(key);
    if (ok) {
      lastClaimed = key;
    }
    return ok;
  }

  @Override
  public SplitResult<OffsetRange> trySplit(double fractionOfRemainder) {
    if (fractionOfRemainder <= 0) {
      return null;
    }
    return super.trySplit(fractionOfRemainder);
  }
}
