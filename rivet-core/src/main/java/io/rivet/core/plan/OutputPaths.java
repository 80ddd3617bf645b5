package io.rivet.core.plan;

import io.rivet.core.config.DestinationConfig;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Resolves a destination path: placeholders {export} {table} {date} {run_id}; relative paths start
 * at the config directory.
 */
final class OutputPaths {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  /** The output "directory" of a stdout destination. */
  static final String STDOUT = "stdout:";

  private OutputPaths() {}

  static String resolve(RivetConfig config, ExportConfig export, String runId, Instant startedAt) {
    var d = export.destination();
    if (d.type() == DestinationConfig.Type.STDOUT) {
      return STDOUT;
    }
    if (d.type() == DestinationConfig.Type.S3 || d.type() == DestinationConfig.Type.GCS) {
      String prefix = d.prefix() == null ? "" : fill(d.prefix(), export, runId, startedAt);
      prefix = prefix.replaceAll("^/+", "").replaceAll("/+$", "");
      String scheme = d.type() == DestinationConfig.Type.S3 ? "s3://" : "gs://";
      return scheme + d.bucket() + (prefix.isEmpty() ? "" : "/" + prefix);
    }
    if (d.type() == DestinationConfig.Type.AZURE) {
      String prefix = d.prefix() == null ? "" : fill(d.prefix(), export, runId, startedAt);
      prefix = prefix.replaceAll("^/+", "").replaceAll("/+$", "");
      return "azfs://"
          + d.accountName()
          + "/"
          + d.bucket()
          + (prefix.isEmpty() ? "" : "/" + prefix);
    }
    String p = fill(d.path(), export, runId, startedAt);
    if (p.contains("://")) {
      return p;
    }
    Path path = Path.of(p);
    return (path.isAbsolute() ? path : config.configDir().resolve(path))
        .normalize()
        .toAbsolutePath()
        .toString();
  }

  private static String fill(
      String template, ExportConfig export, String runId, Instant startedAt) {
    return template
        .replace("{export}", export.name())
        .replace("{table}", export.name())
        .replace("{date}", DATE.format(startedAt))
        .replace("{run_id}", runId);
  }
}
