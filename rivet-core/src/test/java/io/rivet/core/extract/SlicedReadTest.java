package io.rivet.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlicedReadTest {
  private static final long MS = 1_000_000L;

  @Test
  void theNextSliceReadsTheTargetDurationAtTheLastPace() {
    // 6,250 keys in 100 ms → 31,250 keys in 500 ms
    assertThat(SlicePacer.nextSlice(6_250, 6_250, 100 * MS, 500 * MS))
        .isEqualTo(25_000); // capped at 4×
    assertThat(SlicePacer.nextSlice(6_250, 6_250, 200 * MS, 500 * MS)).isEqualTo(15_625);
    // a slow statement shrinks the next one
    assertThat(SlicePacer.nextSlice(10_000, 10_000, 2_000 * MS, 500 * MS)).isEqualTo(2_500);
  }

  @Test
  void neverLessThanOneKeyAndEmptySlicesWiden() {
    assertThat(SlicePacer.nextSlice(1, 1, 60_000 * MS, 500 * MS)).isEqualTo(1);
    assertThat(SlicePacer.nextSlice(1_000, 0, 5 * MS, 500 * MS)).isEqualTo(4_000);
    assertThat(SlicePacer.nextSlice(Long.MAX_VALUE / 2, 0, 5 * MS, 500 * MS))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void spansOfTheWholeLongRangeSaturate() {
    assertThat(SlicePacer.span(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(SlicePacer.span(-5, 5)).isEqualTo(10);
  }
}
