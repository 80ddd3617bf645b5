package io.rivet.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.ErrorClass;
import io.rivet.core.dialect.SourceFailure;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceRetriesTest {
  private final AtomicLong now = new AtomicLong();
  private final TuningConfig tuning =
      new TuningConfig(TuningConfig.Profile.BALANCED, null, 32, 0, 300, 30, 2, 1000, 30, null);

  private static SourceFailure unavailable() {
    return new SourceFailure(ErrorClass.TRANSIENT_RECONNECT, "57P03", 0, "starting up", null);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void retriesForMaxRetriesOrAsLongAsTheSourceFailsInsideTheWindow() {
    SourceRetries r = new SourceRetries(tuning, now::get);
    for (int i = 0; i < 10; i++) {
      assertThat(r.retry(unavailable())).as("attempt " + (i + 1) + " at " + i * 2 + " s").isTrue();
      advance(Duration.ofSeconds(2));
    }
    advance(Duration.ofSeconds(11));
    assertThat(r.retry(unavailable()))
        .as("31 s after the first failure, past max_retries")
        .isFalse();
  }

  @Test
  void maxRetriesAreAllowedEvenWithoutAWindow() {
    TuningConfig noWindow =
        new TuningConfig(TuningConfig.Profile.BALANCED, null, 32, 0, 300, 30, 2, 1000, 0, null);
    SourceRetries r = new SourceRetries(noWindow, now::get);
    assertThat(r.retry(unavailable())).isTrue();
    assertThat(r.retry(unavailable())).isTrue();
    assertThat(r.retry(unavailable())).isFalse();
  }

  @Test
  void aSeriesEndsWhenAnAttemptRanLongerThanTheWindow() {
    SourceRetries r = new SourceRetries(tuning, now::get);
    r.retry(unavailable());
    advance(Duration.ofSeconds(20));
    r.retry(unavailable());
    advance(Duration.ofMinutes(5));
    assertThat(r.retry(unavailable())).isTrue();
    assertThat(r.attempts()).isEqualTo(1);
  }

  @Test
  void theWaitDoublesUpToEightSecondsAndTheSameFailureCountsOnce() {
    SourceRetries r = new SourceRetries(tuning, now::get);
    SourceFailure f = unavailable();
    r.retry(f);
    r.retry(f);
    assertThat(r.attempts()).isEqualTo(1);
    assertThat(r.delay()).isEqualTo(Duration.ofSeconds(1));
    r.retry(unavailable());
    assertThat(r.delay()).isEqualTo(Duration.ofSeconds(2));
    for (int i = 0; i < 6; i++) {
      r.retry(unavailable());
    }
    assertThat(r.delay()).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void permanentFailuresAndOtherErrorsAreNeverRetried() {
    SourceRetries r = new SourceRetries(tuning, now::get);
    assertThat(r.retry(new SourceFailure(ErrorClass.PERMANENT, "42P01", 0, "no table", null)))
        .isFalse();
    assertThat(r.retry(new RivetException(ErrorCode.VALUE_INVALID, "bad value"))).isFalse();
    assertThat(r.retry(new RivetException(ErrorCode.LEASE_LOST, "lost"))).isFalse();
    assertThat(r.retry(new SourceFailure(ErrorClass.TRANSIENT, "40P01", 0, "deadlock", null)))
        .isTrue();
  }
}
