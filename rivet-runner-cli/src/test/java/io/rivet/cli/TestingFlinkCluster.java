package io.rivet.cli;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Flink 1.19 session cluster of three JVMs — one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and two TaskManagers ({@code TaskManagerRunner}) — started
 * from the flink-runtime artifacts the build already resolves (flink-dist is not served here).
 *
 * <p>The cluster's classpath is the test's without any of rivet's own classes: rivet reaches the
 * workers only in the jars the FlinkRunner stages with the job, as on a real cluster. Each JVM gets
 * the environment a worker of a platform would have (the source's and the state store's URLs, the
 * destination's keys), and nothing else of the launcher's: it runs in a mount namespace of its own
 * ({@code unshare -m}) where the {@code hidden} directories — the launcher's config directory, its
 * query files — are empty tmpfs mounts, so a worker that tried to read them would fail.
 *
 * <p>What it needed (recorded for the next fixture): a {@code flink-conf.yaml} with the
 * JobManager's RPC and REST addresses, explicit process memory sizes for both roles (the
 * entrypoints do not run Flink's shell scripts, so each JVM's -Xmx is set here to match), slots
 * spread evenly so both TaskManagers get work, short heartbeats so a killed TaskManager is noticed
 * in seconds, and a fixed-delay restart strategy.
 */
final class TestingFlinkCluster implements AutoCloseable {
  private final Path dir;
  private final Map<String, String> env;
  private final List<Path> hidden;
  private final String classpath;
  private final int restPort;
  private final Process jobManager;
  private final List<Process> taskManagers = new ArrayList<>();

  TestingFlinkCluster(
      Path dir, int taskManagers, int slotsEach, Map<String, String> env, List<Path> hidden)
      throws Exception {
    this.dir = Files.createDirectories(dir.toAbsolutePath());
    this.env = Map.copyOf(env);
    this.hidden = List.copyOf(hidden);
    this.classpath = clusterClasspath();
    this.restPort = freePort();
    int rpcPort = freePort();
    Path conf = Files.createDirectories(this.dir.resolve("conf"));
    Files.writeString(
        conf.resolve("flink-conf.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: localhost",
            "jobmanager.rpc.port: " + rpcPort,
            "jobmanager.bind-host: localhost",
            "rest.address: localhost",
            "rest.bind-address: localhost",
            "rest.port: " + restPort,
            "taskmanager.host: localhost",
            "taskmanager.bind-host: localhost",
            "taskmanager.numberOfTaskSlots: " + slotsEach,
            "parallelism.default: 2",
            "cluster.evenly-spread-out-slots: true",
            "jobmanager.memory.process.size: 768m",
            "taskmanager.memory.managed.size: 64m",
            // Set by Flink's scripts when they start a TaskManager; required when started directly.
            "taskmanager.cpu.cores: " + slotsEach,
            "taskmanager.memory.task.heap.size: 400m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            "heartbeat.interval: 1000",
            "heartbeat.timeout: 6000",
            "restart-strategy.type: fixed-delay",
            "restart-strategy.fixed-delay.attempts: 10",
            "restart-strategy.fixed-delay.delay: 2 s",
            "io.tmp.dirs: " + Files.createDirectories(this.dir.resolve("tmp")),
            "blob.storage.directory: " + Files.createDirectories(this.dir.resolve("blobs")),
            ""));
    jobManager =
        start(
            "jobmanager",
            "-Xmx512m",
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
            conf);
    waitForRest();
    for (int i = 0; i < taskManagers; i++) {
      this.taskManagers.add(
          start(
              "taskmanager-" + i,
              "-Xmx700m",
              "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
              conf));
    }
    waitForSlots(taskManagers * slotsEach);
  }

  /** {@code host:port} of the REST endpoint, as {@code --flinkMaster} takes it. */
  String master() {
    return "localhost:" + restPort;
  }

  /** The TaskManager processes, in start order. */
  List<Process> taskManagers() {
    return List.copyOf(taskManagers);
  }

