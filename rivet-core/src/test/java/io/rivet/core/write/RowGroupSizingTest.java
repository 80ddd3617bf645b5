package io.rivet.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowGroupSizingTest {
  private static final long MB = 1024 * 1024;

  @Test
  void aQuarterOfTheHeapIsSharedAmongOpenWriters() {
    assertThat(ParquetPartWriter.defaultRowGroupBytes(320 * MB, 1)).isEqualTo(64 * MB);
    assertThat(ParquetPartWriter.defaultRowGroupBytes(320 * MB, 2)).isEqualTo(40 * MB);
    assertThat(ParquetPartWriter.defaultRowGroupBytes(320 * MB, 4)).isEqualTo(20 * MB);
  }

  @Test
  void boundedBetweenFourAndSixtyFourMegabytes() {
    assertThat(ParquetPartWriter.defaultRowGroupBytes(16L * 1024 * MB, 1)).isEqualTo(64 * MB);
    assertThat(ParquetPartWriter.defaultRowGroupBytes(320 * MB, 64)).isEqualTo(4 * MB);
  }
}
