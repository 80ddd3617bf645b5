package io.rivet.beam;

import io.rivet.core.state.StateStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases a pipeline holds itself (it planned its exports, see {@link PlanExportsFn}): while a
 * DoFn of this JVM works on an export — reading a chunk or finalizing — its lease is renewed every
 * third of its lifetime by one daemon thread. When no worker works on it any more (the pipeline
 * ended, failed or was cancelled) nobody renews it and it expires by itself, so a later run can
 * take over. Fencing, not this heartbeat, is what keeps a late writer out: every commit checks the
 * token.
 */
final class WorkerLeases {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLeases.class);
  private static final long TICK_MS = 100;

  private static final Map<String, Held> HELD = new ConcurrentHashMap<>();
  private static final Map<String, StateStore> STORES = new ConcurrentHashMap<>();
  private static volatile ScheduledExecutorService beat;

  private WorkerLeases() {}

  /** A lease held while at least one DoFn call works on it. */
  private static final class Held {
    final String stateUrl;
    final RunRef run;
    int users;
    long renewedAt;
    boolean lost;

    Held(String stateUrl, RunRef run) {
      this.stateUrl = stateUrl;
      this.run = run;
    }
  }

  /** Closing it ends one DoFn call's hold on a lease. */
  interface Handle extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Renews the run's lease until the returned handle is closed (nothing when a launcher holds it).
   */
  static Handle hold(String stateUrl, RunRef run) {
    if (!run.heldByPipeline()) {
      return () -> {};
    }
    String key = stateUrl + "\n" + run.exportName() + "\n" + run.lease();
    Held h =
        HELD.compute(
            key,
            (k, v) -> {
              Held held = v == null ? new Held(stateUrl, run) : v;
              held.users++;
              return held;
            });
    synchronized (h) {
      if (h.renewedAt == 0) {
        renew(h);
      }
    }
    start();
    return () ->
        HELD.computeIfPresent(
            key,
            (k, v) -> {
              v.users--;
              return v.users == 0 ? null : v;
            });
  }

  private static synchronized void start() {
    if (beat == null) {
      ScheduledExecutorService s =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "rivet-worker-lease-heartbeat");
                t.setDaemon(true);
                return t;
              });
      // Runs for the life of the JVM; renewDue reports its own failures.
      var unused =
          s.scheduleWithFixedDelay(WorkerLeases::renewDue, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
      beat = s;
    }
  }

  private static void renewDue() {
    long now = System.currentTimeMillis();
    for (Held h : HELD.values()) {
      synchronized (h) {
        if (now - h.renewedAt >= h.run.pipelineLeaseTtlMs() / 3) {
          renew(h);
        }
      }
    }
  }

  private static void renew(Held h) {
    RunRef r = h.run;
    try {
      StateStore store = STORES.computeIfAbsent(h.stateUrl, StateStore::open);
      boolean mine =
          store.renewLease(
              r.exportName(), r.lease(), r.runId(), Duration.ofMillis(r.pipelineLeaseTtlMs()));
      h.renewedAt = System.currentTimeMillis();
      if (!mine && !h.lost) {
        h.lost = true;
        LOG.warn(
            "export '{}': this pipeline's lease was taken over by another run; its writes are refused from now on",
            r.exportName());
      }
    } catch (RuntimeException e) {
      StateStore broken = STORES.remove(h.stateUrl);
      if (broken != null) {
        try {
          broken.close();
        } catch (RuntimeException ignored) {
          // replaced on the next beat
        }
      }
      LOG.warn("export '{}': could not renew the lease: {}", r.exportName(), e.getMessage());
    }
  }
}
