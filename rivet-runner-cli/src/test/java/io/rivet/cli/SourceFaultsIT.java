package io.rivet.cli;

import static io.rivet.cli.ExportDirectory.assertEveryRowOnce;
import static io.rivet.cli.ExportDirectory.committedParts;
import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.FaultProxy;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source misbehaving mid-export, for real: a TCP proxy that cuts or freezes the connections
 * between rivet and the server, and PostgreSQL restarted under the export ({@code fast}: sessions
 * terminated; {@code immediate}: a crash and recovery). Each export completes with every row once
 * and the retries in the journal; a permanent error stops with its class and the export resumes
 * after the fix.
 */
class SourceFaultsIT {
  private static final int ROWS = 40_000;

  @TempDir Path dir;

  private static void load(TestingServer db) throws Exception {
    try (Connection c = db.connect();
        var st = c.createStatement()) {
      st.execute("CREATE TABLE t (id bigint PRIMARY KEY, v varchar(64))");
      if (db.engine().equals("postgres")) {
        st.execute("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, " + ROWS + ") g");
      } else {
        st.execute("SET SESSION max_recursive_iterations = 1000000");
        st.execute(
            "INSERT INTO t WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < "
                + ROWS
                + ") SELECT g, md5(g) FROM s");
      }
    }
  }

  /** A throttled chunked export (~8 s), retries quick, stalled reads noticed after 3 s. */
  private Path config(String url) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: %s, url: "%s"}
        exports:
          - name: t
            table: t
            mode: chunked
            chunk_size: 2000
            parallel: 2
            format: parquet
            tuning: {batch_size: 500, throttle_ms: 100, max_retries: 3, retry_backoff_ms: 200, retry_window_s: 60,
                     socket_timeout_s: 3}
            destination: {type: local, path: ./out}
        """
            .formatted(url.startsWith("jdbc:postgresql") ? "postgres" : "mysql", url));
    return yaml;
  }

  private static String throughProxy(String url, FaultProxy proxy) {
    Matcher m = Pattern.compile("(localhost|127\\.0\\.0\\.1):(\\d+)").matcher(url);
    assertThat(m.find()).as(url).isTrue();
    return url.substring(0, m.start()) + "127.0.0.1:" + proxy.port() + url.substring(m.end());
  }

  private static int port(String url) {
    Matcher m = Pattern.compile("(localhost|127\\.0\\.0\\.1):(\\d+)").matcher(url);
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(2));
  }

  private RivetChild startExport(Path yaml) throws Exception {
    RivetChild run =
        RivetChild.start(dir.resolve("run.log"), Map.of(), "run", "-c", yaml.toString());
    run.awaitWhileAlive(
        () -> committedParts(dir.resolve(".rivet_state.db")) >= 3, "three committed parts");
    return run;
  }

  private List<String> retries() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".rivet_state.db"));
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT payload_json FROM journal WHERE event = 'RetryAttempted'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private void assertCompletedWithRetries(RivetChild run) throws Exception {
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertEveryRowOnce(dir.resolve("out"), dir.resolve(".rivet_state.db"), ROWS);
    assertThat(retries())
        .as(run.output())
        .isNotEmpty()
        .allMatch(j -> j.contains("\"reason\"") && j.contains("backoff_ms"));
  }

  @Test
  void connectionsCutMidStreamAreRetriedOnNewOnes() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      load(pg);
      try (FaultProxy proxy = new FaultProxy("127.0.0.1", port(pg.jdbcUrl()))) {
        RivetChild run = startExport(config(throughProxy(pg.jdbcUrl(), proxy)));
        int before = proxy.accepted();
        proxy.cut();
        assertCompletedWithRetries(run);
        assertThat(run.output())
            .contains(
                "the source is reached through a pooler or proxy (the server listens on port "
                    + port(pg.jdbcUrl())
                    + " but this connection went to port "
                    + proxy.port()
                    + ")");
        assertThat(proxy.accepted()).isGreaterThan(before);
        assertThat(retries())
            .anyMatch(j -> j.contains("08006") || j.contains("transient_reconnect"));
      }
    }
  }

  @Test
  void aFrozenConnectionIsNoticedByTheSocketTimeoutNotWaitedOut() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      load(pg);
      try (FaultProxy proxy = new FaultProxy("127.0.0.1", port(pg.jdbcUrl()))) {
        RivetChild run = startExport(config(throughProxy(pg.jdbcUrl(), proxy)));
        long frozenAt = System.nanoTime();
        proxy.freeze(60_000);
        assertCompletedWithRetries(run);
        assertThat((System.nanoTime() - frozenAt) / 1_000_000_000)
            .as("finished well inside the 60 s freeze")
            .isLessThan(50);
      }
    }
  }

  @Test
  void aFastRestartOfPostgresMidExportIsRiddenOut() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      load(pg);
      RivetChild run = startExport(config(pg.jdbcUrl()));
      pg.restart("fast", 3_000);
      assertCompletedWithRetries(run);
      assertThat(run.output())
          .as("a direct connection is not taken for a proxy")
          .doesNotContain("pooler or proxy");
    }
  }

  @Test
  void anImmediateRestartWithCrashRecoveryIsRiddenOut() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      load(pg);
      RivetChild run = startExport(config(pg.jdbcUrl()));
      pg.restart("immediate", 8_000);
      assertCompletedWithRetries(run);
    }
  }

  @Test
  void aPermanentErrorStopsWithItsClassAndTheExportResumesAfterTheFix() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      load(pg);
      RivetChild run = startExport(config(pg.jdbcUrl()));
      pg.execute("ALTER TABLE t RENAME TO t_moved");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.output())
          .contains("[SOURCE_QUERY_FAILED]")
          .contains("export 't'")
          .contains("chunk")
          .contains("42P01")
          .contains("--resume")
          .doesNotContain("\tat ");
      pg.execute("ALTER TABLE t_moved RENAME TO t");
      CliRun resumed = CliRun.of("run", "-c", dir.resolve("rivet.yaml").toString(), "--resume");
      assertThat(resumed.exitCode()).as(resumed.err()).isZero();
      assertEveryRowOnce(dir.resolve("out"), dir.resolve(".rivet_state.db"), ROWS);
    }
  }

  @Test
  void mariaDbConnectionsCutAndFrozenMidStreamAreRetried() throws Exception {
    try (TestingMariaDbServer db = new TestingMariaDbServer()) {
      load(db);
      try (FaultProxy proxy = new FaultProxy("127.0.0.1", port(db.jdbcUrl()))) {
        RivetChild run = startExport(config(throughProxy(db.jdbcUrl(), proxy)));
        proxy.cut();
        run.awaitWhileAlive(
            () -> committedParts(dir.resolve(".rivet_state.db")) >= 8, "eight committed parts");
        proxy.freeze(60_000);
        assertCompletedWithRetries(run);
        assertThat(retries().size()).isGreaterThanOrEqualTo(2);
        assertThat(run.output())
            .contains(
                "the source is reached through a pooler or proxy (the server listens on port "
                    + port(db.jdbcUrl())
                    + " but this connection went to port "
                    + proxy.port()
                    + ")")
            .contains("rivet sets its session settings at the start of each chunk");
      }
    }
  }
}
