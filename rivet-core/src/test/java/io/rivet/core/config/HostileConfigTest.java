package io.rivet.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input an operator gets wrong, or a hostile file: each is a config error naming its YAML path and
 * the fix.
 */
class HostileConfigTest {
  @TempDir Path dir;

  private RivetConfig load(String yaml, Map<String, String> env) {
    return new ConfigLoader(env, Map.of()).parse(yaml, dir.resolve("rivet.yaml"));
  }

  private String problems(String yaml) {
    return problems(yaml, Map.of());
  }

  private String problems(String yaml, Map<String, String> env) {
    try {
      load(yaml, env);
    } catch (RivetException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + yaml);
  }

  private static String export(String extra) {
    return """
        source: {type: postgres, url: "postgresql://u:p@localhost:5432/db"}
        exports:
          - name: orders
            table: orders
            format: parquet
            destination: {type: local, path: ./out}
        """
        + extra.indent(4);
  }

  @Test
  void aKeyGivenTwiceIsRejectedNamingBothLines() {
    String msg =
        problems(
            """
        source: {type: postgres, url: "postgresql://u:p@localhost:5432/db"}
        exports:
          - name: orders
            table: orders
            mode: chunked
            chunk_size: 10
            format: parquet
            chunk_size: 20
            destination: {type: local, path: ./out}
        """);
    assertThat(msg)
        .contains("exports[0].chunk_size: appears twice in one mapping (lines 6 and 8)")
        .contains("keep one");
  }

  @Test
  void numbersTooLargeForAnyFieldAreNotWrappedAround() {
    assertThat(problems(export("mode: chunked\nchunk_size: 99999999999999999999")))
        .contains("exports[0].chunk_size: '99999999999999999999' is far too large")
        .doesNotContain("found");
    assertThat(problems(export("mode: chunked\nchunk_size: 3000000000")))
        .contains("exports[0].chunk_size: must be between 1 and");
  }

  @Test
  void controlCharactersInAnExportNameAreShownEscaped() {
    String msg =
        problems(
            """
        source: {type: postgres, url: "postgresql://u:p@localhost:5432/db"}
        exports:
          - {name: "ord\\0ers", table: orders, format: parquet, destination: {type: local, path: ./out}}
        """);
    assertThat(msg)
        .contains("exports[0].name: 'ord\\u0000ers' is not filename-safe")
        .doesNotContain("\0");
  }

  @Test
  void malformedUrlsAreRefusedBeforeAnyConnection() {
    String port = problems(export("").replace("localhost:5432", "127.0.0.1:notaport"));
    assertThat(port).contains("source.url: the port 'notaport' is not a number from 1 to 65535");
    String at = problems(export("").replace("u:p@localhost", "u:p@ss@localhost"));
    assertThat(at)
        .contains("source.url: the URL's user:password part holds a raw '@'; percent-encode it")
        .doesNotContain("p@ss");
    String env =
        problems(
            """
        source: {type: postgres, url_env: DB}
        exports:
          - {name: o, table: o, format: parquet, destination: {type: local, path: ./out}}
        """,
            Map.of("DB", "postgresql://u:secret@db.example.com:54x2/app"));
    assertThat(env)
        .contains("source.url_env: the port '54x2'")
        .contains("(the URL in $DB)")
        .doesNotContain("secret");
    assertThat(
            load(export("").replace("u:p@localhost", "u:p%40ss@localhost"), Map.of())
                .source()
                .url())
        .contains("p%40ss@localhost");
  }

  @Test
  void aHostOnAnotherMachineNeedsTlsAsTheOriginalRequires() {
    String remote = export("").replace("localhost", "db.example.com");
    assertThat(problems(remote))
        .contains("source.tls: is required for db.example.com, which is not this machine")
        .contains("tls: {mode: verify-full}")
        .contains("tls: {mode: disable}");
    assertThat(
            load(
                    remote.replace("type: postgres,", "type: postgres, tls: {mode: require},"),
                    Map.of())
                .source()
                .tls())
        .isNotNull();
    assertThat(load(remote.replace("/db\"", "/db?sslmode=verify-full\""), Map.of()).source())
        .isNotNull();
    assertThat(load(export("").replace("localhost", "127.0.0.2"), Map.of()).source().tls())
        .isNull();
    String structured =
        problems(
            """
        source: {type: mysql, host: 10.1.2.3, user: u, password: p, database: d}
        exports:
          - {name: o, table: o, format: parquet, destination: {type: local, path: ./out}}
        """);
    assertThat(structured).contains("source.tls: is required for 10.1.2.3");
  }

  @Test
  void aQueryFileMayNotLeadOutOfTheConfigDirectoryThroughALink() throws Exception {
    Path outside = Files.createTempFile("secret", ".sql");
    Files.writeString(outside, "SELECT * FROM payroll");
    Files.createSymbolicLink(dir.resolve("q.sql"), outside);
    String msg =
        problems(
            """
        source: {type: postgres, url: "postgresql://u:p@localhost:5432/db"}
        exports:
          - {name: o, query_file: q.sql, format: parquet, destination: {type: local, path: ./out}}
        """);
    assertThat(msg)
        .contains("exports[0].query_file: 'q.sql' leads to " + outside.toRealPath())
        .contains("outside the config directory")
        .doesNotContain("payroll");
    Files.delete(outside);
  }

  @Test
  void oversizedAndDeeplyNestedFilesAreRefusedWithoutExhaustingMemory() throws Exception {
    Path big = dir.resolve("big.yaml");
    try (var w = Files.newBufferedWriter(big)) {
      w.write(export(""));
      String comment = "# " + "x".repeat(1000) + "\n";
      for (int i = 0; i < 5000; i++) {
        w.write(comment);
      }
    }
    assertThatThrownBy(() -> ConfigLoader.fromEnvironment(Map.of()).load(big))
        .isInstanceOfSatisfying(
            RivetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
        .hasMessageContaining("a rivet.yaml may hold at most 4194304 bytes");
    String deep = "source: " + "{a: ".repeat(200) + "1" + "}".repeat(200) + "\n";
    assertThat(problems(deep)).contains("not accepted as a config").contains("nesting");
    String bomb =
        """
        a: &a ["x","x","x","x","x","x","x","x","x"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        """;
    // Aliases are not expanded (the tree is built from parser events): refused at once as what it
    // is, not a config.
    assertThat(problems(bomb)).contains("source: is required");
  }

  @Test
  void anUnquotedPlaceholderInAFlowMappingGetsTheQuotingHint() {
    String msg =
        problems(
            """
        source: {type: postgres, url: "postgresql://u:p@localhost:5432/db"}
        exports:
          - name: o
            table: o
            format: parquet
            destination: { type: local, path: ./out/{export}/{date} }
        """);
    assertThat(msg).contains("not valid YAML at line 6").contains("must be quoted");
  }
}
