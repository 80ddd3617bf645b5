package io.rivet.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The benchmark of bench/run.sh: a narrow table in embedded PostgreSQL exported by each contender, in its own
 * process, one after the other on a warm cache; results go to docs/performance.md.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    Path work = Path.of(args.length > 1 ? args[1] : "bench/work").toAbsolutePath();
    Path report = Path.of(args.length > 2 ? args[2] : "docs/performance.md").toAbsolutePath();
    String classpath = System.getProperty("java.class.path");
    deleteTree(work);
    Files.createDirectories(work);

    try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("shared_buffers", "2GB")
        .setServerConfig("max_wal_size", "8GB")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("log_min_duration_statement", "0")
        .setServerConfig("logging_collector", "on")
        .setServerConfig("log_destination", "csvlog")
        .setServerConfig("log_directory", work.resolve("pglog").toString())
        .start()) {
      String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres";
      String version;
      String size;
      long t0 = System.nanoTime();
      try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE narrow (id bigint PRIMARY KEY, a integer, b bigint, ts timestamptz,"
            + " amount numeric(12,2), label text)");
        st.execute("INSERT INTO narrow SELECT g, (g * 7) % 100000, g * 13,"
            + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', (g % 100000) / 100.0,"
            + " 'label-' || (g % 1000) FROM generate_series(1, " + rows + ") g");
        st.execute("VACUUM ANALYZE narrow");
        st.execute("SELECT count(*), sum(length(label)) FROM narrow");
        version = one(st, "SHOW server_version");
        size = one(st, "SELECT pg_size_pretty(pg_total_relation_size('narrow'))");
      }
      System.err.printf("fixture: %,d rows (%s) in %.0f s%n", rows, size, (System.nanoTime() - t0) / 1e9);

      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<Measured> results = new ArrayList<>();
      results.add(Measured.run("COPY (SELECT …) TO STDOUT → /dev/null (pgjdbc CopyManager)",
          List.of(java, "-cp", classpath, CopyToNull.class.getName(), url, "COPY (SELECT * FROM narrow) TO STDOUT"),
          work.resolve("copy.log")));
      for (int parallel : new int[] {1, 2}) {
        Path dir = Files.createDirectories(work.resolve("rivet-p" + parallel));
        Files.writeString(dir.resolve("rivet.yaml"), """
            source: {type: postgres, url: "%s"}
            exports:
              - name: narrow
                table: narrow
                mode: chunked
                parallel: %d
                format: parquet
                destination: {type: local, path: ./out}
            """.formatted(url, parallel));
        // The same JVM settings as the ./rivet launcher (a bounded heap).
        results.add(Measured.run("rivet run, chunked, parallel: " + parallel + " (defaults otherwise)",
            List.of(java, "-Xmx1g", "-cp", classpath, "io.rivet.cli.Main", "run", "-c", dir.resolve("rivet.yaml").toString()),
            work.resolve("rivet-p" + parallel + ".log")));
        check(results.get(results.size() - 1), dir.resolve("out"), rows);
      }
      Path jdbcOut = work.resolve("jdbcio");
      results.add(Measured.run("Beam JdbcIO.readWithPartitions → ParquetIO, FlinkRunner [local], parallelism 2",
          List.of(java, "-cp", classpath, JdbcIoParquet.class.getName(), url, jdbcOut + "/", "20",
              "--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"),
          work.resolve("jdbcio.log")));
      check(results.get(results.size() - 1), jdbcOut, rows);
      Report.write(report, rows, size, version, results, StatementLog.longestMs(work.resolve("pglog"), "rivet"));
      System.err.println("wrote " + report);
    }
  }

  private static void check(Measured m, Path dir, long rows) throws Exception {
    if (m.exitCode() != 0) {
      throw new IllegalStateException(m.name() + " failed:\n" + m.output());
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT id) FROM read_parquet('" + dir + "/*.parquet')")) {
      rs.next();
      if (rs.getLong(1) != rows || rs.getLong(2) != rows) {
        throw new IllegalStateException(m.name() + " wrote " + rs.getLong(1) + " rows (" + rs.getLong(2) + " distinct), expected " + rows);
      }
    }
  }

  private static String one(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static void deleteTree(Path p) throws Exception {
    if (Files.exists(p)) {
      try (Stream<Path> s = Files.walk(p)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  static String today() {
    return LocalDate.now().toString();
  }
}
