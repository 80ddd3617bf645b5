package io.rivet.cli;

import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class MySqlChunkingIT extends AbstractChunkingIT {
  private static TestingMariaDbServer db;

  @BeforeAll
  static void start() throws Exception {
    db = new TestingMariaDbServer();
    load(db, "CREATE TABLE chunky (id BIGINT PRIMARY KEY, k INT NULL, code VARCHAR(20) NOT NULL UNIQUE,"
        + " u CHAR(36) NOT NULL UNIQUE, day DATE NULL, v TEXT)", List.of("ANALYZE TABLE chunky"),
        (ps, i, u) -> ps.setString(i, u.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Override
  protected TestingServer server() {
    return db;
  }
}
