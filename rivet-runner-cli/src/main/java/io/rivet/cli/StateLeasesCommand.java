package io.rivet.cli;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.Lease;
import io.rivet.core.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code state leases}: which process writes which export now, and the leases left by processes
 * that died.
 */
@Command(
    name = "leases",
    mixinStandardHelpOptions = true,
    footer = {"", "Example: rivet state leases -c rivet.yaml --json"},
    description =
        "Writers holding an export now (one per export), and expired leases of processes that stopped.")
final class StateLeasesCommand implements Callable<Integer> {
  @Mixin StateOptions o;

  @Override
  public Integer call() {
    RivetConfig cfg = o.load();
    try (StateStore s = o.open(cfg)) {
      Instant now = Instant.now();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Lease l : s.leases()) {
        rows.add(
            StateOptions.row(
                "export_name",
                l.exportName(),
                "live",
                l.isLiveAt(now),
                "run_id",
                l.runId(),
                "host",
                l.host(),
                "pid",
                l.pid(),
                "acquired_at",
                l.acquiredAt(),
                "heartbeat_at",
                l.heartbeatAt(),
                "expires_at",
                l.expiresAt()));
      }
      if (o.json) {
        StateOptions.print(rows);
      } else if (rows.isEmpty()) {
        System.out.println("no export is being written");
      } else {
        rows.forEach(
            r ->
                System.out.printf(
                    "%-24s %-8s pid %s on %s, run %s, last heartbeat %s%n",
                    r.get("export_name"),
                    Boolean.TRUE.equals(r.get("live")) ? "writing" : "expired",
                    r.get("pid"),
                    r.get("host"),
                    r.get("run_id"),
                    r.get("heartbeat_at")));
      }
      return 0;
    }
  }
}
