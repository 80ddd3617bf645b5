package io.rivet.cli;

import static io.rivet.cli.ExportDirectory.assertEveryRowOnce;
import static io.rivet.cli.ExportDirectory.committedParts;
import static io.rivet.cli.ExportDirectory.visibleParts;
import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.manifest.Manifest;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes touching one export, as an operator (or a scheduler) would: the same config started
 * twice, a resume of a live run, two resumes after a crash, two configs with their own state files
 * aimed at one directory, the state file deleted after a crash, a holder paused past its lease. In
 * each case exactly one writer proceeds, and the directory ends with every row once: files =
 * manifest = ledger, every part's SHA-256 its fingerprint.
 */
class ExclusiveWritersIT {
  private static final int ROWS = 30_000;
  private static TestingPostgresServer pg;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  /** A chunked export slowed down by the throttle (~5 s), so that two processes overlap. */
  private Path config(Path configDir, String destination) throws Exception {
    return config(configDir, destination, 120);
  }

  private Path config(Path configDir, String destination, int throttleMs) throws Exception {
    Files.createDirectories(configDir);
    Path yaml = configDir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - name: t
            table: t
            mode: chunked
            chunk_size: 1500
            parallel: 2
            chunk_checkpoint: true
            format: parquet
            tuning: {batch_size: 500, throttle_ms: %d}
            destination: {type: local, path: "%s"}
        """
            .formatted(pg.jdbcUrl(), throttleMs, destination));
    return yaml;
  }

  private RivetChild start(Path yaml, String log, String... extra) throws Exception {
    return start(yaml, log, Map.of(), extra);
  }

  private RivetChild start(Path yaml, String log, Map<String, String> env, String... extra)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("run", "-c", yaml.toString()));
    args.addAll(List.of(extra));
    return RivetChild.start(dir.resolve(log), env, args.toArray(String[]::new));
  }

  private static boolean refusedAsBusy(int code, String output) {
    return code == 2
        && output.contains("[EXPORT_BUSY]")
        && output.contains("is being written by another rivet process")
        && output.contains("This run wrote nothing");
  }

  @Test
  void theSameConfigStartedTwiceAtOnceRunsOnce() throws Exception {
    Path yaml = config(dir, "./out");
    RivetChild a = start(yaml, "a.log");
    RivetChild b = start(yaml, "b.log");
    int ca = a.exitCode();
    int cb = b.exitCode();
    assertThat(List.of(ca, cb))
        .as(a.output() + "\n---\n" + b.output())
        .containsExactlyInAnyOrder(0, 2);
    RivetChild loser = ca == 0 ? b : a;
    RivetChild winner = ca == 0 ? a : b;
    assertThat(refusedAsBusy(2, loser.output())).as(loser.output()).isTrue();
    assertThat(loser.output()).contains("pid " + winner.pid()).doesNotContain("--resume");
    assertEveryRowOnce(dir.resolve("out"), dir.resolve(".rivet_state.db"), ROWS);
  }

  @Test
  void aResumeOfALiveRunIsRefusedNamingTheHolder() throws Exception {
    Path yaml = config(dir, "./out", 400);
    RivetChild a = start(yaml, "a.log");
    a.awaitWhileAlive(
        () -> committedParts(dir.resolve(".rivet_state.db")) >= 2, "two committed parts");
    CliRun resume = CliRun.of("run", "-c", yaml.toString(), "--resume");
    CliRun plain = CliRun.of("run", "-c", yaml.toString());
    CliRun reset = CliRun.of("state", "reset-chunks", "-c", yaml.toString(), "-e", "t");
    RivetProcess leases =
        RivetProcess.run(
            dir.resolve("leases.log"), "state", "leases", "-c", yaml.toString(), "--json");
    assertThat(a.alive()).as("the run is still writing").isTrue();
    assertThat(leases.output())
        .contains("\"export_name\" : \"t\"")
        .contains("\"live\" : true")
        .contains("\"pid\" : " + a.pid())
        .contains("\"run_id\" : \"t_");
    assertThat(a.exitCode()).as(a.output()).isZero();
    for (CliRun r : List.of(resume, plain, reset)) {
      assertThat(refusedAsBusy(r.exitCode(), r.err())).as(r.err()).isTrue();
      assertThat(r.err()).contains("pid " + a.pid()).contains("run t_").doesNotContain("--resume");
    }
    assertEveryRowOnce(dir.resolve("out"), dir.resolve(".rivet_state.db"), ROWS);
  }

  @Test
  void twoResumesAfterACrashContinueTheRunOnce() throws Exception {
    Path yaml = config(dir, "./out");
    RivetChild a = start(yaml, "a.log");
    a.awaitWhileAlive(
        () -> committedParts(dir.resolve(".rivet_state.db")) >= 3, "three committed parts");
    a.kill();
    // The killed holder's lease ends at once: its process is gone from this host.
    RivetChild r1 = start(yaml, "r1.log", "--resume");
    RivetChild r2 = start(yaml, "r2.log", "--resume");
    int c1 = r1.exitCode();
    int c2 = r2.exitCode();
    String both = r1.output() + "\n---\n" + r2.output();
    boolean oneResumed =
        (c1 == 0 && r1.output().contains("(resumed t_"))
            != (c2 == 0 && r2.output().contains("(resumed t_"));
    assertThat(oneResumed).as(both).isTrue();
    RivetChild other = c1 == 0 && r1.output().contains("(resumed t_") ? r2 : r1;
    int otherCode = other == r1 ? c1 : c2;
    // The other either met the live lease, or came after the run finished and found nothing to
    // resume.
    assertThat(
            refusedAsBusy(otherCode, other.output())
                || (otherCode == 0 && other.output().contains("nothing to resume")))
        .as(both)
        .isTrue();
    assertEveryRowOnce(dir.resolve("out"), dir.resolve(".rivet_state.db"), ROWS);
  }

  @Test
  void aResumeWithNothingUnfinishedWritesNothing() throws Exception {
    Path yaml = config(dir, "./out");
    assertThat(CliRun.of("run", "-c", yaml.toString()).exitCode()).isZero();
    Path out = dir.resolve("out");
    Map<String, Long> before = listing(out);
    RivetProcess again =
        RivetProcess.run(dir.resolve("again.log"), "run", "-c", yaml.toString(), "--resume");
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output())
        .contains("nothing to resume: its last run t_")
        .contains("is completed")
        .contains("nothing was written");
    assertThat(listing(out)).isEqualTo(before);
    assertEveryRowOnce(out, dir.resolve(".rivet_state.db"), ROWS);
  }

  @Test
  void aNewRunRetiresTheFinishedRunsPartsOnlyAfterItsOwnSuccess() throws Exception {
    Path yaml = config(dir, "./out");
    assertThat(CliRun.of("run", "-c", yaml.toString()).exitCode()).isZero();
    Path out = dir.resolve("out");
    Manifest first = Manifest.parse(Files.readAllBytes(out.resolve("manifest.json")));
    RivetChild second = start(yaml, "second.log");
    second.awaitWhileAlive(
        () -> committedParts(dir.resolve(".rivet_state.db")) >= first.partCount() + 2,
        "the second run's first parts");
    // While the second run writes, the first run's snapshot is whole and its manifest still
    // describes it.
    assertThat(visibleParts(out))
        .containsAll(first.parts().stream().map(Manifest.Part::path).toList());
    assertThat(Manifest.parse(Files.readAllBytes(out.resolve("manifest.json"))).runId())
        .isEqualTo(first.runId());
    assertThat(second.exitCode()).as(second.output()).isZero();
    assertEveryRowOnce(out, dir.resolve(".rivet_state.db"), ROWS);
    Path retired = out.resolve("_retired").resolve(first.runId());
    try (Stream<Path> s = Files.list(retired)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactlyElementsOf(
              first.parts().stream().map(Manifest.Part::path).sorted().toList());
    }
  }

  @Test
  void twoConfigsWithTheirOwnStateFilesCannotShareADirectory() throws Exception {
    Path shared = dir.resolve("shared-out");
    Path one = config(dir.resolve("one"), shared.toString());
    Path two = config(dir.resolve("two"), shared.toString());
    // At once: one claims the directory, the other is refused before writing anything.
    RivetChild a = start(one, "one.log");
    RivetChild b = start(two, "two.log");
    int ca = a.exitCode();
    int cb = b.exitCode();
    assertThat(List.of(ca, cb))
        .as(a.output() + "\n---\n" + b.output())
        .containsExactlyInAnyOrder(0, 1);
    RivetChild loser = ca == 0 ? b : a;
    Path winnerDir = ca == 0 ? dir.resolve("one") : dir.resolve("two");
    assertThat(loser.output())
        .contains("[DESTINATION_CONFLICT]")
        .contains("state store")
        .contains("destination.path");
    assertEveryRowOnce(shared, winnerDir.resolve(".rivet_state.db"), ROWS);
    // And afterwards, one after the other: still refused, naming the owner's state file.
    Path loserYaml = ca == 0 ? two : one;
    CliRun again = CliRun.of("run", "-c", loserYaml.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err())
        .contains("[DESTINATION_CONFLICT]")
        .contains("belongs to export 't' of another state store")
        .contains(winnerDir.resolve(".rivet_state.db").toString());
    assertEveryRowOnce(shared, winnerDir.resolve(".rivet_state.db"), ROWS);
  }

  @Test
  void aDeletedStateFileIsDetectedAndForceStartsOverAside() throws Exception {
    Path yaml = config(dir, "./out");
    RivetChild a = start(yaml, "a.log");
    a.awaitWhileAlive(
        () -> committedParts(dir.resolve(".rivet_state.db")) >= 3, "three committed parts");
    a.kill();
    Path out = dir.resolve("out");
    List<String> orphans = visibleParts(out);
    assertThat(orphans).isNotEmpty();
    for (String f : List.of(".rivet_state.db", ".rivet_state.db-wal", ".rivet_state.db-shm")) {
      Files.deleteIfExists(dir.resolve(f));
    }
    for (String[] args :
        List.of(
            new String[] {"run", "-c", yaml.toString()},
            new String[] {"run", "-c", yaml.toString(), "--resume"})) {
      CliRun refused = CliRun.of(args);
      assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
      assertThat(refused.err())
          .contains("[DESTINATION_CONFLICT]")
          .contains("the state file was deleted or replaced")
          .contains("put the old state file back")
          .contains("--force")
          .contains("_retired");
    }
    assertThat(visibleParts(out)).isEqualTo(orphans);
    CliRun forced = CliRun.of("run", "-c", yaml.toString(), "--force");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertEveryRowOnce(out, dir.resolve(".rivet_state.db"), ROWS);
    try (Stream<Path> s = Files.walk(out.resolve("_retired"))) {
      assertThat(s.map(p -> p.getFileName().toString()).toList())
          .containsAll(orphans)
          .contains("_rivet_owner.json");
    }
  }

  @Test
  void aPausedHolderLosesItsLeaseAndCommitsNothingAfterTheTakeover() throws Exception {
    Path yaml = config(dir, "./out");
    Map<String, String> shortLease = Map.of("RIVET_LEASE_TTL_MS", "1500");
    RivetChild zombie = start(yaml, "zombie.log", shortLease);
    zombie.awaitWhileAlive(
        () -> committedParts(dir.resolve(".rivet_state.db")) >= 3, "three committed parts");
    pauseOutsideAStateTransaction(zombie, dir.resolve(".rivet_state.db"));
    try {
      Thread.sleep(2500);
      // Alive but silent past its lease: the resume takes the run over and finishes it.
      RivetProcess resumed =
          RivetProcess.run(
              dir.resolve("resume.log"), shortLease, "run", "-c", yaml.toString(), "--resume");
      assertThat(resumed.exitCode()).as(resumed.output()).isZero();
      assertEveryRowOnce(dir.resolve("out"), dir.resolve(".rivet_state.db"), ROWS);
    } finally {
      zombie.signal("CONT");
    }
    int code = zombie.exitCode();
    assertThat(code).as(zombie.output()).isEqualTo(2);
    assertThat(zombie.output()).contains("[LEASE_LOST]").contains("lost its lease");
    // Whatever the zombie was doing when it woke up, the finished directory is unchanged.
    assertEveryRowOnce(dir.resolve("out"), dir.resolve(".rivet_state.db"), ROWS);
  }

  /**
   * SIGSTOPs the child at a moment it holds no state-store transaction. One frozen inside a
   * transaction keeps the SQLite file locked, and every other process then fails after the busy
   * timeout naming SQLITE_BUSY ({@code StateStoreFaultsIT}): a case of its own, not the lease
   * takeover this test is about.
   */
  private static void pauseOutsideAStateTransaction(RivetChild child, Path stateFile)
      throws Exception {
    for (int attempt = 0; attempt < 100; attempt++) {
      child.signal("STOP");
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + stateFile);
          Statement st = c.createStatement()) {
        st.execute("PRAGMA busy_timeout = 0");
        st.execute("BEGIN IMMEDIATE");
        st.execute("ROLLBACK");
        return;
      } catch (SQLException locked) {
        child.signal("CONT");
        Thread.sleep(20);
      }
    }
    throw new AssertionError("the child always held the state file locked");
  }

  private static Map<String, Long> listing(Path out) throws Exception {
    Map<String, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(
            out.relativize(p).toString(),
            Files.getLastModifiedTime(p).toMillis() * 1000 + Files.size(p));
      }
    }
    return m;
  }
}
