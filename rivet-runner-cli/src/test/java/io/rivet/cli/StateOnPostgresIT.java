package io.rivet.cli;

import static io.rivet.cli.ExportDirectory.assertEveryRowOnce;
import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.TestingPostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store on PostgreSQL, chosen by {@code state:} (its URL with a password in an
 * environment variable) or by {@code --state-url}: a chunked export runs and every row lands once;
 * the operator commands read the same store; nothing is written beside the config; and the password
 * appears in no file, log or stored plan.
 */
class StateOnPostgresIT {
  private static final int ROWS = 20_000;
  private static final String SECRET = "st4te-Pa55word-xyzzy";

  /** The lease's lifetime in the two-host test. */
  private static final String LEASE_TTL_MS = "15000";

  @TempDir Path dir;

  @Test
  void aRunAndTheOperatorCommandsUseTheSharedStoreAndItsPasswordGoesNowhere() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
      // The embedded server trusts local logins: the password is checked by nothing but this test's
      // search.
      String stateUrl =
          pg.jdbcUrl()
              .replaceFirst(
                  "^jdbc:postgresql://([^/]+)/([^?]*).*$",
                  "postgresql://postgres:" + SECRET + "@$1/$2");
      Map<String, String> env = Map.of("RIVET_STATE_URL", stateUrl);
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          state: {url_env: RIVET_STATE_URL, schema: rivet_ops}
          exports:
            - {name: t, table: t, mode: chunked, chunk_size: 2500, parallel: 2, format: parquet,
               destination: {type: local, path: ./out}}
          """
              .formatted(pg.jdbcUrl()));
      List<String> output = new ArrayList<>();
      RivetProcess run =
          RivetProcess.run(dir.resolve("run.log"), env, "run", "-c", yaml.toString());
      output.add(run.output());
      assertThat(run.exitCode()).as(run.output()).isZero();
      String schemaUrl =
          pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=rivet_ops";
      assertEveryRowOnce(dir.resolve("out"), schemaUrl, ROWS);
      assertThat(dir.resolve(".rivet_state.db")).as("nothing beside the config").doesNotExist();

      for (String[] args :
          new String[][] {
            {"state", "show", "-c", yaml.toString(), "--json"},
            {"state", "chunks", "-c", yaml.toString(), "-e", "t", "--json"},
            {"state", "files", "-c", yaml.toString(), "--json"},
            {"state", "leases", "-c", yaml.toString(), "--json"},
            {"metrics", "-c", yaml.toString(), "--json"},
            {"journal", "-c", yaml.toString(), "-e", "t", "--json"}
          }) {
        RivetProcess cmd = RivetProcess.run(dir.resolve("cmd.log"), env, args);
        output.add(cmd.output());
        assertThat(cmd.exitCode()).as(String.join(" ", args) + ": " + cmd.output()).isZero();
      }
      assertThat(output.get(2))
          .as("state chunks reads the shared store")
          .contains("\"status\" : \"completed\"");
      assertThat(output.get(5)).as("metrics").contains("\"total_rows\" : " + ROWS);

      // --state-url names another schema of the same server: a store of its own, empty.
      RivetProcess other =
          RivetProcess.run(
              dir.resolve("other.log"),
              env,
              "metrics",
              "-c",
              yaml.toString(),
              "--state-url",
              "env:RIVET_STATE_URL?currentSchema=rivet_other",
              "--json");
      assertThat(other.exitCode()).as(other.output()).isZero();
      assertThat(other.output().strip()).isEqualTo("[ ]");

      // The password: in no output, no file under the config's directory, no stored plan or journal
      // entry.
      assertThat(output).noneMatch(o -> o.contains(SECRET));
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
              .as(f.toString())
              .doesNotContain(SECRET);
        }
      }
      try (Connection c = DriverManager.getConnection(schemaUrl);
          Statement st = c.createStatement()) {
        for (String q :
            List.of(
                "SELECT plan_json FROM runs",
                "SELECT payload_json FROM journal",
                "SELECT coalesce(error_message, '') FROM export_metrics")) {
          try (ResultSet rs = st.executeQuery(q)) {
            while (rs.next()) {
              assertThat(rs.getString(1)).as(q).doesNotContain(SECRET);
            }
          }
        }
      }
    }
  }

  /**
   * Launchers on two hosts (told apart by {@code HOSTNAME}) share one store: started at once, one
   * runs and the other is refused naming the holder; a launcher killed mid-run keeps its lease
   * until its heartbeat is older than the lease (the other host cannot see the process), then a
   * resume from the other host continues its run with no one unlocking anything.
   */
  @Test
  void launchersOnTwoHostsShareOneStoreAndAKilledOnesLeaseExpires() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
      String schemaUrl =
          pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "currentSchema=rivet_ops";
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          state: {url_env: RIVET_STATE_URL, schema: rivet_ops}
          exports:
            - {name: t, table: t, mode: chunked, chunk_size: 2000, parallel: 2, format: parquet,
               tuning: {batch_size: 500, throttle_ms: 150}, destination: {type: local, path: ./out}}
          """
              .formatted(pg.jdbcUrl()));
      String stateUrl = pg.jdbcUrl().replaceFirst("^jdbc:", "");
      Map<String, String> hostA =
          Map.of(
              "RIVET_STATE_URL",
              stateUrl,
              "HOSTNAME",
              "host-a",
              "RIVET_LEASE_TTL_MS",
              LEASE_TTL_MS);
      Map<String, String> hostB =
          Map.of(
              "RIVET_STATE_URL",
              stateUrl,
              "HOSTNAME",
              "host-b",
              "RIVET_LEASE_TTL_MS",
              LEASE_TTL_MS);

      RivetChild a = RivetChild.start(dir.resolve("a.log"), hostA, "run", "-c", yaml.toString());
      RivetChild b = RivetChild.start(dir.resolve("b.log"), hostB, "run", "-c", yaml.toString());
      int ca = a.exitCode();
      int cb = b.exitCode();
      assertThat(List.of(ca, cb))
          .as(a.output() + "\n---\n" + b.output())
          .containsExactlyInAnyOrder(0, 2);
      RivetChild loser = ca == 0 ? b : a;
      String winnerHost = ca == 0 ? "host-a" : "host-b";
      assertThat(loser.output())
          .contains("[EXPORT_BUSY]")
          .contains("on host " + winnerHost)
          .contains("This run wrote nothing");
      assertEveryRowOnce(dir.resolve("out"), schemaUrl, ROWS);

      // A new run from host A, killed after a few parts.
      RivetChild killed =
          RivetChild.start(dir.resolve("killed.log"), hostA, "run", "-c", yaml.toString());
      int before = ExportDirectory.committedParts(schemaUrl);
      killed.awaitWhileAlive(
          () -> ExportDirectory.committedParts(schemaUrl) >= before + 2, "two committed parts");
      killed.kill();
      long killedAt = System.nanoTime();
      // At once from host B: the lease is live for all host B can tell.
      RivetProcess early =
          RivetProcess.run(
              dir.resolve("early.log"), hostB, "run", "-c", yaml.toString(), "--resume");
      assertThat(early.exitCode()).as(early.output()).isEqualTo(2);
      assertThat(early.output()).contains("[EXPORT_BUSY]").contains("on host host-a");
      // After the lease's lifetime without a heartbeat, host B continues the run.
      // (The lifetime is long enough that host B's JVM starts and checks well inside it, on a
      // loaded
      // machine too: with 4 s, CI once saw the check land after the lease had expired.)
      long left = Long.parseLong(LEASE_TTL_MS) + 500 - (System.nanoTime() - killedAt) / 1_000_000;
      Thread.sleep(Math.max(0, left));
      RivetProcess resumed =
          RivetProcess.run(
              dir.resolve("resumed.log"), hostB, "run", "-c", yaml.toString(), "--resume");
      assertThat(resumed.exitCode()).as(resumed.output()).isZero();
      assertThat(resumed.output()).contains("(resumed t_");
      assertEveryRowOnce(dir.resolve("out"), schemaUrl, ROWS);
    }
  }

  @Test
  void aPasswordInStateUrlIsRefusedNamingThePathAndTheFix() throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url: "postgresql://u@127.0.0.1:5432/db"}
        state: {url: "postgresql://rivet:%s@127.0.0.1:5432/ops"}
        exports:
          - {name: t, table: t, format: parquet, destination: {type: local, path: ./out}}
        """
            .formatted(SECRET));
    CliRun run = CliRun.of("run", "-c", yaml.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("state.url: holds a password")
        .contains("url_env")
        .doesNotContain(SECRET)
        .doesNotContain("\tat ");
  }
}
