package io.rivet.core.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SQL Server, named by {@code RIVET_TEST_SQLSERVER_URL} (e.g. {@code
 * jdbc:sqlserver://localhost:1433;user=sa;password=...;encrypt=false}); no SQL Server can run on
 * the build machine, so the live suites are enabled only when it is set. Each test class gets a
 * fresh database.
 */
public final class TestingSqlServer implements TestingServer {
  public static final String ENV = "RIVET_TEST_SQLSERVER_URL";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final String serverUrl;
  private final String database;

  public TestingSqlServer() throws SQLException {
    serverUrl = System.getenv(ENV);
    if (serverUrl == null || serverUrl.isBlank()) {
      throw new IllegalStateException(ENV + " is not set");
    }
    database = "rivet_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(serverUrl);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + database);
    }
  }

  @Override
  public String engine() {
    return "sqlserver";
  }

  @Override
  public String jdbcUrl() {
    return serverUrl + (serverUrl.endsWith(";") ? "" : ";") + "databaseName=" + database;
  }

  @Override
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  @Override
  public void close() throws Exception {
    try (Connection c = DriverManager.getConnection(serverUrl);
        Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE " + database + " SET SINGLE_USER WITH ROLLBACK IMMEDIATE");
      st.execute("DROP DATABASE " + database);
    }
  }
}
