package io.rivet.core.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.FaultProxy;
import io.rivet.core.testing.TestingMariaDbServer;
import io.rivet.core.testing.TestingPgBouncer;
import io.rivet.core.testing.TestingPostgresServer;
import io.rivet.core.testing.TestingServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What each dialect sees of a pooler or proxy between rivet and the server (reference §3.1):
 * nothing on a direct connection, the port through a TCP proxy, the backend changing between
 * statements through transaction pooling.
 */
class PoolerEvidenceIT {

  private static Optional<String> evidence(String url) throws Exception {
    return new ConnectionSpec(url, null, null).probed().pooler();
  }

  private static String throughProxy(TestingServer db, FaultProxy proxy, int port) {
    return db.jdbcUrl().replace(":" + port + "/", ":" + proxy.port() + "/");
  }

  @Test
  void postgresDirectProxiedAndTransactionPooled() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      assertThat(evidence(pg.jdbcUrl())).isEmpty();
      try (FaultProxy proxy = new FaultProxy("127.0.0.1", pg.port())) {
        assertThat(evidence(throughProxy(pg, proxy, pg.port())))
            .contains(
                "the server listens on port "
                    + pg.port()
                    + " but this connection went to port "
                    + proxy.port());
        ConnectionSpec.Probed probed =
            new ConnectionSpec(throughProxy(pg, proxy, pg.port()), null, null).probed();
        assertThat(probed.spec().jdbcUrl()).endsWith("prepareThreshold=0");
        assertThat(probed.notice()).get().asString().contains("unnamed statements only");
      }
      // Two warm server connections handed out in turn: consecutive statements of one client land
      // on both.
      try (TestingPgBouncer bouncer =
          new TestingPgBouncer(pg.port(), "transaction", 2, "server_round_robin = 1")) {
        warm(bouncer.jdbcUrl(pg.database()), 2);
        assertThat(evidence(bouncer.jdbcUrl(pg.database())))
            .get()
            .asString()
            .contains("but this connection went to port " + bouncer.port())
            .contains(
                "the backend changed between two statements of one connection (transaction pooling)");
      }
    }
  }

  @Test
  void mariaDbDirectAndProxied() throws Exception {
    try (TestingMariaDbServer db = new TestingMariaDbServer()) {
      assertThat(evidence(db.jdbcUrl())).isEmpty();
      int port = Integer.parseInt(db.jdbcUrl().replaceAll("^jdbc:mysql://[^:/]+:(\\d+)/.*$", "$1"));
      try (FaultProxy proxy = new FaultProxy("127.0.0.1", port)) {
        ConnectionSpec.Probed probed =
            new ConnectionSpec(throughProxy(db, proxy, port), null, null).probed();
        assertThat(probed.pooler())
            .contains(
                "the server listens on port "
                    + port
                    + " but this connection went to port "
                    + proxy.port());
        assertThat(probed.spec().jdbcUrl())
            .as("Connector/J needs no change")
            .isEqualTo(throughProxy(db, proxy, port));
      }
    }
  }

  /**
   * Opens {@code n} transactions at once through the pooler, so that it holds {@code n} server
   * connections.
   */
  private static void warm(String url, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch together = new CountDownLatch(n);
      Future<?>[] done = new Future<?>[n];
      for (int i = 0; i < n; i++) {
        done[i] =
            pool.submit(
                () -> {
                  try (Connection c = DriverManager.getConnection(url);
                      Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("SELECT 1");
                    together.countDown();
                    together.await();
                    c.commit();
                  }
                  return null;
                });
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
