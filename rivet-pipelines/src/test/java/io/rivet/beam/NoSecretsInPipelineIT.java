package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;

import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.testing.DuckDb;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline as a runner receives it — its portable proto, with every DoFn serialized inside —
 * holds no byte of the source's password: the plan's connection carries the password as a
 * reference, resolved where the DoFn runs.
 */
class NoSecretsInPipelineIT {
  private static final String SECRET = "s0urce-Pa55-zzyzx";

  @TempDir Path dir;

  @Test
  void theTranslatedPipelineHoldsNoPasswordAndStillRuns() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer()) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 5000) g");
      // The embedded server trusts local logins; the password only has to travel (or not).
      String url =
          pg.jdbcUrl()
              .replaceFirst(
                  "^jdbc:postgresql://([^/]+)/([^?]*).*$",
                  "postgresql://postgres:" + SECRET + "@$1/$2");
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: t, table: t, mode: chunked, chunk_size: 1000, parallel: 2, format: parquet,
               destination: {type: local, path: ./out}}
          """
              .formatted(url));
      RivetConfig config = ConfigLoader.fromEnvironment(Map.of()).load(yaml);
      try (ExportJob.Prepared prepared =
          new ExportJob(config, yaml.toString()).prepare(List.of(), false, Instant.now())) {
        assertThat(prepared.plans().get("t").connection().password().reveal())
            .as("the launcher holds it")
            .isEqualTo(SECRET);
        Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
        p.apply("Rivet Export", prepared.transform());

        byte[] proto = PipelineTranslation.toProto(p).toByteArray();
        assertThat(contains(proto, SECRET)).as("the portable pipeline").isFalse();
        byte[] plan = SerializableUtils.serializeToByteArray(prepared.plans().get("t"));
        assertThat(contains(plan, SECRET)).as("a serialized plan").isFalse();
        assertThat(contains(plan, "jvm:")).as("the password's reference travels instead").isTrue();

        assertThat(p.run().waitUntilFinish()).isEqualTo(PipelineResult.State.DONE);
      }
      assertThat(DuckDb.count(dir.resolve("out") + "/*.parquet")).isEqualTo(5000);
    }
  }

  private static boolean contains(byte[] haystack, String needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
  }
}
