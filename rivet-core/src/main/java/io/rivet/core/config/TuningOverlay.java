package io.rivet.core.config;

import java.util.List;
import java.util.Set;

/** A {@code tuning:} block as written, before it is merged over a profile's defaults. */
record TuningOverlay(
    TuningConfig.Profile profile,
    Integer batchSize,
    Integer batchSizeMemoryMb,
    Integer throttleMs,
    Integer statementTimeoutS,
    Integer lockTimeoutS,
    Integer maxRetries,
    Integer retryBackoffMs,
    Integer retryWindowS,
    Integer socketTimeoutS) {

  static final TuningOverlay EMPTY =
      new TuningOverlay(null, null, null, null, null, null, null, null, null, null);

  static final Set<String> KEYS =
      Set.of(
          "profile",
          "batch_size",
          "batch_size_memory_mb",
          "throttle_ms",
          "statement_timeout_s",
          "max_retries",
          "retry_backoff_ms",
          "lock_timeout_s",
          "memory_threshold_mb",
          "max_batch_memory_mb",
          "on_batch_memory_exceeded",
          "max_value_mb",
          "adaptive",
          "min_parallel",
          "retry_window_s",
          "socket_timeout_s");
  private static final Set<String> NOT_YET =
      Set.of(
          "memory_threshold_mb",
          "max_batch_memory_mb",
          "on_batch_memory_exceeded",
          "max_value_mb",
          "adaptive",
          "min_parallel");

  static TuningOverlay parse(YamlObject t, List<String> notSupported) {
    if (t == null) {
      return EMPTY;
    }
    t.rejectUnknown(KEYS);
    for (String k : NOT_YET) {
      if (t.has(k)) {
        notSupported.add(t.pathOf(k));
      }
    }
    TuningOverlay o =
        new TuningOverlay(
            t.enumValue("profile", TuningConfig.Profile.class, null),
            t.intValue("batch_size", 1, 10_000_000),
            t.intValue("batch_size_memory_mb", 1, 4096),
            t.intValue("throttle_ms", 0, 600_000),
            t.intValue("statement_timeout_s", 0, 86_400),
            t.intValue("lock_timeout_s", 0, 86_400),
            t.intValue("max_retries", 0, 100),
            t.intValue("retry_backoff_ms", 0, 3_600_000),
            t.intValue("retry_window_s", 0, 86_400),
            t.intValue("socket_timeout_s", 1, 86_400));
    if (t.has("batch_size") && t.has("batch_size_memory_mb")) {
      t.problem("batch_size", "cannot be combined with batch_size_memory_mb; keep one of them");
    }
    return o;
  }

  /** This overlay laid over {@code base}; a field set here wins. */
  TuningOverlay over(TuningOverlay base) {
    return new TuningOverlay(
        profile != null ? profile : base.profile,
        batchSize != null ? batchSize : (batchSizeMemoryMb != null ? null : base.batchSize),
        batchSizeMemoryMb != null
            ? batchSizeMemoryMb
            : (batchSize != null ? null : base.batchSizeMemoryMb),
        throttleMs != null ? throttleMs : base.throttleMs,
        statementTimeoutS != null ? statementTimeoutS : base.statementTimeoutS,
        lockTimeoutS != null ? lockTimeoutS : base.lockTimeoutS,
        maxRetries != null ? maxRetries : base.maxRetries,
        retryBackoffMs != null ? retryBackoffMs : base.retryBackoffMs,
        retryWindowS != null ? retryWindowS : base.retryWindowS,
        socketTimeoutS != null ? socketTimeoutS : base.socketTimeoutS);
  }

  TuningConfig resolve(TuningConfig.Profile fallback) {
    TuningConfig d = TuningConfig.defaults(profile != null ? profile : fallback);
    boolean explicitRows = batchSize != null;
    boolean explicitMemory = batchSizeMemoryMb != null;
    return new TuningConfig(
        d.profile(),
        explicitRows ? batchSize : (explicitMemory ? null : d.batchSize()),
        explicitMemory ? batchSizeMemoryMb : (explicitRows ? null : d.batchSizeMemoryMb()),
        throttleMs != null ? throttleMs : d.throttleMs(),
        statementTimeoutS != null ? statementTimeoutS : d.statementTimeoutS(),
        lockTimeoutS != null ? lockTimeoutS : d.lockTimeoutS(),
        maxRetries != null ? maxRetries : d.maxRetries(),
        retryBackoffMs != null ? retryBackoffMs : d.retryBackoffMs(),
        retryWindowS != null ? retryWindowS : d.retryWindowS(),
        socketTimeoutS != null ? socketTimeoutS : d.socketTimeoutS());
  }
}
