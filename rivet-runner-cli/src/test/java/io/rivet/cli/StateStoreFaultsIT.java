package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.TestingPostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store's own failures, made for real: a full disk and a read-only file system (a small
 * tmpfs the test mounts — the build runs as root), a state file that is not a database, one locked
 * by another process. Each names its cause (SQLite's result code) and the fix, prints no stack
 * trace, and leaves no empty state file.
 */
class StateStoreFaultsIT {
  private static TestingPostgresServer pg;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
        "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 2000) g");
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  private static Path config(Path configDir) throws Exception {
    Path yaml = configDir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "%s"}
        exports:
          - {name: t, table: t, mode: chunked, chunk_size: 500, format: parquet, destination: {type: local, path: "%s"}}
        """
            .formatted(
                pg.jdbcUrl(), configDir.getParent().resolve("out-" + configDir.getFileName())));
    return yaml;
  }

  private static void sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
  }

  private static void assertNamed(RivetProcess r, String code, String cause) {
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    assertThat(r.output())
        .contains("[STATE_STORE_FAILED]")
        .contains(code)
        .contains(cause)
        .doesNotContain("no transaction is active")
        .doesNotContain("\tat ")
        .doesNotContain("[INTERNAL]");
  }

  @Test
  void aFullDiskIsNamedAndLeavesNoEmptyStateFile() throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("full"));
    sh("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mnt.toString());
    try {
      Path yaml = config(mnt);
      // Fill what is left; the tmpfs then refuses every further block.
      try (var out = Files.newOutputStream(mnt.resolve("filler"))) {
        byte[] block = new byte[4096];
        while (true) {
          out.write(block);
          out.flush();
        }
      } catch (IOException full) {
        // no space left on device
      }
      RivetProcess r = RivetProcess.run(dir.resolve("full.log"), "run", "-c", yaml.toString());
      assertNamed(r, "SQLITE_FULL", "the disk that holds the state file is full");
      assertThat(mnt.resolve(".rivet_state.db")).doesNotExist();
      Files.delete(mnt.resolve("filler"));
      RivetProcess again = RivetProcess.run(dir.resolve("again.log"), "run", "-c", yaml.toString());
      assertThat(again.exitCode()).as(again.output()).isZero();
    } finally {
      sh("umount", mnt.toString());
    }
  }

  @Test
  void aReadOnlyFileSystemIsNamed() throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("ro"));
    sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString());
    try {
      Path yaml = config(mnt);
      sh("mount", "-o", "remount,ro", mnt.toString());
      RivetProcess r = RivetProcess.run(dir.resolve("ro.log"), "run", "-c", yaml.toString());
      assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
      assertThat(r.output())
          .contains("[STATE_STORE_FAILED]")
          .containsAnyOf("SQLITE_CANTOPEN", "SQLITE_READONLY")
          .contains("read-only")
          .doesNotContain("\tat ");
      assertThat(mnt.resolve(".rivet_state.db")).doesNotExist();
    } finally {
      sh("umount", mnt.toString());
    }
  }

  @Test
  void aStateFileThatIsNotADatabaseIsNamedAndKept() throws Exception {
    Path yaml = config(Files.createDirectories(dir.resolve("corrupt")));
    Path db = dir.resolve("corrupt/.rivet_state.db");
    byte[] garbage =
        "this is not a SQLite database, it is a note someone saved here\n"
            .repeat(200)
            .getBytes(StandardCharsets.UTF_8);
    Files.write(db, garbage);
    RivetProcess r = RivetProcess.run(dir.resolve("corrupt.log"), "run", "-c", yaml.toString());
    assertNamed(r, "SQLITE_NOTADB", "move it aside and restore it from a backup");
    assertThat(Files.readAllBytes(db)).as("a damaged store is never deleted").isEqualTo(garbage);
  }

  @Test
  void aStateFileLockedByAnotherProcessIsNamed() throws Exception {
    Path yaml = config(Files.createDirectories(dir.resolve("locked")));
    assertThat(RivetProcess.run(dir.resolve("first.log"), "run", "-c", yaml.toString()).exitCode())
        .isZero();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("locked/.rivet_state.db"));
        Statement st = c.createStatement()) {
      st.execute("BEGIN EXCLUSIVE");
      RivetProcess r =
          RivetProcess.run(
              dir.resolve("locked.log"),
              Map.of("RIVET_STATE_BUSY_TIMEOUT_MS", "500"),
              "run",
              "-c",
              yaml.toString());
      assertNamed(r, "SQLITE_BUSY", "another process holds the state file locked");
      st.execute("ROLLBACK");
    }
    List<String> leftovers;
    try (var s = Files.list(dir.resolve("locked"))) {
      leftovers = s.map(p -> p.getFileName().toString()).toList();
    }
    assertThat(leftovers).contains(".rivet_state.db");
  }
}
