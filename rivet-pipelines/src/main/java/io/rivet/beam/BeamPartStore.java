package io.rivet.beam;

import io.rivet.core.extract.PartStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Parts through Beam {@link FileSystems}: written as a hidden {@code .<name>.tmp} beside the final name, then
 * renamed, so a reader listing the directory never sees a partial part.
 */
final class BeamPartStore implements PartStore {
  private final String outputDir;

  BeamPartStore(String outputDir) {
    this.outputDir = outputDir;
  }

  static ResourceId resolve(String dir, String name) {
    return FileSystems.matchNewResource(dir, true).resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  static String tempName(String partName) {
    return "." + partName + ".tmp";
  }

  @Override
  public OutputStream create(String partName) throws IOException {
    return new BufferedOutputStream(
        Channels.newOutputStream(FileSystems.create(resolve(outputDir, tempName(partName)), MimeTypes.BINARY)), 1 << 20);
  }

  @Override
  public void commit(String partName) throws IOException {
    FileSystems.rename(List.of(resolve(outputDir, tempName(partName))), List.of(resolve(outputDir, partName)));
  }

  @Override
  public void abort(String partName) {
    try {
      FileSystems.delete(List.of(resolve(outputDir, tempName(partName))), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException ignored) {
      // a leftover temporary file is invisible to readers and is overwritten by the next attempt
    }
  }
}