  /** The REST API's answer to a GET (for the tests' checks on jobs and TaskManagers). */
  String get(String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create("http://" + master() + path).toURL().openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(5000);
    try (var in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The ids of the jobs the cluster has run or runs. */
  java.util.Set<String> jobIds() throws IOException {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (com.fasterxml.jackson.databind.JsonNode job :
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(get("/jobs/overview"))
            .path("jobs")) {
      ids.add(job.path("jid").asText());
    }
    return ids;
  }

  /** Number of TaskManagers the JobManager knows. */
  int registeredTaskManagers() throws IOException {
    Matcher m = Pattern.compile("\"id\"\\s*:").matcher(get("/taskmanagers"));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** The log of one of the cluster's JVMs. */
  String log(String role) throws IOException {
    Path f = dir.resolve(role + ".log");
    return Files.exists(f) ? Files.readString(f) : "";
  }

  /**
   * Whether a process of the cluster can see {@code path} (false for anything under a hidden
   * directory).
   */
  boolean canSee(Path path) throws Exception {
    List<String> cmd = new ArrayList<>(isolated());
    cmd.addAll(List.of("test", "-e", path.toAbsolutePath().toString()));
    return new ProcessBuilder(cmd).inheritIO().start().waitFor() == 0;
  }

  /** The command prefix that runs a program with the hidden directories mounted over. */
  private List<String> isolated() {
    String mounts =
        hidden.stream()
            .map(h -> "mount -t tmpfs none '" + h.toAbsolutePath() + "' || exit 97; ")
            .collect(Collectors.joining());
    return List.of(
        "unshare", "-m", "--propagation", "private", "sh", "-c", mounts + "exec \"$@\"", "sh");
  }

  private Process start(String role, String heap, String mainClass, Path conf) throws IOException {
    List<String> cmd = new ArrayList<>(isolated());
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            heap,
            "-XX:+UseParallelGC",
            "-Dlog.file=" + dir.resolve(role + ".flink.log"),
            "-Djava.io.tmpdir=" + dir.resolve("tmp"),
            "-cp",
            classpath,
            mainClass,
            "--configDir",
            conf.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(Files.createDirectories(dir.resolve(role)).toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(role + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * The test's classpath without rivet: no module's classes, no rivet jar. Flink, Beam and the
   * drivers stay, as a platform's Flink image would have Flink (and a job's jars bring the rest).
   */
  private static String clusterClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("/io/rivet/") && !isRivetModule(e))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static boolean isRivetModule(String entry) {
    Path p = Path.of(entry).toAbsolutePath().normalize();
    return p.toString().matches(".*/rivet-[a-z-]+/target/(test-)?classes/?")
        || p.getFileName().toString().startsWith("rivet-");
  }

  private void waitForRest() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      if (!jobManager.isAlive()) {
        throw new IllegalStateException(
            "the JobManager exited with " + jobManager.exitValue() + ":\n" + log("jobmanager"));
      }
      try {
        get("/config");
        return;
      } catch (IOException notYet) {
        Thread.sleep(300);
      }
    }
    throw new IllegalStateException("the JobManager's REST API did not answer within 90 s");
  }

  private void waitForSlots(int slots) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      for (int i = 0; i < taskManagers.size(); i++) {
        if (!taskManagers.get(i).isAlive()) {
          throw new IllegalStateException(
              "TaskManager " + i + " exited:\n" + log("taskmanager-" + i));
        }
      }
      String overview = get("/overview");
      Matcher m = Pattern.compile("\"slots-total\"\\s*:\\s*(\\d+)").matcher(overview);
      if (m.find() && Integer.parseInt(m.group(1)) >= slots) {
        return;
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException(
        "the TaskManagers did not register within 90 s: " + get("/overview"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Process p : taskManagers) {
      p.destroyForcibly();
    }
    jobManager.destroyForcibly();
    for (Process p : taskManagers) {
      waitFor(p);
    }
    waitFor(jobManager);
    // The staged jars (about 500 MB per job and copy) go; the logs stay for a failure's
    // post-mortem.
    for (String big : List.of("blobs", "tmp", "jobmanager", "taskmanager-0", "taskmanager-1")) {
      deleteTree(dir.resolve(big));
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // best effort: target/ is cleaned by the next build
    }
  }

  private static void waitFor(Process p) {
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
