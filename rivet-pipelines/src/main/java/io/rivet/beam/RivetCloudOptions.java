package io.rivet.beam;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where each worker reads the destination's credentials: the names of environment variables, never
 * their values. Runners ship pipeline options to every worker as JSON, so a key set into Beam's own
 * options ({@code awsCredentialsProvider}, {@code azureConnectionString}) would travel with the
 * job; these travel instead, and {@link RivetS3ClientBuilderFactory} and {@link
 * ConnectionStringBlobClientFactory} read the variables where the client is built.
 */
@Hidden
public interface RivetCloudOptions extends PipelineOptions {
  @Description("S3: the environment variable holding the access key id, read on each worker")
  String getRivetS3AccessKeyEnv();

  void setRivetS3AccessKeyEnv(String name);

  @Description("S3: the environment variable holding the secret access key, read on each worker")
  String getRivetS3SecretKeyEnv();

  void setRivetS3SecretKeyEnv(String name);

  @Description("S3: the environment variable holding the session token, read on each worker")
  String getRivetS3SessionTokenEnv();

  void setRivetS3SessionTokenEnv(String name);

  @Description("S3: path-style addressing and plain bodies, for a custom endpoint")
  @Default.Boolean(false)
  boolean getRivetS3PathStyle();

  void setRivetS3PathStyle(boolean pathStyle);

  @Description("Azure: the storage account")
  String getRivetAzureAccount();

  void setRivetAzureAccount(String account);

  @Description("Azure: the blob endpoint")
  String getRivetAzureEndpoint();

  void setRivetAzureEndpoint(String endpoint);

  @Description("Azure: the environment variable holding the account key, read on each worker")
  String getRivetAzureKeyEnv();

  void setRivetAzureKeyEnv(String name);

  @Description("Azure: the environment variable holding the SAS token, read on each worker")
  String getRivetAzureSasEnv();

  void setRivetAzureSasEnv(String name);
}
