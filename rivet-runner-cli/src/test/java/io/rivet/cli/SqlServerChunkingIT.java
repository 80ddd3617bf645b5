package io.rivet.cli;

import io.rivet.core.testing.TestingServer;
import io.rivet.core.testing.TestingSqlServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The chunking suite on a real SQL Server named by RIVET_TEST_SQLSERVER_URL (none runs here). */
@EnabledIfEnvironmentVariable(named = TestingSqlServer.ENV, matches = ".+")
class SqlServerChunkingIT extends AbstractChunkingIT {
  private static TestingSqlServer db;

  @BeforeAll
  static void start() throws Exception {
    db = new TestingSqlServer();
    load(
        db,
        "CREATE TABLE chunky (id BIGINT PRIMARY KEY, k INT NULL, code NVARCHAR(20) NOT NULL UNIQUE,"
            + " u UNIQUEIDENTIFIER NOT NULL UNIQUE, day DATE NULL, v NVARCHAR(MAX))",
        List.of("UPDATE STATISTICS chunky"),
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
