package io.rivet.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The slice loops against a fake clock: each statement takes 1 µs per key (or row) read. */
class SlicePacerTest {
  private long now;
  private final List<long[]> statements = new ArrayList<>();
  private int pauses;

  private final SlicePacer pacer = new SlicePacer(() -> now);

  private long readKeys(long from, long to) {
    statements.add(new long[] {from, to});
    now += (to - from) * 1_000;
    return to - from;
  }

  @Test
  void aRangeStartsAtASixteenthAndGrowsAtMostFourfoldUntilTheTarget() throws Exception {
    pacer.range(0, 10_000_000, () -> Long.MAX_VALUE, () -> false, this::readKeys, () -> pauses++);
    // 625,000 keys take 625 ms: the next is sized to 500 ms (500,000), then stays there
    assertThat(statements.get(0)).containsExactly(0, 625_000);
    assertThat(statements.get(1)).containsExactly(625_000, 1_125_000);
    assertThat(statements.get(statements.size() - 1)[1]).isEqualTo(10_000_000);
    assertThat(pauses)
        .as("the throttle's pause after every statement")
        .isEqualTo(statements.size());
    for (int i = 1; i < statements.size(); i++) {
      assertThat(statements.get(i)[0]).as("contiguous").isEqualTo(statements.get(i - 1)[1]);
    }
  }

  @Test
  void theNextChunkStartsAtThePaceTheLastOneMeasured() throws Exception {
    pacer.range(0, 10_000_000, () -> Long.MAX_VALUE, () -> false, this::readKeys, () -> pauses++);
    statements.clear();
    pacer.range(
        20_000_000, 20_400_000, () -> Long.MAX_VALUE, () -> false, this::readKeys, () -> pauses++);
    assertThat(statements).as("one statement: the whole chunk fits the measured pace").hasSize(1);
    assertThat(statements.get(0)).containsExactly(20_000_000, 20_400_000);
  }

  @Test
  void aRangeStopsAtASplitEndAndWhenAClaimIsRefused() throws Exception {
    long[] end = {1_600};
    pacer.range(
        0,
        1_600,
        () -> end[0],
        () -> false,
        (a, b) -> {
          end[0] = 300; // the runner split the range after the first statement
          return readKeys(a, b);
        },
        () -> pauses++);
    assertThat(statements.get(statements.size() - 1)[1]).isEqualTo(300);
    statements.clear();
    boolean[] stopped = {false};
    pacer.range(
        0,
        1_000_000,
        () -> Long.MAX_VALUE,
        () -> stopped[0],
        (a, b) -> {
          stopped[0] = true;
          return readKeys(a, b);
        },
        () -> pauses++);
    assertThat(statements).hasSize(1);
  }

  @Test
  void aPageIsReadAsSubPagesEachAfterTheLastKeyUntilOneComesBackShort() throws Exception {
    List<String> afters = new ArrayList<>();
    long[] available = {5_000};
    pacer.page(
        null,
        "zzz",
        16_000,
        () -> "k" + statements.size(),
        (after, upTo, n) -> {
          afters.add(after);
          long read = Math.min(n, available[0]);
          available[0] -= read;
          statements.add(new long[] {n, read});
          now += read * 1_000;
          return read;
        },
        () -> pauses++);
    assertThat(statements.get(0)).as("a sixteenth of the page first").containsExactly(1_000, 1_000);
    assertThat(statements.get(1)).as("then four times as many").containsExactly(4_000, 4_000);
    assertThat(statements).as("the third came back empty: the page ended").hasSize(3);
    assertThat(afters).containsExactly(null, "k1", "k2");
  }

  @Test
  void aFullPageEndsTheLoop() throws Exception {
    pacer.page(
        "a",
        null,
        2_000,
        () -> "k",
        (after, upTo, n) -> {
          statements.add(new long[] {n});
          return n;
        },
        () -> pauses++);
    assertThat(statements.stream().mapToLong(s -> s[0]).sum()).isEqualTo(2_000);
  }
}
