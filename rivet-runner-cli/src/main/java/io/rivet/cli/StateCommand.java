package io.rivet.cli;

import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.ChunkTask;
import io.rivet.core.state.Lease;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rivet state …}: operator views of the state store (reference §1.2), each with {@code
 * --json}.
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description = "Inspect or reset the state store.",
    subcommands = {
      StateCommand.Show.class,
      StateCommand.Reset.class,
      StateCommand.Files.class,
      StateCommand.Chunks.class,
      StateCommand.ResetChunks.class,
      StateCommand.Progression.class,
      StateCommand.Leases.class
    })
final class StateCommand {
  /** {@code state show}: the incremental cursors. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Incremental cursors ([] when there are none).")
  static final class Show implements Callable<Integer> {
    @Mixin StateOptions o;

    @Override
    public Integer call() {
      RivetConfig cfg = o.load();
      try (StateStore s = o.open(cfg)) {
        List<Map<String, Object>> rows = new ArrayList<>();
        s.cursors()
            .forEach(
                (export, v) ->
                    rows.add(
                        row(
                            "export_name",
                            export,
                            "last_cursor_value",
                            v[0],
                            "last_run_id",
                            v[1],
                            "updated_at",
                            v[2])));
        if (o.json) {
          StateOptions.print(rows);
        } else if (rows.isEmpty()) {
          System.out.println("no incremental cursors yet");
        } else {
          rows.forEach(
              r ->
                  System.out.printf(
                      "%-24s %-32s (run %s, %s)%n",
                      r.get("export_name"),
                      r.get("last_cursor_value"),
                      r.get("last_run_id"),
                      r.get("updated_at")));
        }
        return 0;
      }
    }
  }

  /**
   * {@code state leases}: which process writes which export now, and the leases left by processes
   * that died.
   */
  @Command(
      name = "leases",
      mixinStandardHelpOptions = true,
      description =
          "Writers holding an export now (one per export), and expired leases of processes that stopped.")
  static final class Leases implements Callable<Integer> {
    @Mixin StateOptions o;

