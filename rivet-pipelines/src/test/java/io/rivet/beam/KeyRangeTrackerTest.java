package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;

/**
 * The restriction tracker's contract for runners that split dynamically (Dataflow Runner v2 asks
 * for a fraction of the remainder): a split at any fraction after any claims leaves a primary that
 * still holds every claimed key and a residual that starts where it ends and holds the rest, and
 * this tracker refuses every key past the split. Checkpoints (fraction 0) are declined: they would
 * cut the part being written short.
 */
class KeyRangeTrackerTest {
  @Property(tries = 2000)
  void aSplitAtAnyFractionPartitionsTheRangeAfterTheClaimedKeys(
      @ForAll @LongRange(min = -1000, max = 1_000_000) long from,
      @ForAll @IntRange(min = 1, max = 5000) int length,
      @ForAll @IntRange(min = 0, max = 200) int claims,
      @ForAll @IntRange(min = 1, max = 50) int stride,
      @ForAll @DoubleRange(min = 0.0001, max = 1.0) @net.jqwik.api.constraints.Scale(4)
          double fraction) {
    OffsetRange range = new OffsetRange(from, from + length);
    KeyRangeTracker tracker = new KeyRangeTracker(range);
    Long lastClaimed = null;
    long key = from;
    for (int i = 0; i < claims && key < range.getTo(); i++) {
      assertThat(tracker.tryClaim(key)).as("key %d", key).isTrue();
      lastClaimed = key;
      key += i % 3 == 0 ? 0 : stride; // keys repeat: a chunk column need not be unique
    }
    SplitResult<OffsetRange> split = tracker.trySplit(fraction);
    if (split == null) {
      assertThat(tracker.currentRestriction()).isEqualTo(range);
      return;
    }
    OffsetRange primary = split.getPrimary();
    OffsetRange residual = split.getResidual();
    assertThat(primary.getFrom()).isEqualTo(range.getFrom());
    assertThat(primary.getTo()).isEqualTo(residual.getFrom());
    assertThat(residual.getTo()).isEqualTo(range.getTo());
    assertThat(residual.getFrom()).isLessThan(residual.getTo());
    if (lastClaimed != null) {
      assertThat(primary.getTo())
          .as("the primary keeps every claimed key")
          .isGreaterThan(lastClaimed);
      assertThat(tracker.tryClaim(lastClaimed)).as("a claimed key repeats").isTrue();
    }
    assertThat(tracker.currentRestriction()).isEqualTo(primary);
    assertThat(tracker.tryClaim(residual.getFrom())).as("past the split: the residual's").isFalse();
    assertThat(new KeyRangeTracker(residual).tryClaim(residual.getFrom())).isTrue();
  }

  @Example
  void aCheckpointIsDeclined() {
    KeyRangeTracker tracker = new KeyRangeTracker(new OffsetRange(0, 100));
    assertThat(tracker.tryClaim(10L)).isTrue();
    assertThat(tracker.trySplit(0)).isNull();
    assertThat(tracker.currentRestriction()).isEqualTo(new OffsetRange(0, 100));
  }

  @Example
  void aKeyRefusedStaysRefused() {
    KeyRangeTracker tracker = new KeyRangeTracker(new OffsetRange(0, 100));
    assertThat(tracker.tryClaim(10L)).isTrue();
    SplitResult<OffsetRange> split = tracker.trySplit(0.5);
    assertThat(split).isNotNull();
    long end = split.getPrimary().getTo();
    assertThat(tracker.tryClaim(end)).isFalse();
    assertThat(tracker.tryClaim(end - 1)).as("below a refused key: refused too").isFalse();
    tracker.checkDone();
  }
}
