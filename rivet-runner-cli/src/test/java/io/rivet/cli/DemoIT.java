package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.testing.DuckDb;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code rivet demo} on each embedded engine, small: it must start the server, load, export and
 * finalize.
 */
class DemoIT {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"postgres", "mysql"})
  void demoRunsEndToEnd(String engine) throws Exception {
    Path work = dir.resolve(engine);
    CliRun run =
        CliRun.of("demo", "--engine", engine, "--rows", "2500", "--dir", work.toString(), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(DuckDb.count(work.resolve("out/orders") + "/*.parquet")).isEqualTo(2500);
    assertThat(work.resolve("out/orders/_SUCCESS")).exists();
    assertThat(work.resolve("out/type_showcase/_SUCCESS")).exists();
    CliRun again = CliRun.of("demo", "--engine", engine, "--dir", work.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already holds a demo run");
  }
}
