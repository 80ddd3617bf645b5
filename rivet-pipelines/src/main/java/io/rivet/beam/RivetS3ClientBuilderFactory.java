package io.rivet.beam;

import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * S3 clients built where they are used — on each worker — from {@link RivetCloudOptions}: keys read
 * from the environment variables {@code access_key_env} / {@code secret_key_env} / {@code
 * session_token_env} name (the options carry the names only); for a custom endpoint (MinIO, R2,
 * emulators) path-style addressing, since such endpoints rarely resolve {@code bucket.host}, and no
 * aws-chunked bodies, which some S3-compatible stores keep verbatim.
 */
public final class RivetS3ClientBuilderFactory implements S3ClientBuilderFactory {
  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    RivetCloudOptions rivet = options.as(RivetCloudOptions.class);
    S3ClientBuilder builder = new DefaultS3ClientBuilderFactory().createBuilder(options);
    if (rivet.getRivetS3PathStyle()) {
      builder.serviceConfiguration(
          S3Configuration.builder()
              .pathStyleAccessEnabled(true)
              .chunkedEncodingEnabled(false)
              .build());
    }
    if (rivet.getRivetS3AccessKeyEnv() != null) {
      String key = WorkerEnv.required(rivet.getRivetS3AccessKeyEnv(), "S3", "access_key_env");
      String secret = WorkerEnv.required(rivet.getRivetS3SecretKeyEnv(), "S3", "secret_key_env");
      String token =
          rivet.getRivetS3SessionTokenEnv() == null
              ? null
              : WorkerEnv.required(rivet.getRivetS3SessionTokenEnv(), "S3", "session_token_env");
      builder.credentialsProvider(
          StaticCredentialsProvider.create(
              token == null
                  ? AwsBasicCredentials.create(key, secret)
                  : AwsSessionCredentials.create(key, secret, token)));
    }
    return builder;
  }
}
