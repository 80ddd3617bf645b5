package io.rivet.core.state;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A writer's hold on one export in the state store: who holds it (host, pid and the process's start
 * instant, so a reused pid is not mistaken for the holder), the run it writes, and until when it
 * holds without a heartbeat.
 *
 * <p>A lease is live while its heartbeat is fresh. On the holder's own host a dead holder is seen
 * at once (its process is gone or is another process with the same pid); on another host it expires
 * {@code ttl} after its last heartbeat.
 *
 * @param token unique per acquisition; every fenced write checks it, so a paused holder that lost
 *     its lease cannot commit after another writer took over
 */
public record Lease(
    String exportName,
    String token,
    String runId,
    String host,
    long pid,
    String processStart,
    String acquiredAt,
    String heartbeatAt,
    String expiresAt) {

  /** {@code host:pid}, as messages name the holder. */
  public String holder() {
    return host + ":" + pid;
  }

  /** Whether this lease still excludes other writers at {@code now}. */
  public boolean isLiveAt(Instant now) {
    if (!now.isBefore(Instant.parse(expiresAt))) {
      return false;
    }
    return !host.equals(Holder.HOST) || Holder.isAlive(pid, processStart);
  }

  /** How long ago the last heartbeat was, for messages. */
  public Duration sinceHeartbeat(Instant now) {
    return Duration.between(Instant.parse(heartbeatAt), now);
  }

  /** A new lease of this process on {@code exportName}, valid for {@code ttl} from {@code now}. */
  static Lease mine(String exportName, String token, Instant now, Duration ttl) {
    return new Lease(
        exportName,
        token,
        null,
        Holder.HOST,
        Holder.PID,
        Holder.START,
        now.toString(),
        now.toString(),
        now.plus(ttl).toString());
  }

  /** This process as a lease holder. */
  static final class Holder {
    static final String HOST = hostName();
    static final long PID = ProcessHandle.current().pid();
    static final String START = startOf(ProcessHandle.current());

    private Holder() {}

    static boolean isAlive(long pid, String processStart) {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .map(p -> processStart == null || processStart.equals(startOf(p)))
          .orElse(false);
    }

    private static String startOf(ProcessHandle p) {
      return p.info().startInstant().map(Instant::toString).orElse(null);
    }

    /** The host name without a DNS lookup: a lease is taken before any network is needed. */
    private static String hostName() {
      String env = System.getenv("HOSTNAME");
      if (env != null && !env.isBlank()) {
        return env.trim();
      }
      try {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
      } catch (IOException | RuntimeException notLinux) {
        try {
          return InetAddress.getLocalHost().getHostName();
        } catch (IOException unknown) {
          return "localhost";
        }
      }
    }
  }
}
