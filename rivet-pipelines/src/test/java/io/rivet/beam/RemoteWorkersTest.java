package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rivet.core.RivetException;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.RivetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose workers are other processes is refused at launch when they would need something only
 * the launcher has: its state file, a password written into rivet.yaml, its stdout.
 */
class RemoteWorkersTest {
  @TempDir Path dir;

  private RivetConfig config(String source, String state, String destination) throws Exception {
    Path yaml = dir.resolve("rivet.yaml");
    Files.writeString(
        yaml,
        source
            + "\n"
            + state
            + "\nexports:\n  - {name: t, table: t, mode: full, format: parquet, destination: "
            + destination
            + "}\n");
    return new ConfigLoader(
            Map.of(
                "DB_URL",
                "postgresql://u:pw@localhost:5432/x",
                "STATE_URL",
                "postgresql://localhost/s"),
            Map.of())
        .load(yaml);
  }

  private static PipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).create();
  }

  @Test
  void inProcessRunnersNeedNothing() {
    assertThat(RemoteWorkers.remoteRunner(options())).isEmpty();
    assertThat(RemoteWorkers.remoteRunner(options("--runner=FlinkRunner"))).isEmpty();
    assertThat(RemoteWorkers.remoteRunner(options("--runner=FlinkRunner", "--flinkMaster=[local]")))
        .isEmpty();
    assertThat(
            RemoteWorkers.remoteRunner(
                options("--runner=FlinkRunner", "--flinkMaster=jm.internal:8081")))
        .contains("FlinkRunner at jm.internal:8081");
  }

  @Test
  void aClusterRunnerRefusesTheLaunchersStateFile() throws Exception {
    RivetConfig c =
        config(
            "source: {type: postgres, url_env: DB_URL}",
            "",
            "{type: s3, bucket: b, region: eu-west-1}");
    PipelineOptions flink = options("--runner=FlinkRunner", "--flinkMaster=jm:8081");
    assertThatThrownBy(() -> RemoteWorkers.check(c, c.exports(), flink))
        .isInstanceOf(RivetException.class)
        .hasMessageStartingWith("state: the state store is the SQLite file ")
        .hasMessageContaining("FlinkRunner at jm:8081")
        .hasMessageContaining("state.url_env");
    // In this process the file is fine.
    RemoteWorkers.check(c, c.exports(), options("--runner=FlinkRunner"));
  }

  @Test
  void aClusterRunnerRefusesAPasswordOnlyTheLauncherHolds() throws Exception {
    RivetConfig written =
        config(
            "source: {type: postgres, url: \"postgresql://u:pw@localhost:5432/x\"}",
            "state: {url_env: STATE_URL}",
            "{type: s3, bucket: b, region: eu-west-1}");
    PipelineOptions flink = options("--runner=FlinkRunner", "--flinkMaster=jm:8081");
    assertThatThrownBy(() -> RemoteWorkers.check(written, written.exports(), flink))
        .hasMessageStartingWith("source: the password is written in rivet.yaml")
        .hasMessageContaining("source.url_env")
        .hasMessageNotContaining("pw@");
    RivetConfig fromEnv =
        config(
            "source: {type: postgres, url_env: DB_URL}",
            "state: {url_env: STATE_URL}",
            "{type: s3, bucket: b, region: eu-west-1}");
    RemoteWorkers.check(fromEnv, fromEnv.exports(), flink);
  }

  @Test
  void aTemplateIsNotSupportedYet() throws Exception {
    RivetConfig c =
        config(
            "source: {type: postgres, url_env: DB_URL}",
            "state: {url_env: STATE_URL}",
            "{type: s3, bucket: b, region: eu-west-1}");
    PipelineOptions withTemplate = options("--runner=FlinkRunner", "--flinkMaster=jm:8081");
    withTemplate.as(TemplateLocation.class).setTemplateLocation("gs://b/t.json");
    assertThatThrownBy(() -> RemoteWorkers.check(c, c.exports(), withTemplate))
        .hasMessageStartingWith("--templateLocation: Dataflow templates are not supported yet");
  }

  /** Dataflow's option, declared here: the pipelines module does not depend on that runner. */
  public interface TemplateLocation extends PipelineOptions {
    String getTemplateLocation();

    void setTemplateLocation(String location);
  }

  @Test
  void aClusterRunnerRefusesStdout() throws Exception {
    RivetConfig c =
        config(
            "source: {type: postgres, url_env: DB_URL}",
            "state: {url_env: STATE_URL}",
            "{type: stdout}");
    assertThatThrownBy(
            () ->
                RemoteWorkers.check(
                    c, c.exports(), options("--runner=FlinkRunner", "--flinkMaster=jm:8081")))
        .hasMessageStartingWith("exports[t].destination: stdout is this launcher's");
  }
}
