package io.rivet.cli;

import io.rivet.core.check.PlanArtifact;
import io.rivet.core.config.ExportConfig;

/**
 * Where {@code rivet apply rivet.yaml} schedules an export (reference §7.7): its {@code wave:} and
 * {@code parallel_safe:} when the config sets them, else from its size — a cost class Low (under
 * 100,000 rows) runs in wave 1 and beside others, Medium (under 10 M) in wave 2, High (under 100 M)
 * in wave 3, VeryHigh in wave 4, each alone.
 */
final class Waves {
  private Waves() {}

  static PlanArtifact.Prioritization of(ExportConfig e, Long rows) {
    long n = rows == null ? 0 : rows;
    String cost =
        n < 100_000 ? "low" : n < 10_000_000 ? "medium" : n < 100_000_000 ? "high" : "very_high";
    int wave =
        e.apply().wave() != null
            ? e.apply().wave()
            : switch (cost) {
              case "low" -> 1;
              case "medium" -> 2;
              case "high" -> 3;
              default -> 4;
            };
    boolean safe = e.apply().parallelSafe() != null ? e.apply().parallelSafe() : "low".equals(cost);
    return new PlanArtifact.Prioritization(wave, safe, cost);
  }
}
