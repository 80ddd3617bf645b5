package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivet.core.RivetException;
import io.rivet.core.state.StateStore;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RivetIO#export()} as a team embeds it in its own Beam job: configured in code, planned as
 * the pipeline's first step (building the pipeline touches nothing), one {@link ExportResult} per
 * export that downstream steps can wait on — on the DirectRunner against a real PostgreSQL.
 */
class RivetIOExportIT {
  @TempDir Path dir;

  /** A TCP port that counts the connections made to it and answers none. */
  private static final class Listener implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger accepted = new AtomicInteger();
    final Thread loop;

    Listener() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      loop =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket s = socket.accept()) {
                    accepted.incrementAndGet();
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      loop.setDaemon(true);
      loop.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aPipelineBuiltAndNeverRunTouchesNothing() throws Exception {
    try (Listener source = new Listener();
        Listener stateDb = new Listener()) {
      Path out = dir.resolve("out");
      Path sqlite = dir.resolve("state.db");
      String yaml =
          """
          source: {type: postgres, url: "postgresql://rivet:pw@127.0.0.1:%d/shop"}
          exports:
            - {name: orders, table: orders, mode: chunked, chunk_size: 1000, format: parquet,
               destination: {type: local, path: "%s"}}
            - {name: parts, table: parts, mode: full, format: csv,
               destination: {type: s3, bucket: lake, region: eu-west-1,
                             endpoint: "http://127.0.0.1:%d", allow_anonymous: true}}
          """
              .formatted(source.port(), out, source.port());
      for (String state :
          List.of(
              "jdbc:postgresql://127.0.0.1:" + stateDb.port() + "/state?user=rivet",
              "jdbc:sqlite:" + sqlite)) {
        Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
        PCollection<ExportResult> done =
            p.apply("Rivet", RivetIO.export().withConfigYaml(yaml).withStateStore(state));
        done.apply(
            "Downstream",
            MapElements.into(TypeDescriptors.strings()).via((ExportResult r) -> r.export()));
        // What a runner receives is made too: translating the pipeline plans nothing either.
        assertThat(PipelineTranslation.toProto(p).getComponents().getTransformsCount())
            .isPositive();
        // The transform set the destination's file-system options (not a CLI).
        assertThat(p.getOptions().as(S3Options.class).getEndpoint())
            .hasToString("http://127.0.0.1:" + source.port());
      }
      Thread.sleep(300);
      assertThat(source.accepted).as("connections to the source").hasValue(0);
      assertThat(stateDb.accepted).as("connections to the state store").hasValue(0);
      assertThat(sqlite).as("the SQLite state store").doesNotExist();
      assertThat(out).as("the destination").doesNotExist();
      try (var files = Files.list(dir)) {
        assertThat(files).as("nothing written anywhere").isEmpty();
      }
    }
  }

  private static String config(TestingPostgresServer pg, Path out) {
    return """
        source: {type: postgres, url: "%s"}
        exports:
          - {name: orders, table: orders, mode: chunked, chunk_size: 2000, parallel: 2,
             format: parquet, destination: {type: local, path: "%s/orders"}}
          - {name: notes, query: "SELECT id, body FROM notes", mode: full, format: csv,
             destination: {type: local, path: "%s/notes"}}
          - {name: broken, table: no_such_table, mode: full, format: parquet,
             destination: {type: local, path: "%s/broken"}}
        """
        .formatted(pg.jdbcUrl(), out, out, out);
  }

  private static TestingPostgresServer source() throws Exception {
    TestingPostgresServer pg = new TestingPostgresServer();
    pg.execute(
        "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(12,2))",
        "INSERT INTO orders SELECT g, g * 1.25 FROM generate_series(1, 10000) g",
        "CREATE TABLE notes (id int PRIMARY KEY, body text)",
        "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 300) g");
    return pg;
  }

  @Test
  void exportsArePlannedInsideThePipelineAndEachReportsItsResult() throws Exception {
    try (TestingPostgresServer pg = source()) {
      Path out = dir.resolve("out");
      String manifest = out.resolve("orders/manifest.json").toString();
      String orders = out.resolve("orders") + "/*.parquet";
      String state = "jdbc:sqlite:" + dir.resolve("state.db");
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      PCollection<ExportResult> results =
          p.apply("Rivet", RivetIO.export().withConfigYaml(config(pg, out)).withStateStore(state));
      PAssert.that(results)
          .satisfies(
              rs -> {
                List<ExportResult> all = new ArrayList<>();
                rs.forEach(all::add);
                assertThat(all)
                    .extracting(ExportResult::export)
                    .containsExactlyInAnyOrder("orders", "notes", "broken");
                for (ExportResult r : all) {
                  switch (r.export()) {
                    case "orders" -> {
                      assertThat(r.status()).isEqualTo(ExportResult.Status.SUCCEEDED);
                      assertThat(r.rows()).isEqualTo(10_000);
                      assertThat(r.files()).isEqualTo(5);
                      assertThat(r.bytes()).isPositive();
                      assertThat(r.manifest()).isEqualTo(manifest);
                      assertThat(r.runId()).startsWith("orders_");
                    }
                    case "notes" -> {
                      assertThat(r.status()).isEqualTo(ExportResult.Status.SUCCEEDED);
                      assertThat(r.rows()).isEqualTo(300);
                    }
                    default -> {
                      // One export's failure is its own result; the others finished.
                      assertThat(r.status()).isEqualTo(ExportResult.Status.FAILED);
                      assertThat(r.errorCode()).isEqualTo("SOURCE_QUERY_FAILED");
                      assertThat(r.message()).contains("no_such_table");
                    }
                  }
                }
                return null;
              });
      // A step downstream runs once the exports are done, and sees their files.
      PCollection<String> after =
          p.apply("Then", Create.of("count").withCoder(StringUtf8Coder.of()))
              .apply("After Rivet", Wait.on(results))
              .apply(
                  "Count",
                  MapElements.into(TypeDescriptors.strings())
                      .via(
                          (String s) -> {
                            try {
                              return String.valueOf(DuckDb.count(orders));
                            } catch (Exception e) {
                              throw new IllegalStateException(e);
                            }
                          }));
      PAssert.that(after).containsInAnyOrder("10000");
      assertThat(p.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);

      assertThat(
              DuckDb.rows(
                      "SELECT count(*), count(DISTINCT id), sum(amount) FROM read_parquet('"
                          + out.resolve("orders")
                          + "/*.parquet')")
                  .get(0))
          .containsExactly(10_000L, 10_000L, new java.math.BigDecimal("62506250.00"));
      assertThat(out.resolve("orders/_SUCCESS")).exists();
      assertThat(out.resolve("notes/_SUCCESS")).exists();
      assertThat(out.resolve("broken/_SUCCESS")).doesNotExist();
      try (StateStore s = StateStore.open(state)) {
        // The pipeline held the leases itself, and gave them back when each export was done.
        assertThat(s.leases()).isEmpty();
      }
    }
  }

  @Test
  void twoPipelinesOnOneExportAtOnceWriteEveryRowOnce() throws Exception {
    try (TestingPostgresServer pg = source()) {
      Path out = dir.resolve("out");
      String state = "jdbc:sqlite:" + dir.resolve("state.db");
      // Slow reads so that the two pipelines overlap.
      String yaml =
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: orders, table: orders, mode: chunked, chunk_size: 2000, parallel: 2,
               format: parquet, destination: {type: local, path: "%s/orders"},
               tuning: {batch_size: 250, throttle_ms: 200}}
          """
              .formatted(pg.jdbcUrl(), out);
      Callable<Object> one =
          () -> {
            Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
            p.apply(RivetIO.export().withConfigYaml(yaml).withStateStore(state));
            try {
              return p.run().waitUntilFinish();
            } catch (RuntimeException e) {
              return ExportJob.unwrap(e);
            }
          };
      ExecutorService two = Executors.newFixedThreadPool(2);
      List<Object> ends = new ArrayList<>();
      try {
        for (Future<Object> f : two.invokeAll(List.of(one, one))) {
          ends.add(f.get());
        }
      } finally {
        two.shutdownNow();
      }
      assertThat(ends).filteredOn(PipelineResult.State.DONE::equals).hasSize(1);
      assertThat(ends)
          .filteredOn(RivetException.class::isInstance)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(((RivetException) e).getMessage())
                      .contains("is being written by another rivet process"));
      assertThat(
              DuckDb.rows(
                      "SELECT count(*), count(DISTINCT id) FROM read_parquet('"
                          + out.resolve("orders")
                          + "/*.parquet')")
                  .get(0))
          .containsExactly(10_000L, 10_000L);
    }
  }

  /** One pipeline run of {@code export}, its single result. */
  private static ExportResult runOnce(RivetIO.Export export) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    RESULTS.clear();
    p.apply(export)
        .apply(
            MapElements.into(TypeDescriptors.strings())
                .via(
                    (ExportResult r) -> {
                      RESULTS.add(r);
                      return r.export();
                    }));
    assertThat(p.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
    assertThat(RESULTS).hasSize(1);
    return RESULTS.get(0);
  }

  /** Results seen by the DirectRunner's threads in this JVM. */
  private static final List<ExportResult> RESULTS = new CopyOnWriteArrayList<>();

  @Test
  void aScheduledJobRunAgainContinuesItsFailedRunThenStartsANewOne() throws Exception {
    try (TestingPostgresServer pg = source()) {
      pg.execute(
          "CREATE TABLE flag (broken boolean)",
          "INSERT INTO flag VALUES (true)",
          // Fails one row of one chunk while the flag is up (division by zero: not retried); the
          // planner's queries never compute the column (STABLE: the subquery is flattened).
          "CREATE FUNCTION checked(i bigint, a numeric) RETURNS numeric AS $$ SELECT CASE WHEN"
              + " i = 7777 AND (SELECT broken FROM flag) THEN a / 0 ELSE a END $$ LANGUAGE sql STABLE");
      String yaml =
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: orders, query: "SELECT id, checked(id, amount)::numeric(12,2) AS amount FROM orders", chunk_column: id,
               mode: chunked, chunk_size: 2000, parallel: 2, format: parquet,
               destination: {type: local, path: "%s/orders"}}
          """
              .formatted(pg.jdbcUrl(), dir.resolve("out"));
      RivetIO.Export job =
          RivetIO.export()
              .withConfigYaml(yaml)
              .withStateStore("jdbc:sqlite:" + dir.resolve("state.db"))
              .withResumeOrStart();

      ExportResult first = runOnce(job);
      assertThat(first.status()).isEqualTo(ExportResult.Status.FAILED);
      assertThat(first.message()).contains("division by zero");
      assertThat(first.runId()).as("the run started, then failed").isNotNull();
      pg.execute("UPDATE flag SET broken = false");
      ExportResult again = runOnce(job);
      assertThat(again.status()).isEqualTo(ExportResult.Status.SUCCEEDED);
      assertThat(again.runId()).as("the failed run continued").isEqualTo(first.runId());
      assertThat(again.rows()).isEqualTo(10_000);
      Thread.sleep(1100); // run ids are stamped to the second
      ExportResult next = runOnce(job);
      assertThat(next.status()).isEqualTo(ExportResult.Status.SUCCEEDED);
      assertThat(next.runId()).as("a new run").isNotEqualTo(first.runId());
    }
  }

  @Test
  void aConfigErrorIsThrownWhereTheTransformIsConfigured() {
    assertThatThrownBy(
            () ->
                RivetIO.export()
                    .withConfigYaml(
                        "source: {type: postgres, url: \"postgresql://127.0.0.1/db\"}\nexports: []\n"))
        .isInstanceOf(RivetException.class)
        .hasMessageContaining("exports");
    assertThatThrownBy(() -> RivetIO.export().withStateStore("postgresql://u:secret@h/db"))
        .isInstanceOf(RivetException.class)
        .hasMessageStartingWith("withStateStore:")
        .hasMessageNotContaining("secret");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    assertThatThrownBy(() -> p.apply(RivetIO.export()))
        .isInstanceOf(RivetException.class)
        .hasMessageContaining("withConfigYaml");
  }
}
