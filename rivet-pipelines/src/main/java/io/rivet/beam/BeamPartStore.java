package io.rivet.beam;

import io.rivet.core.extract.PartStore;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.SecureRandom;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Parts through Beam {@link FileSystems}. On a local disk a part is written as a hidden {@code
 * .<name>.<writer>.tmp} beside its final name, then renamed; the writer's nonce keeps two processes
 * that write one name (a paused holder and the run that took its lease over) out of each other's
 * temporary file. On object stores it is uploaded straight to its final key: an object becomes
 * visible only when its upload completes (multipart complete on S3), so no reader ever sees a
 * partial part, and no copy is paid for a rename.
 *
 * <p>Before a part becomes visible, {@code beforeCommit} runs: the extractor checks there that its
 * run still holds the export's lease, so a writer that lost it publishes nothing more.
 */
final class BeamPartStore implements PartStore {
  /** This process's part of temporary names. */
  private static final String WRITER =
      Long.toHexString(ProcessHandle.current().pid())
          + "-"
          + Integer.toHexString(new SecureRandom().nextInt());

  private final String outputDir;
  private final Runnable beforeCommit;

  BeamPartStore(String outputDir) {
    this(outputDir, () -> {});
  }

  BeamPartStore(String outputDir, Runnable beforeCommit) {
    this.outputDir = outputDir;
    this.beforeCommit = beforeCommit;
  }

  /** Whether the destination is an object store, where an upload is invisible until complete. */
  static boolean objectStore(String dir) {
    return dir.contains("://") && !dir.startsWith("file://");
  }

  private String staging(String partName) {
    return objectStore(outputDir) ? partName : tempName(partName);
  }

  static ResourceId resolve(String dir, String name) {
    return FileSystems.matchNewResource(dir, true)
        .resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  static String tempName(String partName) {
    return "." + partName + "." + WRITER + ".tmp";
  }

  /**
   * Whether a file name is a temporary file of a part whose name starts with {@code prefix}, of any
   * writer.
   */
  static boolean isTempOf(String fileName, String prefix) {
    return fileName.startsWith("." + prefix) && fileName.endsWith(".tmp");
  }

  /** Whether the destination is the process's standard output. */
  static boolean stdout(String dir) {
    return dir.equals("stdout:");
  }

  @Override
  public OutputStream create(String partName) throws IOException {
    if (stdout(outputDir)) {
      // One stream to the process's stdout; closing the part flushes it but keeps stdout open.
      return new FilterOutputStream(new BufferedOutputStream(System.out, 1 << 20)) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    return new BufferedOutputStream(
        Channels.newOutputStream(
            FileSystems.create(resolve(outputDir, staging(partName)), MimeTypes.BINARY)),
        1 << 20);
  }

  @Override
  public String commit(String partName) throws IOException {
    if (stdout(outputDir)) {
      return null;
    }
    if (objectStore(outputDir)) {
      // The upload completed when the part's stream closed; what the store now reports is recorded
      // in the ledger.
      beforeCommit.run();
      return PartVerifier.storeTag(outputDir, partName);
    }
    beforeCommit.run();
    FileSystems.rename(
        List.of(resolve(outputDir, tempName(partName))), List.of(resolve(outputDir, partName)));
    return null;
  }

  @Override
  public void abort(String partName) {
    if (stdout(outputDir)) {
      return;
    }
    if (objectStore(outputDir)) {
      // The writer was closed on abort, which completed the upload: remove the partial object.
      try {
        FileSystems.delete(
            List.of(resolve(outputDir, partName)),
            MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      } catch (IOException ignored) {
        // a part the ledger does not know is quarantined at finalize
      }
      return;
    }
    try {
      FileSystems.delete(
          List.of(resolve(outputDir, tempName(partName))),
          MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException ignored) {
      // a leftover temporary file is invisible to readers and is overwritten by the next attempt
    }
  }
}
