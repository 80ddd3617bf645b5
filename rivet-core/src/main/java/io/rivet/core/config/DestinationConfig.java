package io.rivet.core.config;

import java.io.Serializable;

/**
 * {@code exports[].destination}. {@code path} (local) or {@code bucket} + {@code prefix} (cloud) may hold
 * the placeholders {@code {export}}, {@code {table}}, {@code {date}} and {@code {run_id}}.
 */
public record DestinationConfig(Type type, String path, String bucket, String prefix) implements Serializable {
  /** Destination kinds. */
  public enum Type {
    LOCAL,
    S3,
    GCS,
    AZURE,
    STDOUT
  }
}
