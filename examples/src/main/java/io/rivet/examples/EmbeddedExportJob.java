package io.rivet.examples;

import io.rivet.beam.ExportJob;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.RivetConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A Beam job of your own that embeds Rivet: it plans the exports of a rivet.yaml, applies the
 * export transform in its pipeline next to its own steps, and runs on whatever runner its options
 * name.
 *
 * <pre>java -cp ... io.rivet.examples.EmbeddedExportJob path/to/rivet.yaml --runner=DirectRunner
 * </pre>
 */
public final class EmbeddedExportJob {
  private EmbeddedExportJob() {}

  public static void main(String[] args) {
    Path config = Path.of(args[0]);
    RivetConfig cfg = ConfigLoader.fromEnvironment(Map.of()).load(config);
    Pipeline p =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(Arrays.copyOfRange(args, 1, args.length)).create());

    ExportJob.Prepared prepared =
        new ExportJob(cfg, config.toString()).prepare(List.of(), false, Instant.now());
    PCollection<String> finalized = p.apply("Rivet", prepared.transform());
    // Downstream steps see each export once its manifest and _SUCCESS are written.
    finalized.apply(
        "Announce",
        MapElements.into(TypeDescriptors.strings())
            .via(
                name -> {
                  System.out.println("export finalized: " + name);
                  return name;
                }));
    p.run().waitUntilFinish();
  }
}
