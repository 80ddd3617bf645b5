package io.rivet.core.state;

import io.rivet.core.testing.TestingPostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The state store in a PostgreSQL schema that many processes share: the same contract as on SQLite.
 */
class PostgresStateStoreIT extends StateStoreContract {
  private static TestingPostgresServer pg;
  private String schema;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @BeforeEach
  void newSchema() {
    schema = "rivet_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static String urlOf(String schema) {
    String base = pg.jdbcUrl();
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Override
  protected String url() {
    return urlOf(schema);
  }

  @Override
  protected String otherUrl() {
    return urlOf(schema + "_other");
  }

  @Override
  protected List<List<String>> versions() {
    return PostgresMigrations.VERSIONS;
  }

  @Override
  protected Connection raw() throws Exception {
    Connection c = super.raw();
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      st.execute("SET search_path TO " + schema);
    }
    return c;
  }

  @Override
  protected void dropAll() throws Exception {
    try (Connection c = super.raw();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
