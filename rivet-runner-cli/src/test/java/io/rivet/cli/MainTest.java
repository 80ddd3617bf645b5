package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: exit codes and messages, without a database. */
class MainTest {
  @TempDir Path dir;

  private Path config(String yaml) throws Exception {
    Path p = dir.resolve("rivet.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void versionAndHelp() {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.execute("--version")).isZero();
      assertThat(Main.execute("run", "--help")).isZero();
    } finally {
      System.setOut(old);
    }
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("rivet 0.1.0-SNAPSHOT")
        .contains("--resume")
        .contains("--runner=FlinkRunner");
  }

  @Test
  void usageErrorsExitTwo() {
    CliRun r = CliRun.of("run");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--config=<config>'");
    CliRun stray = CliRun.of("run", "-c", "rivet.yaml", "-v");
    assertThat(stray.exitCode()).isEqualTo(2);
    assertThat(stray.err())
        .contains("Unknown option or argument: '-v'")
        .contains("--name=value")
        .doesNotContain("INTERNAL");
  }

  @Test
  void anOptionNeitherRivetNorBeamKnowsIsAUsageErrorNotAStackTrace() throws Exception {
    Path cfg =
        config(
            """
        source: {type: postgres, url: "postgresql://u:p@localhost:5432/app"}
        exports:
          - {name: a, table: t, format: parquet, destination: {type: local, path: ./o}}
        """);
    CliRun r = CliRun.of("run", "-c", cfg.toString(), "--verify-all");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("Unknown option: --verify-all")
        .contains("Beam pipeline option")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
    CliRun beam = CliRun.of("run", "-c", cfg.toString(), "--runner=NoSuchRunner");
    assertThat(beam.exitCode()).isEqualTo(2);
    assertThat(beam.err()).doesNotContain("\tat ");
  }

  @Test
  void jsonErrorsAreOneObjectWithTheExitClassAndCode() throws Exception {
    Path cfg =
        config(
            """
        source: {type: postgres, url: "postgresql://u:hunter2@db.example:5432/app"}
        exports:
          - {name: a, tabel: t, format: parquet, destination: {type: local, path: ./o}}
        """);
    CliRun r = CliRun.of("--json-errors", "run", "-c", cfg.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    var node = new ObjectMapper().readTree(r.err().strip());
    assertThat(node.get("code").asText()).isEqualTo("CONFIG_INVALID");
    assertThat(node.get("exit_class").asText()).isEqualTo("generic");
    assertThat(node.get("error").asText()).contains("exports[0].tabel").doesNotContain("hunter2");
    CliRun usage = CliRun.of("run", "--json-errors");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(new ObjectMapper().readTree(usage.err().strip()).get("code").asText())
        .isEqualTo("USAGE");

    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    CliRun json;
    try {
      json = CliRun.of("run", "-c", cfg.toString(), "--json");
    } finally {
      System.setOut(old);
    }
    assertThat(json.exitCode()).isEqualTo(1);
    var printed = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8).strip());
    assertThat(printed.get("code").asText()).isEqualTo("CONFIG_INVALID");
    assertThat(printed.get("exit_code").asInt()).isEqualTo(1);
    assertThat(json.err()).startsWith("Error: [CONFIG_INVALID]");
  }

  @Test
  void configErrorsExitOneWithEveryProblem() throws Exception {
    Path cfg =
        config(
            """
        source: {type: postgres, url: "postgresql://u:hunter2@db.example:5432/app"}
        exports:
          - {name: a, tabel: t, format: parquet, destination: {type: local, path: ./o}}
        """);
    CliRun r = CliRun.of("run", "-c", cfg.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("Error: [CONFIG_INVALID]")
        .contains("3 problems")
        .contains("source.tls: is required for db.example")
        .contains("exports[0].tabel: unknown key (did you mean 'table'?)")
        .contains("exports[0]: no rows to export; set exactly one of table, query, query_file")
        .doesNotContain("hunter2");
  }

  @Test
  void notSupportedYetNamesEveryKey() throws Exception {
    Path cfg =
        config(
            """
        source: {type: postgres, url: "postgresql://u:hunter2@localhost:1/app"}
        exports:
          - name: a
            table: t
            mode: cdc
            verify: content
            format: parquet
            target: bq
            destination: {type: s3, bucket: b, prefix: p/, region: eu-west-1, allow_anonymous: true}
        """);
    CliRun r = CliRun.of("run", "-c", cfg.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("[NOT_SUPPORTED_YET]")
        .contains("export 'a' uses settings that are not supported yet")
        .contains("exports[0].mode: cdc")
        .doesNotContain("exports[0].verify")
        .doesNotContain("exports[0].target")
        .contains("exports[0].destination.allow_anonymous");
  }

  @Test
  void unreachableSourceIsRetryableAndRedacted() throws Exception {
    Path cfg =
        config(
            """
        source: {type: postgres, url: "postgresql://u:hunter2@127.0.0.1:1/app"}
        exports:
          - {name: a, table: t, format: parquet, destination: {type: local, path: ./o}}
        """);
    CliRun r = CliRun.of("run", "-c", cfg.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("[SOURCE_UNAVAILABLE]")
        .contains("cannot connect to jdbc:postgresql://127.0.0.1:1/app")
        .contains(" as u: ")
        .contains("rivet doctor")
        .doesNotContain("hunter2");
  }

  @Test
  void unknownExportNameListsTheExports() throws Exception {
    Path cfg =
        config(
            """
        source: {type: postgres, url: "postgresql://u@127.0.0.1:1/app"}
        exports:
          - {name: orders, table: t, format: parquet, destination: {type: local, path: ./o}}
        """);
    CliRun r = CliRun.of("run", "-c", cfg.toString(), "-e", "ordres");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("-e ordres: no export of that name; the config has [orders]");
  }

  @Test
  void theDirectRunnerRunsWithoutItsTestAidsUnlessAskedFor() {
    DirectOptions byDefault = RunCommand.pipelineOptions(List.of()).as(DirectOptions.class);
    assertThat(byDefault.getRunner().getSimpleName()).isEqualTo("DirectRunner");
    assertThat(byDefault.isEnforceImmutability()).isFalse();
    assertThat(byDefault.isEnforceEncodability()).isFalse();
    DirectOptions asked =
        RunCommand.pipelineOptions(
                List.of("--enforceImmutability=true", "--enforceEncodability=true"))
            .as(DirectOptions.class);
    assertThat(asked.isEnforceImmutability()).isTrue();
    assertThat(asked.isEnforceEncodability()).isTrue();
  }
}