    @Override
    public Integer call() {
      RivetConfig cfg = o.load();
      try (StateStore s = o.open(cfg)) {
        Instant now = Instant.now();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Lease l : s.leases()) {
          rows.add(
              row(
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

  /** {@code state reset -e}: clears a cursor, so the next run exports everything again. */
  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description = "Clear an export's incremental cursor.")
  static final class Reset implements Callable<Integer> {
    @Mixin StateOptions o;

    @Option(
        names = {"-e", "--export"},
        required = true)
    String export;

    @Override
    public Integer call() {
      RivetConfig cfg = o.load();
      String name = StateOptions.export(cfg, export);
      try (LeaseKeeper lease = o.lease(cfg, name);
          StateStore s = o.open(cfg)) {
        s.storeCursor(name, null, null);
        System.out.println("cleared the cursor of '" + name + "'; its next run exports every row");
        return 0;
      }
    }
  }

  /** {@code state files}: the file ledger, newest first. */
  @Command(
      name = "files",
      mixinStandardHelpOptions = true,
      description = "Committed files from the ledger, newest first.")
  static final class Files implements Callable<Integer> {
    @Mixin StateOptions o;

    @Option(names = {"-e", "--export"})
    String export;

    @Option(
        names = {"-l", "--limit"},
        defaultValue = "50")
    int limit;

    @Override
    public Integer call() {
      RivetConfig cfg = o.load();
      try (StateStore s = o.open(cfg)) {
        List<PartRecord> files = s.files(StateOptions.export(cfg, export), limit);
        if (o.json) {
          StateOptions.print(
              files.stream()
                  .map(
                      p ->
                          row(
                              "run_id",
                              p.runId(),
                              "export_name",
                              p.exportName(),
                              "chunk_index",
                              p.chunkIndex(),
                              "file_name",
                              p.fileName(),
                              "row_count",
                              p.rows(),
                              "bytes",
                              p.bytes(),
                              "fingerprint",
                              p.fingerprint()))
                  .toList());
        } else {
          files.forEach(
              p ->
                  System.out.printf(
                      "%-40s %-60s %,12d rows %,14d bytes%n",
                      p.runId(), p.fileName(), p.rows(), p.bytes()));
        }
        return 0;
      }
    }
  }

  /** {@code state chunks -e}: the latest run's chunk tasks. */
  @Command(
      name = "chunks",
      mixinStandardHelpOptions = true,
      description = "Chunk tasks of an export's latest run (null if none).")
  static final class Chunks implements Callable<Integer> {
    @Mixin StateOptions o;

    @Option(
        names = {"-e", "--export"},
        required = true)
    String export;

    @Override
    public Integer call() {
      RivetConfig cfg = o.load();
      String name = StateOptions.export(cfg, export);
      try (StateStore s = o.open(cfg)) {
        Optional<RunRecord> run = s.runs(name, 1).stream().findFirst();
        if (run.isEmpty()) {
          if (o.json) {
            System.out.println("null");
          } else {
            System.out.println("export '" + name + "' has no runs");
          }
          return 0;
        }
        RunRecord r = run.get();
        Map<Integer, List<String>> filesByChunk = new LinkedHashMap<>();
        for (PartRecord p : s.parts(r.runId())) {
          if (p.isFile()) {
            filesByChunk.computeIfAbsent(p.chunkIndex(), k -> new ArrayList<>()).add(p.fileName());
          }
        }
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (ChunkTask t : s.chunks(r.runId())) {
          tasks.add(
              row(
                  "chunk_index",
                  t.chunkIndex(),
                  "kind",
                  t.kind(),
                  "status",
                  t.status(),
                  "start_key",
                  t.startKey(),
                  "end_key",
                  t.endKey(),
                  "attempts",
                  t.attempts(),
                  "rows_written",
                  t.rowsWritten(),
                  "files",
                  filesByChunk.getOrDefault(t.chunkIndex(), List.of()),
                  "last_error",
                  t.lastError()));
        }
        if (o.json) {
          StateOptions.print(
              row(
                  "export",
                  name,
                  "run_id",
                  r.runId(),
                  "plan_hash",
                  r.planHash(),
                  "status",
                  r.status(),
                  "updated_at",
                  r.updatedAt(),
                  "tasks",
                  tasks));
        } else {
          System.out.println(r.runId() + "  " + r.status() + "  (plan " + r.planHash() + ")");
          tasks.forEach(
              t ->
                  System.out.printf(
                      "  chunk %-5s %-10s %-9s [%s..%s) attempts %s rows %s%s%n",
                      t.get("chunk_index"),
                      t.get("kind"),
                      t.get("status"),
                      t.get("start_key"),
                      t.get("end_key"),
                      t.get("attempts"),
                      t.get("rows_written"),
                      t.get("last_error") == null ? "" : "  last error: " + t.get("last_error")));
        }
        return 0;
      }
    }
  }

  /** {@code state progression}: what each export has committed. */
  @Command(
      name = "progression",
      mixinStandardHelpOptions = true,
      description = "Committed boundaries per export.")
  static final class Progression implements Callable<Integer> {
    @Mixin StateOptions o;

    @Option(names = {"-e", "--export"})
    String export;

    @Override
    public Integer call() {
      RivetConfig cfg = o.load();
      String only = StateOptions.export(cfg, export);
      try (StateStore s = o.open(cfg)) {
        Map<String, String[]> cursors = s.cursors();
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : cfg.exports()) {
          if (only != null && !only.equals(e.name())) {
            continue;
          }
          Optional<RunRecord> committed =
              s.runs(e.name(), 100).stream()
                  .filter(r -> RunRecord.COMPLETED.equals(r.status()))
                  .findFirst();
          String[] c = cursors.get(e.name());
          out.add(
              row(
                  "export_name",
                  e.name(),
                  "strategy",
                  e.mode().name().toLowerCase(Locale.ROOT),
                  "last_committed_run_id",
                  committed.map(RunRecord::runId).orElse(null),
                  "last_committed_at",
                  committed.map(RunRecord::updatedAt).orElse(null),
                  "last_committed_cursor",
                  c == null ? null : c[0]));
        }
        if (o.json) {
          StateOptions.print(out);
        } else {
          out.forEach(
              r ->
                  System.out.printf(
                      "%-24s %-11s committed %s at %s%s%n",
                      r.get("export_name"),
                      r.get("strategy"),
                      r.get("last_committed_run_id") == null
                          ? "nothing yet"
                          : r.get("last_committed_run_id"),
                      r.get("last_committed_at"),
                      r.get("last_committed_cursor") == null
                          ? ""
                          : ", cursor " + r.get("last_committed_cursor")));
        }
        return 0;
      }
    }
  }

  /** {@code state reset-chunks -e}: abandon an export's unfinished run. */
  @Command(
      name = "reset-chunks",
      mixinStandardHelpOptions = true,
      description = {
        "Abandon the unfinished run of an export, so the next 'rivet run' starts a new one.",
        "Committed parts of the abandoned run stay where they are; they are not listed by any manifest."
      })
  static final class ResetChunks implements Callable<Integer> {
    @Mixin StateOptions o;

    @Option(
        names = {"-e", "--export"},
        required = true)
    String export;

    @Override
    public Integer call() {
      RivetConfig cfg = o.load();
      String name = StateOptions.export(cfg, export);
      try (LeaseKeeper lease = o.lease(cfg, name);
          StateStore state = o.open(cfg)) {
        Optional<RunRecord> run = state.unfinishedRun(name);
        if (run.isEmpty()) {
          System.out.println("export '" + name + "' has no unfinished run; nothing to reset");
          return 0;
        }
        state.finishRun(run.get().runId(), RunRecord.ABANDONED);
        state.journal(run.get().runId(), name, "RunAbandoned", "{}");
        System.out.println(
            "abandoned run "
                + run.get().runId()
                + " of export '"
                + name
                + "'; its committed parts stay in place; the next 'rivet run' starts a new run");
        return 0;
      }
    }
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
