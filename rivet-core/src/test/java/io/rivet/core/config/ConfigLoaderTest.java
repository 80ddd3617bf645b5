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

class ConfigLoaderTest {
  @TempDir Path dir;

  private RivetConfig load(String yaml, Map<String, String> env) {
    return new ConfigLoader(env, Map.of()).parse(yaml, dir.resolve("rivet.yaml"));
  }

  private RivetConfig load(String yaml) {
    return load(yaml, Map.of("DATABASE_URL", "postgresql://u:p@localhost:5432/app"));
  }

  private static String problems(Runnable r) {
    try {
      r.run();
    } catch (RivetException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a config error");
  }

  @Test
  void defaults() {
    RivetConfig c =
        load(
            """
        source: {type: postgres, url_env: DATABASE_URL}
        exports:
          - {name: orders, table: public.orders, format: parquet, destination: {type: local, path: ./out}}
        """);
    ExportConfig e = c.exports().get(0);
    assertThat(c.source().url()).isEqualTo("postgresql://u:p@localhost:5432/app");
    assertThat(c.source().environment()).isEqualTo(Environment.PRODUCTION);
    assertThat(e.table()).isEqualTo(new ExportConfig.TableRef("public", "orders"));
    assertThat(e.mode()).isEqualTo(ExportMode.FULL);
    assertThat(e.chunkSize()).isEqualTo(100_000);
    assertThat(e.parallel()).isEqualTo(1);
    assertThat(e.compression()).isEqualTo(Compression.ZSTD);
    assertThat(e.tuning().profile()).isEqualTo(TuningConfig.Profile.BALANCED);
    assertThat(e.tuning().statementTimeoutS()).isEqualTo(300);
    assertThat(e.chunkMaxAttempts()).isEqualTo(4);
    assertThat(e.skipEmpty()).isFalse();
    assertThat(e.metaColumns()).isEqualTo(MetaColumns.NONE);
    assertThat(e.unsupported(c)).isEmpty();
  }

  @Test
  void everyKeyOfTheFoundation() throws Exception {
    Files.writeString(dir.resolve("q.sql"), "SELECT id, amount FROM t;\n");
    RivetConfig c =
        load(
            """
        source:
          type: postgres
          host: db.internal
          port: 6543
          user: reader
          password_env: PGPASS
          database: app
          environment: local
          tls: {mode: verify-full, ca_file: /etc/ssl/private-ca.pem}
          tuning: {profile: safe, statement_timeout_s: 60, lock_timeout_s: 5, throttle_ms: 0, batch_size: 5000}
        exports:
          - name: q
            query_file: q.sql
            mode: chunked
            chunk_column: id
            chunk_count: 8
            parallel: 2
            chunk_checkpoint: true
            chunk_max_attempts: 7
            format: parquet
            compression: gzip
            compression_level: 9
            skip_empty: true
            meta_columns: {exported_at: true}
            columns: {amount: "decimal(18,2)"}
            tuning: {max_retries: 2}
            destination: {type: local, path: "./out/{export}/{date}"}
        """,
            Map.of("PGPASS", "s3cret"));
    ExportConfig e = c.exports().get(0);
    assertThat(c.source().url()).isEqualTo("jdbc:postgresql://db.internal:6543/app");
    assertThat(c.source().tls())
        .isEqualTo(new TlsConfig(TlsConfig.Mode.VERIFY_FULL, "/etc/ssl/private-ca.pem"));
    assertThat(c.source().user()).isEqualTo("reader");
    assertThat(c.source().password().reveal()).isEqualTo("s3cret");
    assertThat(c.source().toString()).doesNotContain("s3cret");
    assertThat(e.query()).isEqualTo("SELECT id, amount FROM t");
    assertThat(e.mode()).isEqualTo(ExportMode.CHUNKED);
    assertThat(e.chunkColumn()).isEqualTo("id");
    assertThat(e.chunkCount()).isEqualTo(8);
    assertThat(e.parallel()).isEqualTo(2);
    assertThat(e.chunkCheckpoint()).isTrue();
    assertThat(e.chunkMaxAttempts()).isEqualTo(7);
    assertThat(e.compression()).isEqualTo(Compression.GZIP);
    assertThat(e.compressionLevel()).isEqualTo(9);
    assertThat(e.skipEmpty()).isTrue();
    assertThat(e.metaColumns().exportedAt()).isTrue();
    assertThat(e.columns()).containsEntry("amount", "decimal(18,2)");
    assertThat(e.tuning().profile()).isEqualTo(TuningConfig.Profile.SAFE);
    assertThat(e.tuning().statementTimeoutS()).isEqualTo(60);
    assertThat(e.tuning().lockTimeoutS()).isEqualTo(5);
    assertThat(e.tuning().batchSize()).isEqualTo(5000);
    assertThat(e.tuning().maxRetries()).isEqualTo(2);
    assertThat(e.destination().path()).isEqualTo("./out/{export}/{date}");
    assertThat(e.unsupported(c)).isEmpty();
  }

  @Test
  void unknownKeyGetsDidYouMeanWithItsPath() {
    String msg =
        problems(
            () ->
                load(
                    """
        source: {type: postgres, url_env: DATABASE_URL}
        exports:
          - {name: a, table: t, format: parquet, chunk_sise: 10, destination: {type: local, path: ./o}}
        """));
    assertThat(msg).contains("exports[0].chunk_sise: unknown key (did you mean 'chunk_size'?)");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String msg =
        problems(
            () ->
                load(
                    """
        source: {type: postgres, url_env: DATABASE_URL}
        exports:
          - {name: a, table: t, destination: {type: local, path: ./o}}
          - {name: a, query: "select 1", format: parquet, compression: brotli, destination: {type: local}}
        """));
    assertThat(msg)
        .contains("4 problems")
        .contains("exports[0].format: is required; set format: parquet")
        .contains("exports[1].compression: unknown value 'brotli'")
        .contains("exports[1].destination.path: is required for a local destination")
        .contains("exports[1].name: duplicate export name 'a'");
    assertThat(
            problems(
                () ->
                    load(
                        """
        source: {type: postgres, url_env: DATABASE_URL}
        exports:
          - {name: c, query: "select 1", mode: chunked, format: parquet, destination: {type: local, path: ./o}}
        """)))
        .contains("exports[0].chunk_column: mode chunked needs chunk_column");
  }

  @Test
  void unsetVariableIsAnErrorNamingTheLine() {
    String msg =
        problems(
            () ->
                load(
                    """
        source: {type: postgres, url: "postgresql://u:${NOPE}@localhost/db"}
        exports: []
        """,
                    Map.of()));
    assertThat(msg)
        .contains("line 1: ${NOPE} is not set; export NOPE=... or pass --param NOPE=...");
  }

  @Test
  void unsetUrlEnvSaysWhatToExport() {
    String msg =
        problems(
            () ->
                load(
                    """
        source: {type: postgres, url_env: WAREHOUSE_URL}
        exports:
          - {name: a, table: t, format: parquet, destination: {type: local, path: ./o}}
        """,
                    Map.of()));
    assertThat(msg).contains("source.url_env: environment variable WAREHOUSE_URL is not set");
  }

  @Test
  void laterKeysAreParsedButRefusedAsNotSupportedYet() {
    RivetConfig c =
        load(
            """
        source: {type: postgres, url_env: DATABASE_URL}
        exports:
          - name: a
            table: t
            mode: cdc
            verify: content
            format: parquet
            target: bq
            destination: {type: s3, bucket: b, prefix: p/, region: eu-west-1, allow_anonymous: true}
        """);
    assertThat(c.exports().get(0).verify()).isEqualTo(VerifyMode.CONTENT);
    assertThat(c.exports().get(0).target()).isEqualTo("bq");
    assertThat(c.exports().get(0).unsupported(c))
        .containsExactlyInAnyOrder(
            "exports[0].mode: cdc", "exports[0].destination.allow_anonymous");
  }

  @Test
  void chunkSizeMemoryMbSizesChunksOfATableAndRefusesWhatItCannotSize() {
    RivetConfig c =
        load(
            """
        source: {type: postgres, url_env: DATABASE_URL}
        exports:
          - {name: a, table: billing.invoices, mode: chunked, chunk_size_memory_mb: 256, parallel: 2, format: parquet,
             destination: {type: local, path: ./o}}
        """);
    assertThat(c.exports().get(0).chunkSizeMemoryMb()).isEqualTo(256);
    assertThat(c.exports().get(0).unsupported(c)).isEmpty();
    String msg =
        problems(
            () ->
                load(
                    """
        source: {type: postgres, url_env: DATABASE_URL}
        exports:
          - {name: q, query: "select * from t", mode: chunked, chunk_column: id, chunk_size_memory_mb: 64,
             format: parquet, destination: {type: local, path: ./o}}
          - {name: both, table: t, mode: chunked, chunk_size: 1000, chunk_size_memory_mb: 64, format: parquet,
             destination: {type: local, path: ./o}}
          - {name: count, table: t, mode: chunked, chunk_count: 8, chunk_size_memory_mb: 64, format: parquet,
             destination: {type: local, path: ./o}}
          - {name: full, table: t, chunk_size_memory_mb: 64, format: parquet, destination: {type: local, path: ./o}}
          - {name: zero, table: t, mode: chunked, chunk_size_memory_mb: 0, format: parquet, destination: {type: local, path: ./o}}
        """));
    assertThat(msg)
        .contains("exports[0].chunk_size_memory_mb: needs a table: export")
        .contains(
            "exports[1].chunk_size_memory_mb: and chunk_size both size the chunks; keep one of them")
        .contains("exports[2].chunk_size_memory_mb: cannot be combined with chunk_count")
        .contains("exports[3].chunk_size_memory_mb: is only valid with mode: chunked")
        .contains("exports[4].chunk_size_memory_mb");
  }

  @Test
  void badValuesNameTheirPathAndTheFix() {
    String msg =
        problems(
            () ->
                load(
                    """
        source: {type: postgres, url_env: DATABASE_URL}
        exports:
          - {name: "../x", table: "a;drop", format: parquet, parallel: 0, columns: {a: "decimal(50,2)", b: money},
             destination: {type: local, path: ../escape}}
        """));
    assertThat(msg)
        .contains("exports[0].name: '../x' is not filename-safe")
        .contains("exports[0].table: 'a;drop' is not a table name")
        .contains("exports[0].parallel: must be between 1 and 1024, found 0")
        .contains("exports[0].columns.a: decimal(50,2) is out of range")
        .contains("exports[0].columns.b: unknown type 'money'; allowed:")
        .contains("exports[0].destination.path: '../escape' contains '..'");
  }

  @Test
  void missingFileAndBrokenYaml() {
    assertThatThrownBy(() -> new ConfigLoader(Map.of(), Map.of()).load(dir.resolve("absent.yaml")))
        .isInstanceOf(RivetException.class)
        .hasMessageContaining("does not exist; pass the path of your rivet.yaml with -c")
        .extracting(t -> ((RivetException) t).code())
        .isEqualTo(ErrorCode.CONFIG_UNREADABLE);
    assertThat(problems(() -> load("source:\n\ttype: postgres\n")))
        .contains("not valid YAML")
        .contains("tabs");
  }

  @Test
  void aQueryEndingInALineCommentKeepsItsLineBreakSoWrappingItStillParses() {
    RivetConfig c =
        load(
            """
        source: {type: postgres, url: "postgresql://u@localhost/db"}
        exports:
          - name: a
            query: |
              SELECT id -- the key
              FROM t -- all of it;
            format: parquet
            destination: {type: local, path: ./a}
          - name: b
            query: "SELECT '--' AS dashes FROM t;"
            format: parquet
            destination: {type: local, path: ./b}
          - name: c
            query: "SELECT * FROM t # MySQL's own comment"
            format: parquet
            destination: {type: local, path: ./c}
        """);
    assertThat(c.exports().get(0).query()).isEqualTo("SELECT id -- the key\nFROM t -- all of it\n");
    assertThat("(" + c.exports().get(0).query() + ") AS _rivet").endsWith("\n) AS _rivet");
    // a "--" inside a literal on the last line only costs a harmless line break
    assertThat(c.exports().get(1).query()).isEqualTo("SELECT '--' AS dashes FROM t\n");
    assertThat(c.exports().get(2).query()).isEqualTo("SELECT * FROM t # MySQL's own comment\n");
  }
}
