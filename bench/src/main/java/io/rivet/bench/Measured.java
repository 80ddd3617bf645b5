package io.rivet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A contender run as its own process: wall time, CPU seconds and peak RSS sampled from /proc every 20 ms. */
record Measured(String name, double wallSeconds, double cpuSeconds, long peakRssKb, int exitCode, String output) {
  private static final double TICKS = 100.0;

  static Measured run(String name, List<String> command, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long start = System.nanoTime();
    long peak = 0;
    double cpu = 0;
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    while (p.isAlive()) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            peak = Math.max(peak, Long.parseLong(line.replaceAll("\\D", "")));
          }
        }
        String[] f = Files.readString(stat).substring(Files.readString(stat).lastIndexOf(')') + 2).split(" ");
        cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS;
      } catch (IOException | RuntimeException exited) {
        // the process ended between isAlive and the read
      }
      Thread.sleep(20);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    return new Measured(name, wall, cpu, peak, p.exitValue(), Files.readString(log));
  }
}
