package io.rivet.beam;

import io.rivet.core.state.PartRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Checks that a committed part at the destination is still the bytes the ledger recorded (reference
 * §5.3, M3/M8): on a local disk its size and SHA-256, re-read; on an object store its size and the
 * checksum the store reports — compared with the MD5 computed while writing where the store reports
 * an MD5 (GCS), and with the tag the store reported right after the upload (S3 and Azure ETags), so
 * an object replaced since its commit is caught without downloading it.
 */
final class PartVerifier {
  private PartVerifier() {}

  enum Verdict {
    OK,
    MISSING,
    SIZE_DIFFERS,
    CONTENT_DIFFERS
  }

  /** The verdict on one part, with what was expected and found (for messages and the journal). */
  record Check(PartRecord part, Verdict verdict, String detail) {
    boolean ok() {
      return verdict == Verdict.OK;
    }
  }

  static Check verify(String dir, PartRecord p) throws IOException {
    return BeamPartStore.objectStore(dir)
        ? verifyObject(dir, p)
        : verifyLocal(Path.of(localPath(dir)).resolve(p.fileName()), p);
  }

  private static String localPath(String dir) {
    return dir.startsWith("file://") ? URI.create(dir).getPath() : dir;
  }

  private static Check verifyLocal(Path file, PartRecord p) throws IOException {
    if (!Files.isRegularFile(file)) {
      return new Check(p, Verdict.MISSING, "not found");
    }
    long size = Files.size(file);
    if (size != p.bytes()) {
      return new Check(p, Verdict.SIZE_DIFFERS, "size " + size + " bytes, ledger " + p.bytes());
    }
    String sha = sha256(file);
    if (!sha.equals(p.fingerprint())) {
      return new Check(
          p, Verdict.CONTENT_DIFFERS, "content " + sha + ", ledger " + p.fingerprint());
    }
    return new Check(p, Verdict.OK, "");
  }

  private static Check verifyObject(String dir, PartRecord p) throws IOException {
    MatchResult m = FileSystems.match(BeamPartStore.resolve(dir, p.fileName()).toString());
    if (m.status() == MatchResult.Status.NOT_FOUND
        || (m.status() == MatchResult.Status.OK && m.metadata().isEmpty())) {
      return new Check(p, Verdict.MISSING, "not found");
    }
    if (m.status() != MatchResult.Status.OK) {
      throw new IOException("cannot look up " + p.fileName() + ": " + m.status());
    }
    MatchResult.Metadata meta = m.metadata().get(0);
    if (meta.sizeBytes() != p.bytes()) {
      return new Check(
          p, Verdict.SIZE_DIFFERS, "size " + meta.sizeBytes() + " bytes, ledger " + p.bytes());
    }
    String reported = meta.checksum();
    if (reported != null && p.md5() != null && isBase64Md5(reported) && !reported.equals(p.md5())) {
      return new Check(p, Verdict.CONTENT_DIFFERS, "MD5 " + reported + ", written " + p.md5());
    }
    if (reported != null && p.storeTag() != null && !reported.equals(p.storeTag())) {
      return new Check(
          p,
          Verdict.CONTENT_DIFFERS,
          "the store's tag is "
              + reported
              + ", at commit it was "
              + p.storeTag()
              + " (the object was replaced since)");
    }
    return new Check(p, Verdict.OK, "");
  }

  /**
   * What the store reports for an object right after its upload (null on a local disk or when it
   * reports nothing).
   */
  static String storeTag(String dir, String name) throws IOException {
    if (!BeamPartStore.objectStore(dir)) {
      return null;
    }
    MatchResult m = FileSystems.match(BeamPartStore.resolve(dir, name).toString());
    return m.status() == MatchResult.Status.OK && !m.metadata().isEmpty()
        ? m.metadata().get(0).checksum()
        : null;
  }

  private static boolean isBase64Md5(String s) {
    return s.length() == 24 && s.endsWith("==");
  }

  static String sha256(Path file) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return "sha256:" + HexFormat.of().formatHex(d.digest());
  }
}
