package io.rivet.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A chunk far above the average is cut into pieces of about an average chunk's rows each; an
 * ordinary chunk is never cut. The estimates here are exact counts over a table of unique keys with
 * a dense cluster, the shape of a skewed key space.
 */
class HotChunksTest {
  /** Unique keys: every `sparse`-th key of [0, span), plus every key of the cluster. */
  private static NavigableMap<Long, Long> table(
      long span, int sparse, long clusterFrom, int cluster) {
    NavigableMap<Long, Long> keys = new TreeMap<>();
    for (long k = 0; k < span; k += sparse) {
      keys.put(k, 1L);
    }
    for (long k = clusterFrom; k < clusterFrom + cluster; k++) {
      keys.put(k, 1L);
    }
    return keys;
  }

  private static HotChunks.Estimate exact(NavigableMap<Long, Long> keys) {
    return (from, to) -> to <= from ? 0 : keys.subMap(from, to).size();
  }

  @Property(tries = 200)
  void aHotChunkIsCutIntoPiecesOfAboutTheAverage(
      @ForAll @IntRange(min = 50, max = 400) int sparse,
      @ForAll @IntRange(min = 30_000, max = 200_000) int cluster,
      @ForAll @IntRange(min = 4, max = 16) int chunks,
      @ForAll @IntRange(min = 2, max = 16) int maxPieces) {
    long span = 4_000_000;
    long width = span / chunks;
    NavigableMap<Long, Long> keys =
        table(span, sparse, width + width / 3, (int) Math.min(cluster, width / 2));
    HotChunks.Estimate est = exact(keys);
    long total = keys.size();
    double average = (double) total / chunks;
    for (int c = 0; c < chunks; c++) {
      long lo = c * width;
      long hi = c == chunks - 1 ? span : lo + width;
      List<Long> cuts = HotChunks.cutPoints(est, lo, hi, total, chunks, maxPieces);
      long rows = est.rows(lo, hi);
      if (rows < HotChunks.HOT_FACTOR * average || rows < HotChunks.MIN_ROWS) {
        assertThat(cuts).as("chunk %d is not hot", c).isEmpty();
        continue;
      }
      assertThat(cuts).as("chunk %d is hot", c).isNotEmpty().hasSizeLessThan(maxPieces).isSorted();
      assertThat(cuts).allMatch(k -> k > lo && k < hi);
      List<Long> bounds = new ArrayList<>();
      bounds.add(lo);
      bounds.addAll(cuts);
      bounds.add(hi);
      int pieces = cuts.size() + 1;
      long target = (rows + pieces - 1) / pieces;
      for (int i = 0; i + 1 < bounds.size(); i++) {
        assertThat(est.rows(bounds.get(i), bounds.get(i + 1)))
            .as("piece %d of chunk %d", i, c)
            .isLessThanOrEqualTo(Math.max(target, (long) Math.ceil(average)) + 1);
      }
    }
  }

  @Example
  void unknownEstimatesCutNothing() {
    assertThat(HotChunks.cutPoints((from, to) -> -1, 0, 1000, 10_000_000, 10, 8)).isEmpty();
  }

  @Example
  void anEvenTableIsNotCut() {
    NavigableMap<Long, Long> keys = table(1_000_000, 1, 0, 0);
    HotChunks.Estimate est = exact(keys);
    for (long lo = 0; lo < 1_000_000; lo += 100_000) {
      assertThat(HotChunks.cutPoints(est, lo, lo + 100_000, 1_000_000, 10, 8)).isEmpty();
    }
  }
}
