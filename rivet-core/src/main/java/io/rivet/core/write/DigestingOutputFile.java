package io.rivet.core.write;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/** A Parquet {@link OutputFile} over any stream that counts bytes and fingerprints the content as it is written. */
final class DigestingOutputFile implements OutputFile {
  private final OutputStream target;
  private final MessageDigest sha256;
  private final MessageDigest md5;
  private long position;
  private boolean created;

  DigestingOutputFile(OutputStream target) {
    this.target = target;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) {
    if (created) {
      throw new IllegalStateException("a part file is written once");
    }
    created = true;
    return new PositionOutputStream() {
      @Override
      public long getPos() {
        return position;
      }

      @Override
      public void write(int b) throws IOException {
        target.write(b);
        sha256.update((byte) b);
        md5.update((byte) b);
        position++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        target.write(b, off, len);
        sha256.update(b, off, len);
        md5.update(b, off, len);
        position += len;
      }

      @Override
      public void flush() throws IOException {
        target.flush();
      }

      @Override
      public void close() throws IOException {
        target.close();
      }
    };
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    return create(blockSizeHint);
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  long bytes() {
    return position;
  }

  /** Base64 MD5 of the content, as object stores report it (Content-MD5). */
  String md5() {
    return java.util.Base64.getEncoder().encodeToString(md5.digest());
  }

  String fingerprint() {
    return "sha256:" + HexFormat.of().formatHex(sha256.digest());
  }
}
