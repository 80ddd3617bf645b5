package io.rivet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A {@code rivet} child process started in the background, for tests where processes overlap. */
final class RivetChild {
  private final Process process;
  private final Path log;

  private RivetChild(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static RivetChild start(Path log, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = command(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new RivetChild(pb.start(), log);
  }

  /** {@code java -Xmx512m -cp <the test's classpath> io.rivet.cli.Main <args>}. */
  static List<String> command(String... args) {
    return java(Main.class.getName(), args);
  }

  /** {@code java -Xmx512m -cp <the test's classpath> <mainClass> <args>}. */
  static List<String> java(String mainClass, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                mainClass));
    cmd.addAll(List.of(args));
    return cmd;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Waits for the exit (at most 5 minutes) and returns the exit code. */
  int exitCode() throws Exception {
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("rivet did not finish within 5 minutes: " + output());
    }
    return process.exitValue();
  }

  String output() throws Exception {
    return Files.readString(log);
  }

  void kill() throws Exception {
    process.destroyForcibly();
    process.waitFor();
  }

  void signal(String name) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
        .inheritIO()
        .start()
        .waitFor();
  }

  /** Waits until {@code condition} holds, failing if this process exits first or 3 minutes pass. */
  void awaitWhileAlive(BooleanSupplier condition, String what) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (Instant.now().isBefore(deadline)) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "rivet exited with " + process.exitValue() + " before " + what + ": " + output());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not within 3 minutes: " + what);
  }
}
