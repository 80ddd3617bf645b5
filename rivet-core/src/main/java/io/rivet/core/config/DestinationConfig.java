package io.rivet.core.config;

import java.io.Serializable;

/**
 * {@code exports[].destination}. {@code path} (local) or {@code bucket} + {@code prefix} (cloud)
 * may hold the placeholders {@code {export}}, {@code {table}}, {@code {date}}, {@code {run_id}} and
 * {@code {partition}}. Credentials are never held here, only the names of the environment variables
 * that hold them. For Azure, {@code bucket} is the container and {@code accessKeyEnv} names the
 * account key; {@code credentialsFile} is the GCS key file, resolved against the config directory.
 */
public record DestinationConfig(
    Type type,
    String path,
    String bucket,
    String prefix,
    String region,
    String endpoint,
    String accessKeyEnv,
    String secretKeyEnv,
    String sessionTokenEnv,
    boolean allowAnonymous,
    String accountName,
    String sasTokenEnv,
    String awsProfile,
    String credentialsFile)
    implements Serializable {
  /** Destination kinds. */
  public enum Type {
    LOCAL,
    S3,
    GCS,
    AZURE,
    STDOUT
  }

  public DestinationConfig(Type type, String path, String bucket, String prefix) {
    this(type, path, bucket, prefix, null, null, null, null, null, false, null, null, null, null);
  }

  /** This destination with {@code {partition}} filled in its path or prefix. */
  public DestinationConfig withPartition(String partitionPath) {
    return new DestinationConfig(
        type,
        path == null ? null : path.replace("{partition}", partitionPath),
        bucket,
        prefix == null ? null : prefix.replace("{partition}", partitionPath),
        region,
        endpoint,
        accessKeyEnv,
        secretKeyEnv,
        sessionTokenEnv,
        allowAnonymous,
        accountName,
        sasTokenEnv,
        awsProfile,
        credentialsFile);
  }
}
