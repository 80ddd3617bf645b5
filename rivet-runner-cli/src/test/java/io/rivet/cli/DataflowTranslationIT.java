package io.rivet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.beam.ExportJob;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.testing.TestingPostgresServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.SnappyInputStream;

/**
 * The Dataflow runner itself — offline: there is no Dataflow service here — translates an export
 * into the job description it would submit, written as a template to a fake GCS bucket, and stages
 * the job's artifacts there. The description names rivet's steps, lists the staged jars, and holds
 * no byte of the source's or the state store's password, nor does anything staged.
 */
class DataflowTranslationIT {
  private static final String PASSWORD = "d4taflow-Src-Pa55";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void theRunnerTranslatesAnExportIntoAJobWithRivetsStepsAndNoSecret() throws Exception {
    try (TestingPostgresServer pg = new TestingPostgresServer();
        FakeGcs gcs = new FakeGcs("staging", "lake")) {
      pg.execute(
          "CREATE TABLE t (id bigint PRIMARY KEY, v text)",
          "INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 1000) g");
      String url =
          pg.jdbcUrl()
              .replaceFirst(
                  "^jdbc:postgresql://([^/]+)/([^?]*).*$",
                  "postgresql://postgres:" + PASSWORD + "@$1/$2");
      Map<String, String> env = Map.of("RIVET_SOURCE_URL", url);
      Files.writeString(dir.resolve("state.url"), url);
      Path yaml = dir.resolve("rivet.yaml");
      Files.writeString(
          yaml,
          """
          source: {type: postgres, url_env: RIVET_SOURCE_URL}
          state: {url_file: state.url, schema: rivet_dataflow}
          exports:
            - {name: t, table: t, mode: chunked, chunk_size: 250, parallel: 4, format: parquet,
               destination: {type: gcs, bucket: lake, prefix: "out/{export}/", endpoint: "%s",
                             allow_anonymous: true}}
          """
              .formatted(gcs.endpoint()));
      RivetConfig config = new ConfigLoader(env, Map.of()).load(yaml);

      DataflowPipelineOptions options =
          PipelineOptionsFactory.fromArgs(
                  "--runner=DataflowRunner",
                  "--project=rivet-test",
                  "--region=europe-west1",
                  "--gcpTempLocation=gs://staging/tmp",
                  "--stagingLocation=gs://staging/stage",
                  "--templateLocation=gs://staging/templates/rivet.json",
                  "--serviceAccount=rivet-worker@rivet-test.iam.gserviceaccount.com",
                  "--subnetwork=regions/europe-west1/subnetworks/db-access",
                  "--usePublicIps=false")
              .as(DataflowPipelineOptions.class);
      ExportJob.applyDestinationOptions(options, config.exports(), env);
      options.setCredentialFactoryClass(NoopCredentialFactory.class);
      options.setFilesToStage(rivetClasses());
      FileSystems.setDefaultPipelineOptions(options);

      try (ExportJob.Prepared prepared =
          new ExportJob(config, yaml.toString()).prepare(List.of(), false, Instant.now())) {
        Pipeline p = Pipeline.create(options);
        p.apply("Rivet Export", prepared.transform());
        DataflowRunner.fromOptions(options).run(p);
      }

      byte[] template = gcs.get("staging", "templates/rivet.json");
      assertThat(template).as("the job description, written as a template").isNotNull();
      // Kept for reading: what the Dataflow service would receive.
      Files.write(Path.of("target", "dataflow-job.json"), template);
      JsonNode job = JSON.readTree(template);
      List<String> steps = new ArrayList<>();
      for (JsonNode step : job.path("steps")) {
        steps.add(step.path("properties").path("user_name").path("value").asText());
      }
      assertThat(steps)
          .anyMatch(s -> s.startsWith("Rivet Export/Export t/Extract Chunks"))
          .contains("Rivet Export/Export t/Finalize Export");
      JsonNode pool = job.path("environment").path("workerPools").get(0);
      List<String> packages = new ArrayList<>();
      for (JsonNode pkg : pool.path("packages")) {
        packages.add(pkg.path("location").asText());
      }
      assertThat(packages)
          .as("the staged artifacts")
          .isNotEmpty()
          .allMatch(l -> l.contains("staging/stage/"));
      List<String> staged = gcs.names("staging");
      assertThat(staged).anyMatch(n -> n.startsWith("stage/") && n.endsWith(".jar"));
      assertThat(job.toString())
          .contains("rivet-worker@rivet-test.iam.gserviceaccount.com")
          .contains("db-access");

      // No secret in the description — its text, nor the serialized DoFns and sources inside it
      // (base64 of Snappy-framed Java serialization: decoded here, or the search would be blind) —
      // nor in anything staged (the pipeline proto, the jars).
      assertThat(new String(template, StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
      List<String> payloads = new ArrayList<>();
      decodedPayloads(job, payloads);
      assertThat(payloads)
          .as("the serialized DoFns carry the password's reference")
          .anyMatch(b -> b.contains("url-env:RIVET_SOURCE_URL"));
      assertThat(payloads).noneMatch(b -> b.contains(PASSWORD));
      for (String name : staged) {
        assertThat(new String(gcs.get("staging", name), StandardCharsets.ISO_8859_1))
            .as(name)
            .doesNotContain(PASSWORD);
      }
    }
  }

  /**
   * Every serialized object in the job, decoded: Dataflow writes serialized DoFns percent-escaped
   * ({@code %82SNAPPY%00…}) and serialized sources as base64.
   */
  private static void decodedPayloads(JsonNode node, List<String> out) {
    if (node.isTextual() && node.asText().length() > 64) {
      String v = node.asText();
      if (v.startsWith("%82SNAPPY") || v.startsWith("%ac%ed")) {
        out.add(inflated(percentDecoded(v)));
      } else if (v.matches("[A-Za-z0-9+/=_-]+")) {
        try {
          out.add(inflated(Base64.getMimeDecoder().decode(v.replace('-', '+').replace('_', '/'))));
        } catch (IllegalArgumentException notBase64) {
          // plain text
        }
      }
      return;
    }
    for (JsonNode child : node) {
      decodedPayloads(child, out);
    }
  }

  private static byte[] percentDecoded(String v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '%' && i + 2 < v.length()) {
        out.write(Integer.parseInt(v.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toByteArray();
  }

  /**
   * The bytes as text, with every Snappy frame in them (a serialized object, and the serialized
   * plan nested inside a DoFn) decompressed and appended, recursively.
   */
  private static String inflated(byte[] raw) {
    StringBuilder text = new StringBuilder(new String(raw, StandardCharsets.ISO_8859_1));
    String s = text.toString();
    for (int at = s.indexOf("SNAPPY"); at > 0; at = s.indexOf("SNAPPY", at + 1)) {
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      try (SnappyInputStream in =
          new SnappyInputStream(new ByteArrayInputStream(raw, at - 1, raw.length - at + 1))) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          plain.write(buf, 0, n);
        }
      } catch (IOException | RuntimeException endOfFrames) {
        // what follows the last frame is not Snappy: keep what was read
      }
      if (plain.size() > 0) {
        text.append('\n').append(inflated(plain.toByteArray()));
      }
    }
    return text.toString();
  }

  /** rivet's own modules: what this test stages (a real job stages the whole classpath). */
  private static List<String> rivetClasses() {
    List<String> out = new ArrayList<>();
    for (String e :
        Pattern.compile(File.pathSeparator)
            .splitAsStream(System.getProperty("java.class.path"))
            .toList()) {
      if (e.matches(".*/rivet-(core|pipelines|runner-cli)/target/classes/?")
          || e.matches(".*/rivet-(core|pipelines|runner-cli)-[^/]*\\.jar")) {
        out.add(e);
      }
    }
    return out;
  }
}
