package io.rivet.core.state;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases one launcher holds while its run writes: taken before anything is decided about an
 * export, renewed every third of their lifetime by a daemon thread on a connection of its own,
 * released when the run ends (or expiring by themselves when the process dies). Closing releases
 * every lease.
 */
public final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  /**
   * How long a lease holds without a heartbeat; {@code RIVET_LEASE_TTL_MS} overrides (tests shorten
   * it).
   */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

  private final StateStore store;
  private final Duration ttl;
  private final Map<String, Lease> held = new ConcurrentHashMap<>();
  private final Map<String, String> runs = new ConcurrentHashMap<>();
  private final Map<String, Boolean> lost = new ConcurrentHashMap<>();
  private final ScheduledExecutorService beat;

  public LeaseKeeper(String stateUrl, Duration ttl) {
    this.store = StateStore.open(stateUrl);
    this.ttl = ttl;
    this.beat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rivet-lease-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(50, ttl.toMillis() / 3);
    // Runs until close() shuts the executor down; renewAll reports its own failures, so the future
    // holds nothing.
    var unused = beat.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
  }

  /** The lease lifetime from {@code RIVET_LEASE_TTL_MS}, else {@link #DEFAULT_TTL}. */
  public static Duration configuredTtl(Map<String, String> env) {
    String v = env.get("RIVET_LEASE_TTL_MS");
    if (v == null || v.isBlank()) {
      return DEFAULT_TTL;
    }
    try {
      long ms = Long.parseLong(v.trim());
      if (ms >= 100) {
        return Duration.ofMillis(ms);
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new RivetException(
        ErrorCode.CONFIG_INVALID,
        "RIVET_LEASE_TTL_MS="
            + v
            + ": must be a whole number of"
            + " milliseconds of at least 100; unset it for the default of "
            + DEFAULT_TTL.toSeconds()
            + " s");
  }

  public Duration ttl() {
    return ttl;
  }

  /**
   * Takes the export's lease, or fails with {@code EXPORT_BUSY} naming the live holder. Nothing
   * about the export has been read or written when this fails.
   */
  public Lease acquire(String exportName, String configArg) {
    String token = UUID.randomUUID().toString();
    Lease l = store.acquireLease(exportName, token, ttl);
    if (!l.token().equals(token)) {
      Instant now = Instant.now();
      throw new RivetException(
          ErrorCode.EXPORT_BUSY,
          "export '"
              + exportName
              + "' is being written by another rivet"
              + " process: pid "
              + l.pid()
              + " on host "
              + l.host()
              + (l.runId() == null ? "" : ", run " + l.runId())
              + " (lease taken "
              + l.acquiredAt()
              + ", last heartbeat "
              + Math.max(0, l.sinceHeartbeat(now).toSeconds())
              + " s ago). This run wrote nothing. Wait for that process to finish; if it hangs, stop it: its lease then"
              + " ends at once on this host, or "
              + ttl.toSeconds()
              + " s after its last heartbeat elsewhere, and its run"
              + " can be continued then ('rivet state leases -c "
              + configArg
              + "' shows the lease)");
    }
    held.put(exportName, l);
    return l;
  }

  /** Records the run an export's lease now covers (shown to the processes it turns away). */
  public void runIs(String exportName, String runId) {
    runs.put(exportName, runId);
    Lease l = held.get(exportName);
    if (l != null) {
      store.renewLease(exportName, l.token(), runId, ttl);
    }
  }

  /** The token of this keeper's lease on an export (writes are fenced with it). */
  public String token(String exportName) {
    Lease l = held.get(exportName);
    if (l == null) {
      throw new IllegalStateException("no lease held on " + exportName);
    }
    return l.token();
  }

  public Map<String, String> tokens() {
    Map<String, String> out = new LinkedHashMap<>();
    held.forEach((k, v) -> out.put(k, v.token()));
    return out;
  }

  /** Whether a heartbeat found an export's lease taken over. */
  public boolean lost(String exportName) {
    return lost.getOrDefault(exportName, false);
  }

  private void renewAll() {
    for (Lease l : held.values()) {
      try {
        if (!store.renewLease(l.exportName(), l.token(), runs.get(l.exportName()), ttl)) {
          if (lost.putIfAbsent(l.exportName(), true) == null) {
            LOG.warn(
                "export '{}': this process's lease was taken over by another run; its writes are refused from now on",
                l.exportName());
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("export '{}': could not renew the lease: {}", l.exportName(), e.getMessage());
      }
    }
  }

  /** Releases one export's lease (an export this run gave up on), keeping the others. */
  public void release(String exportName) {
    Lease l = held.remove(exportName);
    if (l != null) {
      try {
        store.releaseLease(exportName, l.token());
      } catch (RuntimeException e) {
        LOG.warn("export '{}': could not release the lease: {}", exportName, e.getMessage());
      }
    }
  }

  /**
   * Stops renewing and gives the held leases away without releasing them: the pipeline's workers
   * renew them from now on (a pipeline that plans its own exports holds their leases itself), and
   * they expire by themselves if nobody does. Returns each export's token; the keeper is closed.
   */
  public Map<String, String> handOver() {
    Map<String, String> tokens = tokens();
    stopBeating();
    held.clear();
    store.close();
    return tokens;
  }

  private void stopBeating() {
    beat.shutdownNow();
    try {
      beat.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Releases every lease this keeper holds. */
  @Override
  public void close() {
    if (beat.isShutdown() && held.isEmpty()) {
      return;
    }
    beat.shutdownNow();
    try {
      beat.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Lease l : held.values()) {
      try {
        store.releaseLease(l.exportName(), l.token());
      } catch (RuntimeException e) {
        LOG.warn(
            "export '{}': could not release the lease (it expires in {} s): {}",
            l.exportName(),
            ttl.toSeconds(),
            e.getMessage());
      }
    }
    held.clear();
    store.close();
  }
}
