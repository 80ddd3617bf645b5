package io.rivet.core.config;

import java.io.Serializable;

/**
 * How {@code rivet apply rivet.yaml} schedules an export (reference §7.7): its {@code wave} (waves
 * run in ascending order, exports without one last), whether it may run beside the other exports of
 * its wave ({@code parallel_safe}), and its {@code source_group} (exports of one group never run at
 * the same time, even when parallel-safe).
 */
public record ApplyHints(Integer wave, Boolean parallelSafe, String sourceGroup)
    implements Serializable {
  public static final ApplyHints NONE = new ApplyHints(null, null, null);
}
