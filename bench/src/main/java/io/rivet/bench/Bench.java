package io.rivet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmark of bench/run.sh. For each source (embedded PostgreSQL, embedded MariaDB) it builds
 * a narrow and a wide table and runs every contender on each, in its own process, one after the
 * other on a warm cache: the database's bulk path to /dev/null, {@code rivet run} at parallel 1 and
 * 2 (through the {@code ./rivet} launcher, so at its defaults), and Beam's JdbcIO → ParquetIO on
 * Flink. A 1M-row copy of the narrow table shows whether rivet's memory stays flat with table size.
 * Every output is counted back with DuckDB; results go to docs/performance.md.
 *
 * <p>Arguments: narrow rows (10M), wide rows (2M), work directory, report file. Environment: {@code
 * BENCH_ENGINES} (default {@code postgres,mysql}), {@code BENCH_TABLES} (default {@code
 * narrow,wide,narrow_1m}), {@code BENCH_RIVET_OPTS} (JVM options for rivet instead of the
 * launcher's, e.g. a profiler).
 */
public final class Bench {
  static final long SMALL_ROWS = 1_000_000L;

  private Bench() {}

  record Scenario(
      String engine,
      String sourceName,
      String table,
      long rows,
      String size,
      List<Measured> results) {}

  public static void main(String[] args) throws Exception {
    long narrowRows = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
    long wideRows = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000L;
    Path work = Path.of(args.length > 2 ? args[2] : "bench/work").toAbsolutePath();
    Path report = Path.of(args.length > 3 ? args[3] : "docs/performance.md").toAbsolutePath();
    Path root = Path.of("").toAbsolutePath();
    Set<String> engines = set(System.getenv().getOrDefault("BENCH_ENGINES", "postgres,mysql"));
    Set<String> tables = set(System.getenv().getOrDefault("BENCH_TABLES", "narrow,wide,narrow_1m"));
    Map<String, String> rivetEnv = new HashMap<>();
    if (System.getenv("BENCH_RIVET_OPTS") != null) {
      rivetEnv.put("RIVET_JAVA_OPTS", System.getenv("BENCH_RIVET_OPTS"));
    }
    deleteTree(work);
    Files.createDirectories(work);

    List<Scenario> scenarios = new ArrayList<>();
    for (String engine : List.of("postgres", "mysql")) {
      if (!engines.contains(engine)) {
        continue;
      }
      Path engineWork = Files.createDirectories(work.resolve(engine));
      try (Source source =
          engine.equals("postgres")
              ? new PostgresSource(engineWork)
              : new MariaDbSource(engineWork)) {
        long t0 = System.nanoTime();
        if (tables.contains("narrow") || tables.contains("narrow_1m")) {
          source.createNarrow("narrow", narrowRows);
        }
        if (tables.contains("wide")) {
          source.createWide("wide", wideRows);
        }
        if (tables.contains("narrow_1m") && narrowRows > SMALL_ROWS) {
          source.copyTable("narrow", "narrow_1m", SMALL_ROWS);
        }
        System.err.printf("%s fixtures in %.0f s%n", engine, (System.nanoTime() - t0) / 1e9);
        for (String table : List.of("narrow", "wide", "narrow_1m")) {
          if (!tables.contains(table) || (table.equals("narrow_1m") && narrowRows <= SMALL_ROWS)) {
            continue;
          }
          long rows =
              switch (table) {
                case "narrow" -> narrowRows;
                case "wide" -> wideRows;
                default -> SMALL_ROWS;
              };
          boolean full = !table.equals("narrow_1m");
          scenarios.add(
              new Scenario(
                  engine,
                  source.describe(),
                  table,
                  rows,
                  source.size(table),
                  runAll(source, engineWork.resolve(table), table, rows, root, rivetEnv, full)));
        }
      }
    }
    Report.write(report, scenarios);
    System.err.println("wrote " + report);
  }

  private static List<Measured> runAll(
      Source source,
      Path dir,
      String table,
      long rows,
      Path root,
      Map<String, String> rivetEnv,
      boolean full)
      throws Exception {
    Files.createDirectories(dir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    List<Measured> results = new ArrayList<>();
    if (full) {
      results.add(
          Measured.run(
              "bulk",
              source.bulk(table, java, classpath),
              rows,
              source,
              dir.resolve("bulk.log"),
              Map.of(),
              null));
      System.err.println(line(results));
    }
    List<String> variants = new ArrayList<>(List.of("1", "2"));
    if (full && table.equals("narrow")) {
      variants.add("2fast");
    }
    for (String variant : variants) {
      int parallel = Integer.parseInt(variant.substring(0, 1));
      boolean fast = variant.endsWith("fast");
      Path rivetDir = Files.createDirectories(dir.resolve("rivet-p" + variant));
      Files.writeString(
          rivetDir.resolve("rivet.yaml"),
          """
          source: {type: %s, url: "%s"}
          exports:
            - name: %s
              table: %s
              mode: chunked
              parallel: %d
              format: parquet
              destination: {type: local, path: ./out}
          """
                  .formatted(source.type(), source.jdbcUrl(), table, table, parallel)
              + (fast ? "    tuning: {profile: fast}\n" : ""));
      String name =
          "rivet run, chunked, parallel: "
              + parallel
              + (fast
                  ? ", tuning profile fast (no throttle; not the default)"
                  : " (defaults otherwise)");
      Source.Contender rivet =
          new Source.Contender(
              name,
              List.of(
                  root.resolve("rivet").toString(),
                  "run",
                  "-c",
                  rivetDir.resolve("rivet.yaml").toString()),
              rivetDir);
      results.add(
          Measured.run(
              "rivet" + variant,
              rivet,
              rows,
              source,
              rivetDir.resolve("run.log"),
              rivetEnv,
              rivetDir.resolve("out")));
      check(results.get(results.size() - 1), rivetDir.resolve("out"), rows);
      System.err.println(line(results));
    }
    if (full) {
      Path out = dir.resolve("jdbcio");
      Source.Contender jdbcio =
          new Source.Contender(
              "Beam JdbcIO.readWithPartitions → ParquetIO, FlinkRunner [local], parallelism 2",
              List.of(
                  java,
                  "-cp",
                  classpath,
                  JdbcIoParquet.class.getName(),
                  source.driverClass(),
                  source.jdbcUrl(),
                  table,
                  out + "/",
                  "20",
                  "--runner=FlinkRunner",
                  "--flinkMaster=[local]",
                  "--parallelism=2"),
              null);
      results.add(
          Measured.run("jdbcio", jdbcio, rows, source, dir.resolve("jdbcio.log"), Map.of(), out));
      check(results.get(results.size() - 1), out, rows);
      System.err.println(line(results));
    }
    return results;
  }

  private static String line(List<Measured> results) {
    Measured m = results.get(results.size() - 1);
    return String.format(
        "  %-8s %7.1f s  %,10.0f rows/s  %6.1f CPU s  %6.1f source CPU s  %,6d MB RSS  longest %.0f ms",
        m.key(),
        m.wallSeconds(),
        m.rowsPerSecond(),
        m.cpuSeconds(),
        m.serverCpuSeconds(),
        m.peakRssKb() / 1024,
        m.longest().ms());
  }

  /** Counts the rows and distinct ids of the written Parquet with DuckDB, an independent reader. */
  private static void check(Measured m, Path dir, long rows) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                    + dir
                    + "/**/*.parquet')")) {
      rs.next();
      if (rs.getLong(1) != rows || rs.getLong(2) != rows) {
        throw new IllegalStateException(
            m.name()
                + " wrote "
                + rs.getLong(1)
                + " rows ("
                + rs.getLong(2)
                + " distinct), expected "
                + rows);
      }
    }
  }

  /** Runs statements on a fresh connection (a query is run to its end and its rows dropped). */
  static void sql(String url, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      for (String s : statements) {
        if (st.execute(s)) {
          try (ResultSet rs = st.getResultSet()) {
            while (rs.next()) {
              // drain
            }
          }
        }
      }
    }
  }

  static String one(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Set<String> set(String csv) {
    return Arrays.stream(csv.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
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
    return LocalDate.now(ZoneOffset.UTC).toString();
  }
}
