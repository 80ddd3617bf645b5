package io.rivet.core.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivet.core.config.TuningConfig;
import io.rivet.core.dialect.Dialect;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of a chunk's session around its reads, recorded by hand-written fakes of a connection
 * and a dialect.
 */
class SessionGuardTest {
  private final List<String> calls = new ArrayList<>();

  private final Statement statement =
      (Statement)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Statement.class},
              (p, m, args) ->
                  switch (m.getName()) {
                    case "execute" -> {
                      calls.add((String) args[0]);
                      yield true;
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(m.getName());
                  });

  private final Connection connection =
      (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (p, m, args) ->
                  switch (m.getName()) {
                    case "setNetworkTimeout" -> {
                      calls.add("network timeout " + args[1] + " ms");
                      yield null;
                    }
                    case "createStatement" -> statement;
                    case "getAutoCommit" -> false;
                    case "commit" -> {
                      calls.add("commit");
                      yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                  });

  private final Dialect dialect =
      (Dialect)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Dialect.class},
              (p, m, args) ->
                  switch (m.getName()) {
                    case "prepareForStreaming" -> {
                      calls.add("streaming");
                      yield null;
                    }
                    case "sessionSetup" -> List.of("SET LOCAL statement_timeout = '300s'");
                    case "sessionReset" -> List.of("RESET it");
                    default -> throw new UnsupportedOperationException(m.getName());
                  });

  private final TuningConfig tuning = TuningConfig.defaults(TuningConfig.Profile.BALANCED);

  @Test
  void theReadsRunInsideTheSessionSettingsAndTheTransactionCommitsAfterTheReset() throws Exception {
    new SessionGuard(dialect, tuning).run(connection, () -> calls.add("read"));
    assertThat(calls)
        .containsExactly(
            "network timeout " + tuning.socketTimeoutMs() + " ms",
            "streaming",
            "SET LOCAL statement_timeout = '300s'",
            "read",
            "RESET it",
            "commit");
  }

  @Test
  void aFailedReadStillResetsTheSessionAndCommitsNothing() {
    assertThatThrownBy(
            () ->
                new SessionGuard(dialect, tuning)
                    .run(
                        connection,
                        () -> {
                          calls.add("read");
                          throw new SQLException("connection lost", "08006");
                        }))
        .isInstanceOf(SQLException.class)
        .hasMessage("connection lost");
    assertThat(calls).endsWith("read", "RESET it").doesNotContain("commit");
  }
}
