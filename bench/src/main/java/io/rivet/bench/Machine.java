package io.rivet.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** One line describing the host: CPU model, cores, memory, JVM. */
final class Machine {
  private Machine() {}

  static String describe() {
    String cpu = "unknown CPU";
    long memKb = 0;
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse(cpu);
      memKb =
          Files.readAllLines(Path.of("/proc/meminfo")).stream()
              .filter(l -> l.startsWith("MemTotal"))
              .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
              .findFirst()
              .orElse(0L);
    } catch (Exception ignored) {
      // not Linux: keep the defaults
    }
    return String.format(
        "%s, %d cores, %.0f GiB, Java %s",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        memKb / 1024.0 / 1024.0,
        Runtime.version());
  }
}
