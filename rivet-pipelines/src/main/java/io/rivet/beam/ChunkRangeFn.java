package io.rivet.beam;

import io.rivet.core.plan.ChunkSpec;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A splittable DoFn over chunks: each element's restriction is its chunk's key (or ordinal) range,
 * tracked by a {@link KeyRangeTracker}; any other chunk is one indivisible unit {@code [0, 1)}.
 * {@link ExtractChunkFn} writes the rows of its restriction to parts, {@link ReadChunkFn} emits
 * them.
 */
abstract class ChunkRangeFn<InputT, OutputT> extends DoFn<InputT, OutputT> {
  private static final long serialVersionUID = 1L;

  /** The chunk an element stands for. */
  abstract ChunkSpec chunkOf(InputT element);

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element InputT element) {
    ChunkSpec c = chunkOf(element);
    // Only key and ordinal ranges can be split; any other chunk is one indivisible unit of work.
    return c.keyed() ? new OffsetRange(c.lo(), c.hi()) : new OffsetRange(0, 1);
  }

  @NewTracker
  public KeyRangeTracker newTracker(@Restriction OffsetRange range) {
    return new KeyRangeTracker(range);
  }

  @GetRestrictionCoder
  public Coder<OffsetRange> restrictionCoder() {
    return OffsetRange.Coder.of();
  }

  @GetSize
  public double size(@Restriction OffsetRange range) {
    return range.getTo() - range.getFrom();
  }
}
