package io.rivet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code rivet} as a child process of the test, with its peak RSS (VmHWM) sampled from /proc while
 * it runs. The JVM gets the same default heap bound as the {@code ./rivet} launcher ({@code
 * rivet.long.jvmArgs} overrides it).
 */
record RivetProcess(int exitCode, long peakRssMb, String output) {
  static RivetProcess run(Path log, String... args) throws Exception {
    return run(log, Map.of(), args);
  }

  static RivetProcess run(Path log, Map<String, String> env, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(
        List.of(
            System.getProperty(
                    "rivet.long.jvmArgs",
                    "-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseParallelGC -XX:Tier4InvocationThreshold=80000 -XX:Tier4CompileThreshold=100000")
                .split("\\s+")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    long peakKb = 0;
    while (p.isAlive()) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            peakKb = Math.max(peakKb, Long.parseLong(line.replaceAll("\\D", "")));
          }
        }
      } catch (Exception exited) {
        // the process ended between the check and the read
      }
      Thread.sleep(50);
    }
    return new RivetProcess(p.exitValue(), peakKb / 1024, Files.readString(log));
  }
}
