package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.DestinationConfig;
import io.rivet.core.config.ExportConfig;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.regions.Region;

/** Turns the exports' cloud destinations into the Beam pipeline options their file systems read. */
final class CloudOptions {
  private CloudOptions() {}

  static void apply(
      PipelineOptions options, Collection<ExportConfig> exports, Map<String, String> env) {
    s3(options, exports, env);
    azure(options, exports, env);
    gcs(options, exports);
  }

  /**
   * GCS: the JSON API endpoint when custom, and credentials — a service-account key file, none
   * ({@code allow_anonymous}), or application default credentials.
   */
  private static void gcs(PipelineOptions options, Collection<ExportConfig> exports) {
    List<ExportConfig> gcs =
        exports.stream().filter(e -> e.destination().type() == DestinationConfig.Type.GCS).toList();
    if (gcs.isEmpty()) {
      return;
    }
    DestinationConfig d = gcs.get(0).destination();
    for (ExportConfig e : gcs) {
      if (!Objects.equals(e.destination().endpoint(), d.endpoint())
          || !Objects.equals(e.destination().credentialsFile(), d.credentialsFile())
          || e.destination().allowAnonymous() != d.allowAnonymous()) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "exports '"
                + gcs.get(0).name()
                + "' and '"
                + e.name()
                + "' use GCS with different endpoints or credentials, which one pipeline cannot hold; run them separately with -e");
      }
    }
    GcsOptions o = options.as(GcsOptions.class);
    if (d.endpoint() != null) {
      // The endpoint replaces the JSON API's root URL and service path.
      o.setGcsEndpoint(d.endpoint().endsWith("/") ? d.endpoint() : d.endpoint() + "/");
    }
    if (o.getProject() == null) {
      o.setProject("rivet");
    }
    if (d.allowAnonymous()) {
      o.setCredentialFactoryClass(NoopCredentialFactory.class);
    } else if (d.credentialsFile() != null) {
      options
          .as(KeyFileCredentialFactory.Options.class)
          .setRivetGcsCredentialsFile(d.credentialsFile());
      o.setCredentialFactoryClass(KeyFileCredentialFactory.class);
    }
  }

  /**
   * Azure: a connection string from the account, the key or SAS read from the environment, and the
   * endpoint (default {@code https://<account>.blob.core.windows.net}). A SAS whose {@code se=}
   * expiry has passed is refused; one expiring within an hour warns.
   */
  private static void azure(
      PipelineOptions options, Collection<ExportConfig> exports, Map<String, String> env) {
    List<ExportConfig> az =
        exports.stream()
            .filter(e -> e.destination().type() == DestinationConfig.Type.AZURE)
            .toList();
    if (az.isEmpty()) {
      return;
    }
    DestinationConfig d = az.get(0).destination();
    for (ExportConfig e : az) {
      if (!Objects.equals(e.destination().accountName(), d.accountName())
          || !Objects.equals(e.destination().endpoint(), d.endpoint())) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "exports '"
                + az.get(0).name()
                + "' and '"
                + e.name()
                + "' use different Azure accounts or endpoints, which one pipeline cannot hold; run them separately with -e");
      }
    }
    String endpoint =
        d.endpoint() != null
            ? d.endpoint()
            : "https://" + d.accountName() + ".blob.core.windows.net";
    // The launcher checks the variable now (and the SAS's expiry); the worker reads it again.
    if (d.accessKeyEnv() != null) {
      required(env, d.accessKeyEnv(), az.get(0).name(), "account_key_env");
    } else {
      String sas = required(env, d.sasTokenEnv(), az.get(0).name(), "sas_token_env");
      SasExpiry.check(sas.startsWith("?") ? sas.substring(1) : sas, az.get(0).name());
    }
    RivetCloudOptions rivet = options.as(RivetCloudOptions.class);
    rivet.setRivetAzureAccount(d.accountName());
    rivet.setRivetAzureEndpoint(endpoint);
    rivet.setRivetAzureKeyEnv(d.accessKeyEnv());
    rivet.setRivetAzureSasEnv(d.accessKeyEnv() == null ? d.sasTokenEnv() : null);
    options
        .as(BlobstoreOptions.class)
        .setBlobstoreClientFactoryClass(ConnectionStringBlobClientFactory.class);
  }

  private static void s3(
      PipelineOptions options, Collection<ExportConfig> exports, Map<String, String> env) {
    List<ExportConfig> s3 =
        exports.stream().filter(e -> e.destination().type() == DestinationConfig.Type.S3).toList();
    if (s3.isEmpty()) {
      // Beam registers its S3 file system whatever the destination, and without a region the AWS
      // SDK looks for one in the EC2 instance metadata, which off EC2 costs about a second of
      // timeouts on every run. No export writes to S3, so any region will do.
      options.as(S3Options.class).setAwsRegion(Region.US_EAST_1);
      return;
    }
    DestinationConfig first = s3.get(0).destination();
    for (ExportConfig e : s3) {
      DestinationConfig d = e.destination();
      if (!Objects.equals(d.region(), first.region())
          || !Objects.equals(d.endpoint(), first.endpoint())
          || !Objects.equals(d.accessKeyEnv(), first.accessKeyEnv())
          || !Objects.equals(d.awsProfile(), first.awsProfile())) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "exports '"
                + s3.get(0).name()
                + "' and '"
                + e.name()
                + "' use S3 with different region, endpoint or credentials, which one pipeline cannot hold;"
                + " run them separately with -e");
      }
    }
    S3Options o = options.as(S3Options.class);
    o.setAwsRegion(Region.of(first.region()));
    RivetCloudOptions rivet = options.as(RivetCloudOptions.class);
    o.setS3ClientFactoryClass(RivetS3ClientBuilderFactory.class);
    if (first.endpoint() != null) {
      o.setEndpoint(URI.create(first.endpoint()));
      rivet.setRivetS3PathStyle(true);
    }
    if (first.accessKeyEnv() != null) {
      // Checked here, read again where each client is built: the options carry the names only.
      required(env, first.accessKeyEnv(), s3.get(0).name(), "access_key_env");
      required(env, first.secretKeyEnv(), s3.get(0).name(), "secret_key_env");
      if (first.sessionTokenEnv() != null) {
        required(env, first.sessionTokenEnv(), s3.get(0).name(), "session_token_env");
      }
      rivet.setRivetS3AccessKeyEnv(first.accessKeyEnv());
      rivet.setRivetS3SecretKeyEnv(first.secretKeyEnv());
      rivet.setRivetS3SessionTokenEnv(first.sessionTokenEnv());
    } else if (first.awsProfile() != null) {
      o.setAwsCredentialsProvider(
          software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.create(
              first.awsProfile()));
    }
  }

  private static String required(Map<String, String> env, String var, String export, String key) {
    String v = env.get(var);
    if (v == null || v.isBlank()) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "exports["
              + export
              + "].destination."
              + key
              + ": environment variable "
              + var
              + " is not set; export it before running");
    }
    return v;
  }
}
