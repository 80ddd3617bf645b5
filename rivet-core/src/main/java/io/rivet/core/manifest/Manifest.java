package io.rivet.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.core.Json;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.PartRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * {@code manifest.json} of one run (reference §5.3): every committed part with its rows, size and
 * content fingerprint. {@code _SUCCESS} holds the fingerprint of the manifest's exact bytes.
 */
public record Manifest(
    int manifestVersion,
    String runId,
    String exportName,
    String startedAt,
    String finishedAt,
    String status,
    Source source,
    Destination destination,
    String format,
    String compression,
    long rowCount,
    int partCount,
    List<Part> parts) {

  /** Where the rows came from. */
  public record Source(String engine, String query) {}

  /** Where the parts are. */
  public record Destination(String kind, String uri) {}

  /** One committed part; {@code path} is relative to the manifest. */
  public record Part(
      String partId,
      String path,
      long rows,
      long sizeBytes,
      String contentFingerprint,
      String contentMd5,
      int chunkIndex,
      long rangeStart,
      long rangeEnd,
      String status) {}

  public static Manifest of(
      ExportPlan plan, String startedAt, String finishedAt, List<PartRecord> ledger) {
    List<Part> parts =
        ledger.stream()
            .filter(PartRecord::isFile)
            .map(
                p ->
                    new Part(
                        p.fileName().replaceFirst("\\.[a-z]+$", ""),
                        p.fileName(),
                        p.rows(),
                        p.bytes(),
                        p.fingerprint(),
                        p.md5(),
                        p.chunkIndex(),
                        p.rangeStart(),
                        p.rangeEnd(),
                        "committed"))
            .toList();
    long rows = ledger.stream().mapToLong(PartRecord::rows).sum();
    String kind =
        plan.outputDir().contains("://")
            ? plan.outputDir().substring(0, plan.outputDir().indexOf(':'))
            : "local";
    return new Manifest(
        1,
        plan.runId(),
        plan.exportName(),
        startedAt,
        finishedAt,
        "success",
        new Source(
            plan.connection() == null ? "postgres" : plan.connection().dialect().name(),
            plan.baseQuery()),
        new Destination(kind, plan.outputDir()),
        plan.format().extension(),
        plan.compression().name().toLowerCase(Locale.ROOT),
        rows,
        parts.size(),
        parts);
  }

  public byte[] toJson() {
    try {
      return Json.DOCUMENTS.writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Manifest parse(byte[] json) {
    try {
      return Json.DOCUMENTS.readValue(json, Manifest.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("manifest.json cannot be read: " + e.getMessage(), e);
    }
  }

  /** The exact content of {@code _SUCCESS} for a manifest's bytes. */
  public static String successMarker(byte[] manifestBytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifestBytes))
          + "\n";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
