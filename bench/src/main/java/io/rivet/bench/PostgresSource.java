package io.rivet.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * Embedded PostgreSQL (zonky) with every statement logged to csvlog, so the longest one can be
 * found.
 */
final class PostgresSource implements Source {
  private final EmbeddedPostgres pg;
  private final Path logDir;
  private final String url;
  private final long postmasterPid;
  private final String version;
  private Instant logFrom = Instant.EPOCH;

  PostgresSource(Path work) throws Exception {
    logDir = work.resolve("pglog");
    pg =
        EmbeddedPostgres.builder()
            .setServerConfig("shared_buffers", "2GB")
            .setServerConfig("max_wal_size", "8GB")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("log_min_duration_statement", "0")
            .setServerConfig("logging_collector", "on")
            .setServerConfig("log_destination", "csvlog")
            .setServerConfig("log_timezone", "UTC")
            .setServerConfig("log_directory", logDir.toString())
            .start();
    url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?user=postgres";
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      version = Bench.one(st, "SHOW server_version");
      Path dataDir = Path.of(Bench.one(st, "SHOW data_directory"));
      postmasterPid =
          Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }
  }

  @Override
  public String type() {
    return "postgres";
  }

  @Override
  public String describe() {
    return "PostgreSQL " + version + " (embedded, zonky), shared_buffers 2GB";
  }

  @Override
  public String jdbcUrl() {
    return url;
  }

  @Override
  public String driverClass() {
    return "org.postgresql.Driver";
  }

  @Override
  public void createNarrow(String table, long rows) throws Exception {
    sql(
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, a integer, b bigint, ts timestamptz,"
            + " amount numeric(12,2), label text)",
        "INSERT INTO "
            + table
            + " SELECT g, (g * 7) % 100000, g * 13,"
            + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', (g % 100000) / 100.0,"
            + " 'label-' || (g % 1000) FROM generate_series(1, "
            + rows
            + ") g",
        "VACUUM ANALYZE " + table,
        "SELECT count(*), sum(length(label)) FROM " + table);
  }

  /**
   * The {@code narrow} shape with skewed keys: a tenth of the rows on every 100th key of {@code [1,
   * 10·rows)}, the other nine tenths on consecutive keys from {@code 5·rows}: in key ranges of
   * equal width, one range holds nine tenths of the rows.
   */
  public void createSkewed(String table, long rows) throws Exception {
    long sparse = rows / 10;
    long dense = rows - sparse;
    String columns =
        " (g * 7) % 100000, g * 13, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second',"
            + " (g % 100000) / 100.0, 'label-' || (g % 1000)";
    sql(
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, a integer, b bigint, ts timestamptz,"
            + " amount numeric(12,2), label text)",
        "INSERT INTO "
            + table
            + " SELECT g * 100,"
            + columns
            + " FROM generate_series(1, "
            + sparse
            + ") g",
        "INSERT INTO "
            + table
            + " SELECT g,"
            + columns
            + " FROM generate_series("
            + (5 * rows)
            + ", "
            + (5 * rows + dense - 1)
            + ") g WHERE g % 100 <> 0 OR g > "
            + (sparse * 100),
        "VACUUM ANALYZE " + table);
  }

  @Override
  public void createWide(String table, long rows) throws Exception {
    sql(
        "CREATE TABLE "
            + table
            + " (id bigint PRIMARY KEY, title varchar(200), body text, attrs jsonb,"
            + " price numeric(18,4), qty integer, ratio double precision, note text, created_at timestamptz,"
            + " updated_at timestamp, active boolean, code char(8))",
        "INSERT INTO "
            + table
            + " SELECT g, 'title ' || g, repeat(md5(g::text), 8 + (g % 16)),"
            + " jsonb_build_object('id', g, 'tags', jsonb_build_array('a' || (g % 10), 'b' || (g % 7)),"
            + "   'score', (g % 1000) / 10.0, 'name', md5((g * 3)::text)),"
            + " (g % 1000000) / 10000.0,"
            + " CASE WHEN g % 3 = 0 THEN NULL ELSE (g % 5000)::int END,"
            + " CASE WHEN g % 5 = 0 THEN NULL ELSE g / 7.0 END,"
            + " CASE WHEN g % 2 = 0 THEN NULL ELSE 'note ' || md5(g::text) END,"
            + " timestamptz '2024-01-01 00:00:00+00' + g * interval '17 second',"
            + " CASE WHEN g % 4 = 0 THEN NULL ELSE timestamp '2024-06-01 00:00:00' + g * interval '3 second' END,"
            + " g % 2 = 0, lpad((g % 100000)::text, 8, '0')"
            + " FROM generate_series(1, "
            + rows
            + ") g",
        "VACUUM ANALYZE " + table,
        "SELECT count(*), sum(length(body)) FROM " + table);
  }

  @Override
  public void copyTable(String from, String to, long rows) throws Exception {
    sql(
        "CREATE TABLE " + to + " (LIKE " + from + " INCLUDING ALL)",
        "INSERT INTO " + to + " SELECT * FROM " + from + " WHERE id <= " + rows,
        "VACUUM ANALYZE " + to);
  }

  @Override
  public String size(String table) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      return Bench.one(st, "SELECT pg_size_pretty(pg_total_relation_size('" + table + "'))");
    }
  }

  @Override
  public Contender bulk(String table, String java, String classpath) {
    return new Contender(
        "COPY (SELECT …) TO STDOUT → /dev/null (pgjdbc CopyManager)",
        List.of(
            java,
            "-cp",
            classpath,
            CopyToNull.class.getName(),
            url,
            "COPY (SELECT * FROM " + table + ") TO STDOUT"),
        null);
  }

  @Override
  public double serverCpuSeconds() throws Exception {
    return ProcStat.tree(postmasterPid);
  }

  @Override
  public void startStatementLog(String label) {
    logFrom = Instant.now();
  }

  @Override
  public StatementLog.Longest longestStatement() throws Exception {
    return StatementLog.longestInCsvlog(logDir, logFrom);
  }

  private void sql(String... statements) throws Exception {
    Bench.sql(jdbcUrl(), statements);
  }

  @Override
  public void close() throws Exception {
    pg.close();
  }
}
