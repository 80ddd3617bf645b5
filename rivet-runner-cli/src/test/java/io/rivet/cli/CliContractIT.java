package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.core.testing.TestingPostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line's contract, against a real PostgreSQL: every command and subcommand shows an
 * example in its {@code --help}; each command's main form exits as documented and prints what it
 * promises — JSON objects, arrays or lines with their key fields, or the human form; and each kind
 * of error exits with its class and says what to do next, as text and as {@code --json-errors}.
 */
class CliContractIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** What one in-process invocation printed and returned. */
  record Result(int exit, String out, String err) {}

  private static Result cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      code =
          Main.execute(
              new PrintWriter(new OutputStreamWriter(e, StandardCharsets.UTF_8), true), args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Every command, with its path ({@code state reset-chunks}). */
  private static List<String> commands(CommandLine cl, String path, List<String> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      if (!e.getValue().getCommandName().equals(e.getKey()) || e.getKey().equals("help")) {
        continue;
      }
      String p = (path + " " + e.getKey()).trim();
      out.add(p);
      commands(e.getValue(), p, out);
    }
    return out;
  }

  @Test
  void everyCommandsHelpShowsAnExample() {
    List<String> all = commands(new CommandLine(new Main()), "", new ArrayList<>());
    assertThat(all)
        .contains(
            "init",
            "check",
            "plan",
            "apply",
            "run",
            "validate",
            "reconcile",
            "repair",
            "doctor",
            "state reset-chunks",
            "metrics",
            "journal",
            "schema config",
            "completions",
            "demo");
    for (String c : all) {
      List<String> args = new ArrayList<>(List.of(c.split(" ")));
      args.add("--help");
      Result r = cli(args.toArray(String[]::new));
      assertThat(r.exit()).as(c).isZero();
      assertThat(r.out()).as("rivet %s --help", c).contains("Example");
    }
    Result root = cli("--help");
    assertThat(root.out()).contains("Example: rivet init");
    assertThat(cli("--version").out()).startsWith("rivet ");
  }

  @Test
  void everyCommandsMainFormsExitCodesAndOutputShapes() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, updated_at bigint NOT NULL, v text)",
          "INSERT INTO t SELECT g, g, md5(g::text) FROM generate_series(1, 500) g");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: t, table: t, mode: chunked, chunk_size: 250, format: parquet, destination: {type: local, path: ./out/t}}
            - {name: inc, table: t, mode: incremental, cursor_column: updated_at, format: parquet,
               destination: {type: local, path: ./out/inc}}
          """
              .formatted(pg.jdbcUrl()));
      String c = yaml.toString();

      Result human = cli("run", "-c", c);
      assertThat(human.exit()).as(human.err()).isZero();
      assertThat(human.out())
          .containsPattern("run agg_\\S+: 2 export\\(s\\) ok")
          .contains("verify: not run");

      assertThat(object(cli("run", "-c", c, "--json"), 0).get("per_export")).hasSize(2);
      for (JsonNode line : lines(cli("check", "-c", c, "--json"), 0)) {
        assertThat(line.at("/diagnostic/verdict").asText())
            .isIn("EFFICIENT", "ACCEPTABLE", "DEGRADED", "UNSAFE");
      }
      assertThat(
              object(cli("plan", "-c", c, "-e", "t", "--format", "json"), 0)
                  .get("integrity")
                  .asText())
          .startsWith("sha256:");
      assertThat(array(cli("validate", "-c", c, "--json"), 0)).hasSize(2);
      assertThat(object(cli("validate", "-c", c, "-e", "t", "--json"), 0).get("passed").asBoolean())
          .isTrue();
      assertThat(
              object(cli("reconcile", "-c", c, "-e", "t", "--json"), 0)
                  .at("/summary/matches")
                  .asInt())
          .isEqualTo(2);
      assertThat(object(cli("repair", "-c", c, "-e", "t", "--json"), 0).get("actions")).isEmpty();
      assertThat(array(cli("state", "show", "-c", c, "--json"), 0)).hasSize(1);
      assertThat(array(cli("state", "files", "-c", c, "--json"), 0)).isNotEmpty();
      assertThat(object(cli("state", "chunks", "-c", c, "-e", "t", "--json"), 0).get("tasks"))
          .hasSize(2);
      assertThat(array(cli("state", "progression", "-c", c, "--json"), 0)).hasSize(2);
      assertThat(array(cli("state", "leases", "-c", c, "--json"), 0)).isNotNull();
      assertThat(array(cli("metrics", "-c", c, "--json"), 0)).isNotEmpty();
      assertThat(array(cli("journal", "-c", c, "-e", "t", "--json"), 0)).isNotEmpty();
      assertThat(object(cli("doctor", "-c", c, "--json"), 0).get("all_ok").asBoolean()).isTrue();
      assertThat(object(cli("init", "--source", pg.jdbcUrl(), "--discover"), 0).get("tables"))
          .isNotEmpty();
      assertThat(object(cli("schema", "config"), 0).get("$schema").asText()).contains("2020-12");
      assertThat(cli("completions", "fish").out()).contains("complete -c rivet");
      assertThat(cli("state", "reset-chunks", "-c", c, "--failed").exit()).isZero();

      // Errors: the class as the exit code, and the next step in the message.
      Map<List<String>, String[]> errors =
          Map.of(
              List.of("run", "-c", dir.resolve("nope.yaml").toString()),
                  new String[] {"1", "CONFIG_UNREADABLE"},
              List.of("run"), new String[] {"2", "rivet init"},
              List.of("reconcile", "-c", c, "-e", "nosuch"),
                  new String[] {"1", "the config has [t, inc]"},
              List.of("apply", dir.resolve("nope.plan.json").toString()),
                  new String[] {"1", "Error: ["},
              List.of("state", "reset-chunks", "-c", c), new String[] {"2", "--export"},
              List.of("check", "-c", c, "--target", "oracle"),
                  new String[] {"1", "use bigquery (bq)"},
              List.of("init", "--source", pg.jdbcUrl(), "--mode", "cdc"),
                  new String[] {"1", "not supported yet"});
      for (var e : errors.entrySet()) {
        Result r = cli(e.getKey().toArray(String[]::new));
        assertThat(r.exit())
            .as("%s: %s", e.getKey(), r.err())
            .isEqualTo(Integer.parseInt(e.getValue()[0]));
        assertThat(r.err()).as("%s", e.getKey()).contains(e.getValue()[1]).doesNotContain("\tat ");
      }
      Result jsonError = cli("--json-errors", "run", "-c", dir.resolve("nope.yaml").toString());
      assertThat(jsonError.exit()).isEqualTo(1);
      JsonNode err = JSON.readTree(jsonError.err().strip());
      assertThat(err.get("exit_class").asText()).isNotBlank();
      assertThat(err.get("code").asText()).isEqualTo("CONFIG_UNREADABLE");
    }
  }

  private static JsonNode object(Result r, int exit) throws Exception {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.isObject()).as(r.out()).isTrue();
    return n;
  }

  private static JsonNode array(Result r, int exit) throws Exception {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.isArray()).as(r.out()).isTrue();
    return n;
  }

  private static List<JsonNode> lines(Result r, int exit) throws Exception {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      if (!line.isBlank()) {
        out.add(JSON.readTree(line));
      }
    }
    assertThat(out).isNotEmpty();
    return out;
  }
}
