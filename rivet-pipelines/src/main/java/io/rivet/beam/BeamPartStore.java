package io.rivet.beam;

import io.rivet.core.extract.PartStore;
import io.rivet.core.extract.PartTakenException;
import io.rivet.core.state.PartRecord;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Parts through Beam {@link FileSystems}. On a local disk a part is written as a hidden {@code
 * .<name>.<writer>.tmp} beside its final name, and renamed to it only once the ledger has admitted
 * it ({@link #publish}); the writer's nonce keeps two writers of one name (a paused holder and the
 * run that took its lease over, two copies of the same work) out of each other's temporary file. On
 * object stores it is uploaded straight to its final key: an object becomes visible only when its
 * upload completes (multipart complete on S3), so no reader ever sees a partial part, and no copy
 * is paid for a rename.
 *
 * <p>Before a part becomes visible — and on object stores also before its upload starts — {@code
 * beforePublish} runs: the extractor checks there that its run still holds the export's lease, so a
 * writer that lost it publishes nothing more, and that no other copy of the same work committed the
 * name ({@link PartTakenException}), so a zombie does not replace a committed part's bytes.
 */
final class BeamPartStore implements PartStore {
  private static final SecureRandom NONCES = new SecureRandom();

  /** This process's part of temporary names. */
  private static final String PROCESS = Long.toHexString(ProcessHandle.current().pid());

  private final String outputDir;
  private final Consumer<String> beforePublish;

  /**
   * This store's part of temporary names: two copies of the same work in one process (a retried
   * bundle while the first still runs) do not share a temporary file either.
   */
  private final String writer = PROCESS + "-" + Integer.toHexString(NONCES.nextInt());

  BeamPartStore(String outputDir) {
    this(outputDir, name -> {});
  }

  BeamPartStore(String outputDir, Consumer<String> beforePublish) {
    this.outputDir = outputDir;
    this.beforePublish = beforePublish;
  }

  /** Whether the destination is an object store, where an upload is invisible until complete. */
  static boolean objectStore(String dir) {
    return dir.contains("://") && !dir.startsWith("file://");
  }

  private String staging(String partName) {
    return objectStore(outputDir) ? partName : tempName(partName, writer);
  }

  static ResourceId resolve(String dir, String name) {
    return FileSystems.matchNewResource(dir, true)
        .resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }

  /** A temporary name of this process, for files written once (markers, the manifest). */
  static String tempName(String partName) {
    return tempName(partName, PROCESS + "-" + Integer.toHexString(NONCES.nextInt()));
  }

  private static String tempName(String partName, String writer) {
    return "." + partName + "." + writer + ".tmp";
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
    if (objectStore(outputDir)) {
      // The upload goes to the final key: a copy of work already committed stops before it.
      beforePublish.accept(partName);
    }
    return new BufferedOutputStream(
        Channels.newOutputStream(
            FileSystems.create(resolve(outputDir, staging(partName)), MimeTypes.BINARY)),
        1 << 20);
  }

  /**
   * Seals a written part. On an object store it is visible now (its upload completed when its
   * stream closed), and what the store reports is returned for the ledger. On a local disk it stays
   * under this writer's temporary name until the ledger admits it ({@link #publish}): only the copy
   * of the work that the ledger admitted ever writes a final name, so a copy that lost cannot
   * replace or delete the winner's part.
   */
  @Override
  public String commit(String partName) throws IOException {
    if (stdout(outputDir)) {
      return null;
    }
    if (objectStore(outputDir)) {
      // The upload completed when the part's stream closed; what the store now reports is recorded
      // in the ledger.
      beforePublish.accept(partName);
      return PartVerifier.storeTag(outputDir, partName);
    }
    try {
      beforePublish.accept(partName);
    } catch (RuntimeException refused) {
      abort(partName);
      throw refused;
    }
    return null;
  }

  /**
   * Makes parts the ledger admitted visible: on a local disk, after {@code stillOurs} confirms (the
   * run holds its lease, the ledger still holds these parts as written), renames each temporary
   * file to its final name — one atomic step that replaces whatever an earlier, unadmitted attempt
   * left there. Object stores: nothing to do.
   */
  void publish(List<PartRecord> parts, Consumer<List<PartRecord>> stillOurs) throws IOException {
    if (stdout(outputDir) || objectStore(outputDir)) {
      return;
    }
    List<PartRecord> files = parts.stream().filter(PartRecord::isFile).toList();
    if (files.isEmpty()) {
      return;
    }
    try {
      stillOurs.accept(files);
    } catch (RuntimeException refused) {
      files.forEach(f -> abort(f.fileName()));
      throw refused;
    }
    for (PartRecord f : files) {
      FileSystems.rename(
          List.of(resolve(outputDir, staging(f.fileName()))),
          List.of(resolve(outputDir, f.fileName())));
    }
  }

  /**
   * Takes back a part the ledger refused (another copy of the work committed first). On a local
   * disk it was never published: its temporary file is deleted, and the final name — another copy's
   * — is not touched. On an object store the upload went to the final key: the object is deleted
   * only while the store still reports this upload's tag, so an object another copy uploaded since
   * is left alone.
   */
  void withdraw(PartRecord part) {
    if (stdout(outputDir) || !part.isFile()) {
      return;
    }
    if (!objectStore(outputDir)) {
      abort(part.fileName());
      return;
    }
    try {
      String now = PartVerifier.storeTag(outputDir, part.fileName());
      if (now == null || !now.equals(part.storeTag())) {
        return;
      }
      FileSystems.delete(
          List.of(resolve(outputDir, part.fileName())),
          MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException ignored) {
      // a part the ledger does not know is quarantined at finalize
    }
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
          List.of(resolve(outputDir, staging(partName))),
          MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException ignored) {
      // a leftover temporary file is invisible to readers and is overwritten by the next attempt
    }
  }
}
