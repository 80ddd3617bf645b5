package io.rivet.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkCoverageTest {
  private static PartRecord part(long from, long to, long rows) {
    return new PartRecord("r", "e", 0, from, to, "p" + from, rows, 1, "sha256:x", null);
  }

  @Test
  void contiguousPartsFromTheStartCompleteTheChunk() {
    ChunkCoverage c = ChunkCoverage.of(0, 100, List.of(part(50, 100, 5), part(0, 50, 7)));
    assertThat(c.coveredTo()).isEqualTo(100);
    assertThat(c.complete()).isTrue();
    assertThat(c.rows()).isEqualTo(12);
  }

  @Test
  void aGapLeavesTheChunkOpenAtItsStart() {
    ChunkCoverage c = ChunkCoverage.of(0, 100, List.of(part(0, 30, 3), part(60, 100, 4)));
    assertThat(c.coveredTo()).isEqualTo(30);
    assertThat(c.complete()).isFalse();
    assertThat(c.rows()).as("every part's rows count").isEqualTo(7);
  }

  @Test
  void anEmptySubRangeCountsAsCoveredAndAnIndivisibleChunkCompletesWithItsLastPart() {
    assertThat(ChunkCoverage.of(0, 100, List.of(part(0, 40, 4), part(40, 100, 0))).complete())
        .isTrue();
    // parts of an indivisible chunk cover nothing ([0, 0)) until the last one ([0, 1))
    assertThat(ChunkCoverage.of(0, 1, List.of(part(0, 0, 10))).complete()).isFalse();
    assertThat(ChunkCoverage.of(0, 1, List.of(part(0, 0, 10), part(0, 1, 5))).complete()).isTrue();
  }

  @Test
  void whatRemainsIsTheGapsBetweenCommittedParts() {
    List<PartRecord> done = List.of(part(10, 20, 1), part(40, 50, 1));
    assertThat(ChunkCoverage.covering(done, 15)).isEqualTo(done.get(0));
    assertThat(ChunkCoverage.covering(done, 20)).as("ends are exclusive").isNull();
    assertThat(ChunkCoverage.nextStart(done, 20)).isEqualTo(40);
    assertThat(ChunkCoverage.nextStart(done, 45)).isEqualTo(Long.MAX_VALUE);
    assertThat(ChunkCoverage.nextStart(done, 0)).isEqualTo(10);
  }
}
