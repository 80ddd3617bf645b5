package io.rivet.examples;

import io.rivet.beam.ExportResult;
import io.rivet.beam.RivetIO;
import java.util.Arrays;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A Beam job of your own that embeds Rivet: the exports of a rivet.yaml run as a step of its
 * pipeline, next to its own steps, on whatever runner its options name. Building the pipeline
 * touches nothing; the exports are planned when it runs.
 *
 * <pre>java -cp ... io.rivet.examples.EmbeddedExportJob path/to/rivet.yaml --runner=DirectRunner
 * </pre>
 */
public final class EmbeddedExportJob {
  private EmbeddedExportJob() {}

  public static void main(String[] args) {
    Pipeline p =
        Pipeline.create(
            PipelineOptionsFactory.fromArgs(Arrays.copyOfRange(args, 1, args.length)).create());

    PCollection<ExportResult> done = p.apply("Rivet", RivetIO.export().withConfigFile(args[0]));
    // Downstream steps see each export once it is finished: its manifest and _SUCCESS written.
    done.apply(
        "Announce",
        MapElements.into(TypeDescriptors.strings())
            .via(
                (ExportResult r) -> {
                  String line =
                      r.export()
                          + ": "
                          + r.status()
                          + ", "
                          + r.rows()
                          + " rows, "
                          + r.files()
                          + " files"
                          + (r.message() == null ? "" : " — " + r.message());
                  System.out.println(line);
                  return line;
                }));
    // A step that must follow the exports waits on their results.
    p.apply("Then", Create.of("exports done").withCoder(StringUtf8Coder.of()))
        .apply("After Rivet", Wait.on(done))
        .apply("Say so", MapElements.into(TypeDescriptors.strings()).via((String s) -> s));
    p.run().waitUntilFinish();
  }
}
