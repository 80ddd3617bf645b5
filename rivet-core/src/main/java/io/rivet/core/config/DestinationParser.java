package io.rivet.core.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and validates an export's {@code destination:} — local, s3, gcs, azure or stdout — and its
 * credentials.
 */
final class DestinationParser {
  static final Set<String> DEST_KEYS =
      Set.of(
          "type",
          "path",
          "bucket",
          "prefix",
          "region",
          "endpoint",
          "access_key_env",
          "secret_key_env",
          "session_token_env",
          "aws_profile",
          "allow_anonymous",
          "credentials_file",
          "account_name",
          "account_key_env",
          "sas_token_env",
          "container");

  private final YamlObject node;
  private final Path configDir;
  private final List<String> notSupported;

  DestinationParser(YamlObject node, Path configDir, List<String> notSupported) {
    this.node = node;
    this.configDir = configDir;
    this.notSupported = notSupported;
  }

  DestinationConfig parse() {
    YamlObject d = node.object("destination");
    if (d == null) {
      if (!node.has("destination")) {
        node.problem(
            "destination",
            "is required; e.g. destination: {type: local, path: \"./out/{export}\"}");
      }
      return null;
    }
    d.rejectUnknown(DEST_KEYS);
    DestinationConfig.Type type =
        d.has("type") ? d.enumValue("type", DestinationConfig.Type.class, null) : null;
    if (!d.has("type")) {
      d.problem("type", "is required; one of local, s3, gcs, azure, stdout");
    }
    String path = d.string("path");
    checkType(d, type, path);
    String bucket = d.has("container") ? d.string("container") : d.string("bucket");
    String keyEnv =
        type == DestinationConfig.Type.AZURE
            ? d.string("account_key_env")
            : d.string("access_key_env");
    String keyFile =
        d.string("credentials_file") == null
            ? null
            : configDir.resolve(d.string("credentials_file")).toString();
    return new DestinationConfig(
        type,
        path,
        bucket,
        d.string("prefix"),
        d.string("region"),
        d.string("endpoint"),
        keyEnv,
        d.string("secret_key_env"),
        d.string("session_token_env"),
        Boolean.TRUE.equals(d.bool("allow_anonymous")),
        d.string("account_name"),
        d.string("sas_token_env"),
        d.string("aws_profile"),
        keyFile);
  }

  /** The keys each type of destination needs, and what a stream (stdout) cannot do. */
  private void checkType(YamlObject d, DestinationConfig.Type type, String path) {
    if (type == DestinationConfig.Type.LOCAL) {
      if (path == null || path.isBlank()) {
        d.problem("path", "is required for a local destination; e.g. path: \"./out/{export}\"");
      } else if (path.replace('\\', '/').matches("(^|.*/)\\.\\.(/.*|$)")) {
        d.problem("path", "'" + path + "' contains '..'; give a path without parent references");
      }
    } else if (type == DestinationConfig.Type.S3) {
      s3(d);
    } else if (type == DestinationConfig.Type.AZURE) {
      azure(d);
    } else if (type == DestinationConfig.Type.GCS) {
      gcs(d);
    } else if (type == DestinationConfig.Type.STDOUT) {
      stdout();
    } else if (type != null) {
      notSupported.add(d.pathOf("type") + ": " + type.name().toLowerCase(Locale.ROOT));
    }
  }

  /** A stream has no chunks to commit and no files to cut. */
  private void stdout() {
    for (String k :
        List.of(
            "chunk_column",
            "chunk_by_key",
            "chunk_dense",
            "chunk_by_days",
            "max_file_size",
            "partition_by")) {
      if (node.has(k)) {
        node.problem(
            k,
            "cannot be used with destination stdout, which is one stream; remove it or write to files");
      }
    }
    if ("chunked".equals(node.string("mode"))) {
      node.problem(
          "mode",
          "chunked cannot be used with destination stdout, which is one stream; use mode: full");
    }
  }

  private void s3(YamlObject d) {
    if (!d.has("bucket")) {
      d.problem("bucket", "is required for an s3 destination; e.g. bucket: lake-raw");
    }
    if (!d.has("region")) {
      d.problem("region", "is required for an s3 destination; e.g. region: eu-west-1");
    }
    if (d.has("access_key_env") != d.has("secret_key_env")) {
      d.problem("access_key_env", "S3 needs both access_key_env and secret_key_env, or neither");
    }
    if (d.has("aws_profile") && d.has("access_key_env")) {
      d.problem("aws_profile", "cannot be combined with access_key_env; keep one of them");
    }
    if (Boolean.TRUE.equals(d.bool("allow_anonymous"))) {
      notSupported.add(d.pathOf("allow_anonymous"));
    }
    String host = endpointHost(d, "http://127.0.0.1:9090");
    if (host != null
        && !isLoopback(host)
        && !d.has("access_key_env")
        && !d.has("aws_profile")
        && !Boolean.TRUE.equals(d.bool("allow_anonymous"))) {
      // A custom endpoint with the default credential chain would hand your AWS credentials to that
      // host.
      d.problem(
          "endpoint",
          "a non-loopback endpoint needs explicit credentials (access_key_env + secret_key_env);"
              + " the default AWS credential chain is never sent to a custom endpoint");
    }
  }

  private void gcs(YamlObject d) {
    if (!d.has("bucket")) {
      d.problem("bucket", "is required for a gcs destination; e.g. bucket: lake-raw");
    }
    boolean anonymous = Boolean.TRUE.equals(d.bool("allow_anonymous"));
    String file = d.string("credentials_file");
    if (anonymous && file != null) {
      d.problem("allow_anonymous", "cannot be combined with credentials_file; keep one of them");
    }
    if (file != null && !Files.isReadable(configDir.resolve(file))) {
      d.problem(
          "credentials_file",
          "'"
              + file
              + "' does not exist or cannot be read; give the service-account JSON key file");
    }
    String host = endpointHost(d, "http://127.0.0.1:4443");
    if (host != null && !isLoopback(host) && file == null && !anonymous) {
      d.problem(
          "endpoint",
          "a non-loopback endpoint needs credentials_file or allow_anonymous;"
              + " application default credentials are never sent to a custom endpoint");
    }
  }

  private void azure(YamlObject d) {
    if (!d.has("account_name")) {
      d.problem("account_name", "is required for an azure destination; the storage account's name");
    }
    if (!d.has("bucket") && !d.has("container")) {
      d.problem(
          "container",
          "is required for an azure destination (or bucket, as the original names it)");
    }
    if (d.has("account_key_env") == d.has("sas_token_env")) {
      d.problem("account_key_env", "set exactly one of account_key_env or sas_token_env");
    }
    if (Boolean.TRUE.equals(d.bool("allow_anonymous"))) {
      notSupported.add(d.pathOf("allow_anonymous"));
    }
    endpointHost(d, "http://127.0.0.1:10000/devstoreaccount1");
  }

  /**
   * The host of the destination's {@code endpoint}, or null when there is none; an endpoint that is
   * not a URL is a problem naming {@code example}.
   */
  private static String endpointHost(YamlObject d, String example) {
    String endpoint = d.string("endpoint");
    if (endpoint == null) {
      return null;
    }
    String host;
    try {
      host = URI.create(endpoint).getHost();
    } catch (IllegalArgumentException e) {
      host = null;
    }
    if (host == null) {
      d.problem("endpoint", "'" + endpoint + "' is not a URL; write e.g. endpoint: " + example);
    }
    return host;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("[::1]")
        || host.equals("::1");
  }
}
