package io.rivet.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FetchSizingTest {
  @Test
  void narrowRowsAreFetchedInRoundTripsOfAtMostFourMegabytes() {
    // 6 fixed columns (144 bytes) + 10 text bytes a row, ×2 for Java objects: 308 bytes.
    int rows = FetchSizing.fetchRows(6, 10_000, 1_000, 32);
    assertThat(rows).isEqualTo((int) (FetchSizing.ROUND_TRIP_BYTES / 308));
    assertThat((long) rows * 308).isLessThanOrEqualTo(FetchSizing.ROUND_TRIP_BYTES);
  }

  @Test
  void aSmallerBudgetThanTheRoundTripWins() {
    assertThat(FetchSizing.fetchRows(6, 10_000, 1_000, 1)).isEqualTo(1024 * 1024 / 308);
  }

  @Test
  void wideRowsGetFewerRowsButNeverFewerThanAHundred() {
    assertThat(FetchSizing.fetchRows(4, 2_000_000L * 500, 500, 32)).isEqualTo(100);
    assertThat(FetchSizing.fetchRows(12, 800L * 500, 500, 32))
        .isEqualTo((int) (FetchSizing.ROUND_TRIP_BYTES / ((12 * 24 + 800) * 2)));
  }
}
