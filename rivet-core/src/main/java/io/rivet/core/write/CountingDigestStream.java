package io.rivet.core.write;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/** Counts and fingerprints (SHA-256) the bytes written through it. */
final class CountingDigestStream extends FilterOutputStream {
  private final MessageDigest sha256;
  private final MessageDigest md5;
  private long count;

  CountingDigestStream(OutputStream out) {
    super(out);
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    sha256.update((byte) b);
    md5.update((byte) b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha256.update(b, off, len);
    md5.update(b, off, len);
    count += len;
  }

  long count() {
    return count;
  }

  /** Base64 MD5 of the content, as object stores report it (Content-MD5). */
  String md5() {
    return Base64.getEncoder().encodeToString(md5.digest());
  }

  String fingerprint() {
    return "sha256:" + HexFormat.of().formatHex(sha256.digest());
  }
}
