package io.rivet.core.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for integration tests: an embedded server from Maven (zonky), or the server named by
 * {@code RIVET_TEST_POSTGRES_URL} (a JDBC URL with credentials). Each test gets a fresh database.
 */
public final class TestingPostgresServer implements TestingServer {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres embedded;
  private final String adminUrl;
  private final String database;

  public TestingPostgresServer() {
    String external = System.getenv("RIVET_TEST_POSTGRES_URL");
    try {
      if (external != null && !external.isBlank()) {
        embedded = null;
        adminUrl = external;
      } else {
        embedded = EmbeddedPostgres.builder().start();
        adminUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres?user=postgres";
      }
      database = "rivet_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
      try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
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

  @Override
  public void close() throws IOException {
    if (embedded != null) {
      embedded.close();
    }
  }
}
