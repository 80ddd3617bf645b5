package io.rivet.beam;

import io.rivet.core.config.DestinationConfig;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * {@code rivet doctor}'s destination check: writes {@code .rivet_doctor_probe} where the export's
 * parts would go, then deletes it (never retried), and names the class of any failure with a hint.
 */
public final class DestinationProbe {
  static final String PROBE = ".rivet_doctor_probe";

  /** The outcome of one check. */
  public record Check(String name, boolean ok, String detail, String hint) {}

  private DestinationProbe() {}

  /** The fixed part of a destination: everything before the first placeholder. */
  static String staticRoot(RivetConfig config, ExportConfig e) {
    DestinationConfig d = e.destination();
    if (d.type() == DestinationConfig.Type.S3
        || d.type() == DestinationConfig.Type.AZURE
        || d.type() == DestinationConfig.Type.GCS) {
      String prefix =
          d.prefix() == null ? "" : cut(d.prefix()).replaceAll("^/+", "").replaceAll("/+$", "");
      String root =
          switch (d.type()) {
            case S3 -> "s3://" + d.bucket();
            case GCS -> "gs://" + d.bucket();
            default -> "azfs://" + d.accountName() + "/" + d.bucket();
          };
      return root + (prefix.isEmpty() ? "" : "/" + prefix);
    }
    String p = cut(d.path());
    Path path = Path.of(p.isEmpty() ? "." : p);
    return (path.isAbsolute() ? path : config.configDir().resolve(path))
        .normalize()
        .toAbsolutePath()
        .toString();
  }

  private static String cut(String template) {
    int i = template.indexOf('{');
    String fixed = i < 0 ? template : template.substring(0, i);
    return i < 0 ? fixed : fixed.substring(0, Math.max(0, fixed.lastIndexOf('/') + 1));
  }

  public static Check probe(RivetConfig config, ExportConfig e) {
    String name =
        "destination "
            + e.name()
            + " ("
            + e.destination().type().name().toLowerCase(Locale.ROOT)
            + ")";
    if (e.destination().type() == DestinationConfig.Type.STDOUT) {
      return new Check(
          name,
          true,
          "standard output: nothing to probe (rows go to stdout, the report to stderr)",
          null);
    }
    String root = staticRoot(config, e);
    ResourceId probe = BeamPartStore.resolve(root, PROBE);
    try {
      try (OutputStream os = Channels.newOutputStream(FileSystems.create(probe, MimeTypes.TEXT))) {
        os.write("rivet doctor probe\n".getBytes(StandardCharsets.UTF_8));
      }
      FileSystems.delete(List.of(probe), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      return new Check(name, true, "wrote and deleted " + probe, null);
    } catch (IOException | RuntimeException ex) {
      return classify(name, root, ex);
    }
  }

  static Check classify(String name, String root, Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      String type = t.getClass().getSimpleName();
      if (type.equals("NoSuchBucketException")
          || (t.getMessage() != null
              && (t.getMessage().contains("NoSuchBucket")
                  || t.getMessage().contains("ContainerNotFound")))) {
        return new Check(
            name,
            false,
            "bucket not found: " + root,
            "create the bucket, or fix destination.bucket");
      }
      if (t instanceof AccessDeniedException
          || ((type.equals("S3Exception") || type.equals("BlobStorageException"))
              && t.getMessage() != null
              && t.getMessage().contains("403"))) {
        return new Check(
            name,
            false,
            "permission denied writing " + root,
            "grant write and delete on the prefix to these credentials");
      }
      if (t instanceof ConnectException || type.equals("UnknownHostException")) {
        return new Check(
            name,
            false,
            "unreachable endpoint for " + root + ": " + t.getMessage(),
            "check destination.endpoint / network access");
      }
    }
    return new Check(
        name, false, "cannot write " + root + ": " + ex, "check the destination settings");
  }
}
