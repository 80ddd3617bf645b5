package io.rivet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.rivet.core.ErrorCode;
import io.rivet.core.ExportFailure;
import io.rivet.core.Json;
import io.rivet.core.manifest.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code rivet run --parallel-export-processes}: each export in a process of its own — a crash or
 * an out-of-memory of one export's JVM cannot take the others down — at most as many at once as the
 * machine has cores. Each child is {@code rivet run -e NAME} with the parent's options and writes
 * its summary to a file; its output goes to {@code rivet-child-stderr-<time>-<export>.log} beside
 * the config. The parent merges the summaries; a child that died before writing one is a failed
 * export naming its exit status and log. Exit code: the most serious of the children's.
 */
final class ExportProcesses {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  /** Set in a child's environment: it runs its one export itself, never children of its own. */
  static final String CHILD_ENV = "RIVET_EXPORT_PROCESS";

  private ExportProcesses() {}

  /** Whether this process is a child of {@code --parallel-export-processes}. */
  static boolean isChild() {
    return System.getenv(CHILD_ENV) != null;
  }

  /** One child's outcome. */
  private record Child(String export, int exitCode, RunSummary summary, Path log) {}

  static RunSummary run(
      Path config, List<String> exports, List<String> childArgs, PrintStream console)
      throws Exception {
    Instant started = Instant.now();
    Path dir = config.toAbsolutePath().getParent();
    Path work = Files.createTempDirectory("rivet-children");
    String stamp = STAMP.format(started);
    int slots = Math.max(2, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(slots, exports.size()));
    List<Child> children = new ArrayList<>();
    try {
      List<Future<Child>> running = new ArrayList<>();
      for (String export : exports) {
        running.add(
            pool.submit(
                () ->
                    child(
                        config,
                        export,
                        childArgs,
                        work.resolve(export + ".json"),
                        dir.resolve("rivet-child-stderr-" + stamp + "-" + export + ".log"),
                        console)));
      }
      for (Future<Child> f : running) {
        children.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    List<RunSummary.ExportResult> results = new ArrayList<>();
    int exit = 0;
    for (Child c : children) {
      // A child killed by a signal (137, 143) or crashed otherwise failed without a class: 1.
      int childExit = c.exitCode() >= 0 && c.exitCode() <= 4 ? c.exitCode() : 1;
      if (ExportFailure.severity(childExit) > ExportFailure.severity(exit)) {
        exit = childExit;
      }
      if (c.summary() != null) {
        results.addAll(c.summary().perExport());
      } else {
        JsonNode error = lastError(c.log());
        String code =
            error != null && error.hasNonNull("code") ? error.get("code").asText() : "INTERNAL";
        String message =
            error != null && error.hasNonNull("error")
                ? error.get("error").asText() + " (its output is in " + c.log() + ")"
                : "the process of export '"
                    + c.export()
                    + "' exited with "
                    + c.exitCode()
                    + " before writing its summary; its output is in "
                    + c.log()
                    + ". 'rivet run -c <config> -e "
                    + c.export()
                    + " --resume' continues what it committed";
        results.add(
            new RunSummary.ExportResult(
                c.export(), "failed", null, 0, 0, 0, 0, null, null, false, message, code));
      }
    }
    // In the config's order; a partitioned export's children where their parent is.
    results.sort(Comparator.comparingInt(r -> position(exports, r.exportName())));
    Instant finished = Instant.now();
    return RunSummary.of(
        "agg_" + stamp,
        started.toString(),
        finished.toString(),
        Duration.between(started, finished).toMillis(),
        config.toString(),
        "processes",
        exit,
        results);
  }

  /** The last error a child printed ({@code --json-errors}: one JSON object per line), if any. */
  private static JsonNode lastError(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String line = lines.get(i).strip();
        if (line.startsWith("{\"error\"")) {
          JsonNode n = Json.MAPPER.readTree(line);
          if (n.hasNonNull("code")) {
            try {
              ErrorCode.valueOf(n.get("code").asText());
              return n;
            } catch (IllegalArgumentException notOurs) {
              return null;
            }
          }
        }
      }
    } catch (IOException unreadable) {
      return null;
    }
    return null;
  }

  /** The position of an export, or of the parent of a partition ({@code <parent>__<value>}). */
  private static int position(List<String> exports, String name) {
    for (int i = 0; i < exports.size(); i++) {
      if (name.equals(exports.get(i)) || name.startsWith(exports.get(i) + "__")) {
        return i;
      }
    }
    return exports.size();
  }

  private static Child child(
      Path config,
      String export,
      List<String> childArgs,
      Path summary,
      Path log,
      PrintStream console)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    // Errors as one JSON line, which the parent reads back from the log.
    cmd.addAll(List.of("--json-errors", "run", "-c", config.toString(), "-e", export));
    cmd.addAll(List.of("--summary-output", summary.toString()));
    cmd.addAll(childArgs);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put(CHILD_ENV, "1");
    Process p = pb.start();
    console.printf("•  %-24s started (pid %d, output in %s)%n", export, p.pid(), log);
    int code = p.waitFor();
    RunSummary s = null;
    if (Files.exists(summary)) {
      try {
        s = RunSummary.parse(Files.readString(summary));
      } catch (IllegalArgumentException unreadable) {
        s = null;
      }
    }
    console.printf("%s  %-24s process exited with %d%n", code == 0 ? "✓" : "✗", export, code);
    return new Child(export, code, s, log);
  }
}
