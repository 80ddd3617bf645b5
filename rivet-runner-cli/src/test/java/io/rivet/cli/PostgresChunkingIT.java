package io.rivet.cli;

import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresChunkingIT extends AbstractChunkingIT {
  private static TestingPostgresServer pg;

  @BeforeAll
  static void start() throws Exception {
    pg = new TestingPostgresServer();
    load(
        pg,
        "CREATE TABLE chunky (id bigint PRIMARY KEY, k integer, code varchar(20) NOT NULL UNIQUE,"
            + " u uuid NOT NULL UNIQUE, day date, v text)",
        List.of("ANALYZE chunky"),
        (ps, i, u) -> ps.setObject(i, u));
  }

  @AfterAll
  static void stop() throws Exception {
    pg.close();
  }

  @Override
  protected TestingServer server() {
    return pg;
  }
}
