package io.rivet.core.extract;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash injection for the crash tests: {@code RIVET_TEST_FAIL_AT=<point>} (or {@code <point>:<n>},
 * the n-th time) halts the JVM at that commit point as a {@code kill -9} would — no shutdown hooks,
 * no finally blocks. Points: {@code mid-chunk}, {@code after-part-write}, {@code after-ledger},
 * {@code before-manifest}, {@code before-success}, {@code before-retire}, {@code before-cursor}; a
 * repair's {@code repair-after-part}, {@code repair-after-swap}, {@code repair-before-success}.
 * Unset in production, where every call is one map look-up.
 */
public final class FaultInjection {
  public static final String ENV = "RIVET_TEST_FAIL_AT";
  private static final String SETTING = System.getenv(ENV);
  private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();

  private FaultInjection() {}

  public static void at(String point) {
    if (SETTING == null || !SETTING.startsWith(point)) {
      return;
    }
    int nth = SETTING.equals(point) ? 1 : Integer.parseInt(SETTING.substring(point.length() + 1));
    if (HITS.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet() == nth) {
      System.err.println(ENV + "=" + SETTING + ": halting the process here, as a kill -9 would");
      System.err.flush();
      Runtime.getRuntime().halt(137);
    }
  }
}
