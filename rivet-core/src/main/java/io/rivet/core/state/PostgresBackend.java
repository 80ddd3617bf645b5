package io.rivet.core.state;

import io.rivet.core.Redactor;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A state store in a PostgreSQL schema that many launchers and workers share. Each transaction
 * first takes one advisory lock of the store (its schema), so writers queue as they do on SQLite's
 * file lock; statements are unnamed, so the store works through a transaction-pooling pooler too.
 */
final class PostgresBackend implements StoreBackend {
  static final String PREFIX = "jdbc:postgresql:";
  private static final Pattern SCHEMA =
      Pattern.compile("[?&]currentSchema=([A-Za-z_][A-Za-z0-9_]*)");

  private final String url;
  private final String schema;

  PostgresBackend(String url) {
    this.url = url;
    Matcher m = SCHEMA.matcher(url);
    this.schema = m.find() ? m.group(1) : null;
  }

  @Override
  public String describe() {
    return Redactor.redact(url);
  }

  @Override
  public Connection open() throws SQLException {
    Properties p = new Properties();
    p.setProperty("ApplicationName", "rivet-state");
    if (!url.contains("prepareThreshold=")) {
      p.setProperty("prepareThreshold", "0");
    }
    Connection c = DriverManager.getConnection(url, p);
    try {
      c.setAutoCommit(true);
      if (schema != null) {
        // The schema is the store: made on first use, as SQLite's file is.
        try (Statement st = c.createStatement()) {
          st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** One advisory lock per store, held until the transaction ends. */
  @Override
  public String beginWrite() {
    return "BEGIN; SELECT pg_advisory_xact_lock(hashtext('rivet-state:' || current_schema()))";
  }

  @Override
  public List<List<String>> migrations() {
    return PostgresMigrations.VERSIONS;
  }

  /** By SQLState class: what failed, and the fix. */
  @Override
  public String explain(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String fix;
    if (state.startsWith("28")) {
      fix = "the state store refused the login; check the user and password of the state URL";
    } else if (state.startsWith("08")) {
      fix = "the state store's server cannot be reached; check host, port and that it runs";
    } else if (state.equals("3D000")) {
      fix =
          "the state store's database does not exist; create it, or name another in the state URL";
    } else if (state.equals("42501")) {
      fix =
          "the state URL's user may not create or write the store's tables; grant it CREATE and write on its"
              + " schema";
    } else if (state.startsWith("53")) {
      fix =
          "the state store's server is out of resources (disk, memory, connections); free them and run again";
    } else {
      return "[" + state + "] " + e.getMessage();
    }
    return "[" + state + "] " + e.getMessage() + ": " + fix;
  }

  @Override
  public void discardIfCreated() {
    // a schema that could not be set up holds nothing to trip the next run: migrations run in one
    // transaction
  }
}
