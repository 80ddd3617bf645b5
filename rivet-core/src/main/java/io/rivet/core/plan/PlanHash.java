package io.rivet.core.plan;

import io.rivet.core.config.ExportConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * Identity of an export's chunking: a resume is refused when the config changed what the chunks
 * mean.
 */
public final class PlanHash {
  private PlanHash() {}

  public static String of(ExportConfig e) {
    String identity =
        String.join(
                "\u0000",
                String.valueOf(e.query()),
                String.valueOf(e.table()),
                e.mode().name(),
                String.valueOf(e.chunkColumn()),
                String.valueOf(e.chunkByKey()),
                String.valueOf(e.chunkDense()),
                String.valueOf(e.chunkByDays()),
                String.valueOf(e.chunkSize()),
                String.valueOf(e.chunkCount()),
                String.valueOf(e.format()),
                String.valueOf(e.compression()),
                String.valueOf(e.compressionLevel()),
                e.destination() == null ? "" : String.valueOf(e.destination().path()),
                new TreeMap<>(e.columns()).toString(),
                String.valueOf(e.metaColumns()))
            // Appended only when set, so runs planned before the key existed keep their hash.
            + (e.chunkSizeMemoryMb() != null
                ? "\u0000chunk_size_memory_mb=" + e.chunkSizeMemoryMb()
                : "");
    return "sha256:" + sha256(identity).substring(0, 16);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
