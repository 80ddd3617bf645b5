package io.rivet.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivet.core.RivetException;
import io.rivet.core.state.StateLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code state:} and {@code --state-url}: a reference to the store that never carries its password.
 */
class StateConfigTest {
  @TempDir Path dir;

  private static final String EXPORTS =
      """
      source: {type: postgres, url: "postgresql://u@localhost:5432/app"}
      exports:
        - {name: t, table: t, format: parquet, destination: {type: local, path: ./out}}
      """;

  private RivetConfig load(String state, Map<String, String> env) {
    return new ConfigLoader(env, Map.of()).parse(EXPORTS + state, dir.resolve("rivet.yaml"));
  }

  private String problems(String state, Map<String, String> env) {
    try {
      load(state, env);
    } catch (RivetException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a config error");
  }

  @Test
  void withoutStateTheStoreIsTheSqliteFileBesideTheConfig() {
    assertThat(load("", Map.of()).stateRef()).isNull();
  }

  @Test
  void urlEnvAndSchemaMakeAReferenceWithoutTheUrl() {
    Map<String, String> env = Map.of("RIVET_STATE_URL", "postgresql://rivet:s3cret@db:5433/ops");
    RivetConfig c = load("state: {url_env: RIVET_STATE_URL, schema: rivet_ops}\n", env);
    assertThat(c.stateRef())
        .isEqualTo("env:RIVET_STATE_URL?currentSchema=rivet_ops")
        .doesNotContain("s3cret");
    // where the store is opened, the variable is read and the original's URL form becomes JDBC
    assertThat(StateLocation.resolve(c.stateRef(), env))
        .isEqualTo(
            "jdbc:postgresql://db:5433/ops?user=rivet&password=s3cret&currentSchema=rivet_ops");
  }

  @Test
  void urlFileIsReadWhereTheStoreIsOpened() throws Exception {
    Files.writeString(dir.resolve("state.url"), "postgresql://rivet:pw@db/ops\n");
    RivetConfig c = load("state: {url_file: state.url}\n", Map.of());
    assertThat(c.stateRef()).isEqualTo("file:" + dir.resolve("state.url"));
    assertThat(StateLocation.resolve(c.stateRef(), Map.of()))
        .isEqualTo("jdbc:postgresql://db:5432/ops?user=rivet&password=pw");
  }

  @Test
  void everyMistakeIsNamedWithItsPathAndFix() {
    assertThat(problems("state: {}\n", Map.of()))
        .contains("state: set exactly one of url, url_env, url_file");
    assertThat(problems("state: {url: \"postgresql://u:pw@db/ops\"}\n", Map.of()))
        .contains("state.url: holds a password")
        .contains("url_env")
        .doesNotContain("pw@");
    assertThat(problems("state: {url_env: NOT_SET_ANYWHERE}\n", Map.of()))
        .contains("state.url_env: the environment variable NOT_SET_ANYWHERE is not set");
    assertThat(problems("state: {url_env: X, schema: \"a-b\"}\n", Map.of("X", "postgresql://db/o")))
        .contains("state.schema: 'a-b' is not a schema name");
    assertThat(problems("state: {url_file: missing.txt}\n", Map.of()))
        .contains("state.url_file: 'missing.txt' cannot be read");
    assertThat(problems("state: {url: \"mysql://db/ops\"}\n", Map.of()))
        .contains("state.url: is not a state store URL");
    assertThat(problems("state: {url_env: X, colour: red}\n", Map.of("X", "postgresql://db/o")))
        .contains("state.colour");
  }

  @Test
  void theCommandLineTakesTheSameFormsAndRefusesAPassword() {
    assertThat(StateReferences.fromOption("env:RIVET_STATE_URL", dir))
        .isEqualTo("env:RIVET_STATE_URL");
    assertThat(StateReferences.fromOption("file:s.url", dir))
        .isEqualTo("file:" + dir.resolve("s.url"));
    assertThat(StateReferences.fromOption("postgresql://rivet@db/ops?currentSchema=x", dir))
        .isEqualTo("postgresql://rivet@db/ops?currentSchema=x");
    assertThatThrownBy(() -> StateReferences.fromOption("postgresql://rivet:hunter2@db/ops", dir))
        .hasMessageContaining("a password on the command line")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () -> StateReferences.fromOption("jdbc:postgresql://db/ops?password=hunter2", dir))
        .hasMessageNotContaining("hunter2");
  }
}
