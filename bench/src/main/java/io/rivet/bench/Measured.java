package io.rivet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A contender run as its own process: wall time, its CPU seconds, the source server's CPU seconds
 * over the same interval, its peak RSS (VmHWM, sampled every 20 ms), the Parquet bytes it wrote and
 * the longest statement the source logged for it.
 */
record Measured(
    String key,
    String name,
    long rows,
    double wallSeconds,
    double cpuSeconds,
    double serverCpuSeconds,
    long peakRssKb,
    long outputBytes,
    StatementLog.Longest longest) {

  static Measured run(
      String key,
      Source.Contender contender,
      long rows,
      Source source,
      Path log,
      Map<String, String> env,
      Path outputDir)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(contender.command())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    if (contender.workingDir() != null) {
      pb.directory(contender.workingDir().toFile());
    }
    source.startStatementLog(
        Integer.toHexString(log.toAbsolutePath().toString().hashCode()) + "-" + key);
    double serverBefore = source.serverCpuSeconds();
    Process p = pb.start();
    long start = System.nanoTime();
    long peak = 0;
    double cpu = 0;
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    while (p.isAlive()) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            peak = Math.max(peak, Long.parseLong(line.replaceAll("\\D", "")));
          }
        }
      } catch (IOException | RuntimeException exited) {
        // the process ended between isAlive and the read
      }
      cpu = Math.max(cpu, ProcStat.selfAndReaped(p.pid()));
      Thread.sleep(20);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    double serverCpu = source.serverCpuSeconds() - serverBefore;
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          contender.name() + " failed (exit " + p.exitValue() + "):\n" + Files.readString(log));
    }
    return new Measured(
        key,
        contender.name(),
        rows,
        wall,
        cpu,
        serverCpu,
        peak,
        outputDir == null ? 0 : parquetBytes(outputDir),
        source.longestStatement());
  }

  double rowsPerSecond() {
    return rows / wallSeconds;
  }

  double parquetMbPerSecond() {
    return outputBytes / 1048576.0 / wallSeconds;
  }

  static long parquetBytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long total = 0;
      for (Path f : files.filter(f -> f.toString().endsWith(".parquet")).toList()) {
        total += Files.size(f);
      }
      return total;
    }
  }

  static Measured find(List<Measured> results, String key) {
    return results.stream().filter(m -> m.key().equals(key)).findFirst().orElse(null);
  }
}
