package io.rivet.core.write;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} over any stream that counts bytes and fingerprints the content as it
 * is written.
 */
final class DigestingOutputFile implements OutputFile {
  private final CountingDigestStream counted;
  private boolean created;

  DigestingOutputFile(OutputStream target) {
    this.counted = new CountingDigestStream(target);
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
        return counted.count();
      }

      @Override
      public void write(int b) throws IOException {
        counted.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        counted.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        counted.flush();
      }

      @Override
      public void close() throws IOException {
        counted.close();
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

  /** Closes the underlying stream (idempotent; used when a part is abandoned before its footer). */
  void close() throws IOException {
    counted.close();
  }

  long bytes() {
    return counted.count();
  }

  String fingerprint() {
    return counted.fingerprint();
  }

  String md5() {
    return counted.md5();
  }
}
