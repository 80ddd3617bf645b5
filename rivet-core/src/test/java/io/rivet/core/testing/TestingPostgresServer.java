package io.rivet.core.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * A real PostgreSQL for integration tests: an embedded server from Maven (zonky), or the server
 * named by {@code RIVET_TEST_POSTGRES_URL} (a JDBC URL with credentials). Each test gets a fresh
 * database.
 */
public final class TestingPostgresServer implements TestingServer {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres embedded;
  private final String adminUrl;
  private final String database;

  /** Where the server logs every statement (csvlog), or null. */
  private final Path statementLog;

  public TestingPostgresServer() {
    this(null);
  }

  /**
   * A server that also logs every statement it runs (csvlog under {@code statementLog}) so a test
   * can see which statements a run sent; embedded only (an external server's log is not ours to
   * read).
   */
  public TestingPostgresServer(Path statementLog) {
    String external = System.getenv("RIVET_TEST_POSTGRES_URL");
    this.statementLog = statementLog;
    try {
      if (external != null && !external.isBlank() && statementLog == null) {
        embedded = null;
        adminUrl = external;
      } else if (statementLog != null) {
        embedded =
            EmbeddedPostgres.builder()
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_destination", "csvlog")
                .setServerConfig("log_statement", "all")
                .setServerConfig("log_directory", statementLog.toAbsolutePath().toString())
                .start();
        adminUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres?user=postgres";
      } else {
        embedded = EmbeddedPostgres.builder().start();
        adminUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres?user=postgres";
      }
      database = "rivet_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
      try (Connection c = DriverManager.getConnection(adminUrl);
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + database);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String engine() {
    return "postgres";
  }

  @Override
  public String jdbcUrl() {
    int q = adminUrl.indexOf('?');
    String base = q < 0 ? adminUrl : adminUrl.substring(0, q);
    String params = q < 0 ? "" : adminUrl.substring(q);
    return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
  }

  @Override
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  /**
   * The statements logged so far (their SQL, in order), for a server started with a statement log.
   */
  public List<String> statements() throws IOException {
    if (statementLog == null) {
      throw new IllegalStateException("this server was started without a statement log");
    }
    try {
      Thread.sleep(300); // the logging collector writes asynchronously
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(statementLog)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
        try (Reader r = Files.newBufferedReader(f)) {
          for (CSVRecord rec : CSVFormat.DEFAULT.parse(r)) {
            // csvlog (PostgreSQL 14): the message is the 14th column, "statement: …" for a simple
            // query, "execute <name>: …" for a prepared one
            String m = rec.size() > 13 ? rec.get(13) : "";
            if (m.startsWith("statement: ") || m.startsWith("execute ")) {
              out.add(m.substring(m.indexOf(": ") + 2));
            }
          }
        }
      }
    }
    return out;
  }

  /** The test's database on the server. */
  public String database() {
    return database;
  }

  /** The embedded server's port. */
  public int port() {
    if (embedded == null) {
      throw new IllegalStateException("only an embedded server has a port to proxy");
    }
    return embedded.getPort();
  }

  /**
   * Restarts the embedded server as {@code pg_ctl restart -m <mode>} does — the postmaster gets
   * SIGINT ({@code fast}: sessions are terminated, 57P01) or SIGQUIT ({@code immediate}: no
   * shutdown checkpoint, crash recovery at the next start) — stays down for {@code downMillis},
   * then starts again on the same port and data directory (answering 57P03 while it recovers). The
   * server is started again in a user namespace (as zonky starts it), since it refuses to run as
   * root.
   */
  public void restart(String mode, long downMillis) throws Exception {
    long postmaster;
    try (Connection c = DriverManager.getConnection(adminUrl);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      postmaster = parentOf(rs.getLong(1));
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                new String(
                        Files.readAllBytes(Path.of("/proc/" + postmaster + "/cmdline")),
                        StandardCharsets.UTF_8)
                    .split("\0")));
    cmd.set(0, Files.readSymbolicLink(Path.of("/proc/" + postmaster + "/exe")).toString());
    String signal =
        switch (mode) {
          case "fast" -> "INT";
          case "immediate" -> "QUIT";
          case "smart" -> "TERM";
          default -> throw new IllegalArgumentException(mode);
        };
    new ProcessBuilder("kill", "-" + signal, Long.toString(postmaster))
        .inheritIO()
        .start()
        .waitFor();
    ProcessHandle old = ProcessHandle.of(postmaster).orElse(null);
    long deadline = System.currentTimeMillis() + 60_000;
    while (old != null && old.isAlive() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(downMillis);
    Path log = Files.createTempFile("pg-restart", ".log");
    // As zonky does: in a user namespace the server is not root, which it refuses to be (the build
    // runs as root).
    List<String> start = new ArrayList<>(List.of("unshare", "-U"));
    start.addAll(cmd);
    new ProcessBuilder(start).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    while (System.currentTimeMillis() < deadline) {
      try (Connection c = DriverManager.getConnection(adminUrl)) {
        return;
      } catch (SQLException starting) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "the server did not come back within 60 s: " + Files.readString(log));
  }

  private static long parentOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    return Long.parseLong(after[1]);
  }

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
