package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.util.common.ReflectHelpers;
import org.apache.beam.sdk.util.construction.PipelineOptionsTranslation;
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

  private static final ObjectMapper OPTIONS_JSON =
      new ObjectMapper()
          .registerModules(ObjectMapper.findModules(ReflectHelpers.findClassLoader()));

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
      // Planned inside the pipeline, the config itself travels (to the planning step): its source
      // URL without the password, which goes as the same reference.
      Pipeline planned = Pipeline.create(PipelineOptionsFactory.create());
      planned.apply("Rivet Export", RivetIO.export().withConfig(config));
      byte[] plannedProto = PipelineTranslation.toProto(planned).toByteArray();
      assertThat(contains(plannedProto, SECRET)).as("the pipeline that plans").isFalse();
      assertThat(contains(plannedProto, "jvm:")).as("the reference travels").isTrue();
      assertThat(DuckDb.count(dir.resolve("out") + "/*.parquet")).isEqualTo(5000);
    }
  }

  /**
   * Runners ship the pipeline options to every worker as JSON; the destination's keys stay out of
   * them: the options name the environment variables, and each worker reads them where it builds
   * its S3 or Azure client. The control shows the check would see a key that travelled.
   */
  @Test
  void theOptionsARunnerShipsHoldNoCloudKey() throws Exception {
    Path yaml = dir.resolve("cloud.yaml");
    Files.writeString(
        yaml,
        """
        source: {type: postgres, url_env: DB_URL}
        exports:
          - {name: s, table: t, mode: full, format: parquet,
             destination: {type: s3, bucket: b, region: eu-west-1, endpoint: "http://127.0.0.1:1",
                           access_key_env: K, secret_key_env: S, session_token_env: T}}
          - {name: a, table: t, mode: full, format: parquet,
             destination: {type: azure, account_name: acct, container: c, endpoint: "http://127.0.0.1:2/acct",
                           account_key_env: AZ}}
        """);
    Map<String, String> env =
        Map.of(
            "DB_URL", "postgresql://u:p@localhost:5432/d",
            "K", "AKIAKEYzzyzx",
            "S", "s3-SECRET-zzyzx",
            "T", "s3-TOKEN-zzyzx",
            "AZ", "YXp1cmUta2V5LXp6eXp4");
    RivetConfig config = new ConfigLoader(env, Map.of()).load(yaml);
    PipelineOptions options = PipelineOptionsFactory.create();
    CloudOptions.apply(options, config.exports(), env);

    // What SerializablePipelineOptions and the runners' job submission write: Beam's options JSON.
    byte[] shipped = OPTIONS_JSON.writeValueAsBytes(options);
    byte[] proto = PipelineOptionsTranslation.toProto(options).toByteArray();
    for (String secret :
        List.of("AKIAKEYzzyzx", "s3-SECRET-zzyzx", "s3-TOKEN-zzyzx", "YXp1cmUta2V5LXp6eXp4")) {
      assertThat(contains(shipped, secret)).as("serialized options hold " + secret).isFalse();
      assertThat(contains(proto, secret)).as("options proto holds " + secret).isFalse();
    }
    assertThat(new String(shipped, StandardCharsets.ISO_8859_1))
        .as("the names travel instead")
        .contains("\"rivetS3SecretKeyEnv\":\"S\"")
        .contains("\"rivetAzureKeyEnv\":\"AZ\"");

    // A worker whose environment lacks the variable says which one, and where to set it.
    PipelineOptions onWorker = OPTIONS_JSON.readValue(shipped, PipelineOptions.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new RivetS3ClientBuilderFactory()
                    .createBuilder(
                        onWorker.as(org.apache.beam.sdk.io.aws2.options.S3Options.class)))
        .hasMessageContaining("the environment variable K (destination.access_key_env)")
        .hasMessageContaining("each worker");

    // Control: a key given to Beam's own option travels with the job.
    PipelineOptions control = PipelineOptionsFactory.create();
    control
        .as(org.apache.beam.sdk.io.aws2.options.S3Options.class)
        .setAwsCredentialsProvider(
            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                    "AKIAKEYzzyzx", "s3-SECRET-zzyzx")));
    assertThat(contains(OPTIONS_JSON.writeValueAsBytes(control), "s3-SECRET-zzyzx")).isTrue();
  }

  private static boolean contains(byte[] haystack, String needle) {
    return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
  }
}
