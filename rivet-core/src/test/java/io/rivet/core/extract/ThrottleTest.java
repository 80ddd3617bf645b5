package io.rivet.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThrottleTest {
  private final List<Long> slept = new ArrayList<>();

  @Test
  void sleepsInProportionToTheBatchAfterEachOne() {
    Throttle t = new Throttle(100, 1_000, slept::add);
    t.afterBatch(1_000);
    t.afterBatch(250);
    t.afterBatch(1);
    assertThat(slept).containsExactly(100L, 25L, 1L);
    t.statementEnded(500);
    t.afterStatement();
    assertThat(slept).as("a statement's tail is not owed when not deferring").hasSize(3);
  }

  @Test
  void aDeferredThrottleSleepsOnlyBetweenStatementsWhatItsRowsOwed() {
    Throttle t = new Throttle(100, 1_000, slept::add);
    t.deferToStatementEnds();
    t.afterBatch(1_000);
    t.afterBatch(1_000);
    t.statementEnded(500);
    assertThat(slept).as("nothing while a statement is open").isEmpty();
    t.afterStatement();
    assertThat(slept).containsExactly(250L);
    t.afterStatement();
    assertThat(slept).as("paid once").containsExactly(250L);
  }

  @Test
  void noThrottleNeverSleeps() {
    Throttle t = new Throttle(0, 1_000, slept::add);
    t.deferToStatementEnds();
    t.afterBatch(1_000);
    t.statementEnded(10);
    t.afterStatement();
    assertThat(slept).isEmpty();
  }
}
