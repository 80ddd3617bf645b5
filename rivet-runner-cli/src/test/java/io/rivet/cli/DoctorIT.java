package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.core.testing.TestingPostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rivet doctor}: every check passes on a good config, and each class of failure is named
 * with a hint.
 */
class DoctorIT {
  @TempDir Path dir;

  private JsonNode doctor(String yaml, Map<String, String> env) throws Exception {
    Path cfg = dir.resolve("rivet.yaml");
    Files.writeString(cfg, yaml);
    RivetProcess p =
        RivetProcess.run(dir.resolve("doctor.log"), env, "doctor", "-c", cfg.toString(), "--json");
    String out = p.output();
    lastOutput = out;
    JsonNode json =
        new ObjectMapper().readTree(out.substring(out.indexOf('{'), out.lastIndexOf('}') + 1));
    assertThat(p.exitCode()).isEqualTo(json.get("all_ok").asBoolean() ? 0 : 1);
    return json;
  }

  private String lastOutput;

  private static JsonNode check(JsonNode doctor, String prefix) {
    for (JsonNode c : doctor.get("checks")) {
      if (c.get("name").asText().startsWith(prefix)) {
        return c;
      }
    }
    throw new AssertionError("no check " + prefix + " in " + doctor);
  }

  @Test
  void namesEachClassOfFailure() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer();
        S3Emulator s3 = new S3Emulator(Files.createDirectories(dir.resolve("store")), "lake");
        FakeGcs gcs = new FakeGcs("lake")) {
      Map<String, String> env = Map.of("K", S3Emulator.KEY, "S", S3Emulator.SECRET);
      String s3Dest =
          "{type: s3, bucket: %s, prefix: \"x/{export}/\", region: us-east-1, endpoint: %s, access_key_env: K, secret_key_env: S}";
      JsonNode good =
          doctor(
              """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: local, query: "select 1 as x", format: parquet, destination: {type: local, path: "./out/{export}"}}
            - {name: cloud, query: "select 1 as x", format: parquet, destination: %s}
            - {name: piped, query: "select 1 as x", format: csv, destination: {type: stdout}}
            - {name: gs, query: "select 1 as x", format: parquet,
               destination: {type: gcs, bucket: lake, prefix: "g/", endpoint: "%s", allow_anonymous: true}}
          """
                  .formatted(pg.jdbcUrl(), s3Dest.formatted("lake", s3.endpoint()), gcs.endpoint()),
              env);
      assertThat(good.get("all_ok").asBoolean()).as(good.toString()).isTrue();
      assertThat(check(good, "destination piped").get("detail").asText())
          .startsWith("standard output");
      assertThat(check(good, "destination gs").get("ok").asBoolean()).isTrue();
      assertThat(lastOutput)
          .as("no stack trace reaches the user")
          .doesNotContain("\tat ")
          .doesNotContain("Exception");
      assertThat(s3.keys("lake", "")).as("the probe is deleted").isEmpty();

      JsonNode bad =
          doctor(
              """
          source: {type: postgres, url: "postgresql://postgres:wrong@127.0.0.1:1/postgres"}
          exports:
            - {name: nobucket, query: "select 1", format: parquet, destination: %s}
          """
                  .formatted(s3Dest.formatted("missing-bucket", s3.endpoint())),
              env);
      assertThat(bad.get("all_ok").asBoolean()).isFalse();
      assertThat(check(bad, "source").get("hint").asText()).contains("host, port");
      assertThat(check(bad, "source").get("detail").asText()).doesNotContain("wrong");
      assertThat(check(bad, "destination nobucket").get("detail").asText())
          .startsWith("bucket not found");

      JsonNode down =
          doctor(
              """
          source: {type: postgres, url: "%s"}
          exports:
            - {name: down, query: "select 1", format: parquet, destination: %s}
          """
                  .formatted(pg.jdbcUrl(), s3Dest.formatted("lake", "http://127.0.0.1:1")),
              env);
      assertThat(check(down, "destination down").get("detail").asText())
          .startsWith("unreachable endpoint");
    }
  }
}
