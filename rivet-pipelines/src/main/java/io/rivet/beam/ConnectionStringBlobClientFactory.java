package io.rivet.beam;

import com.azure.storage.blob.BlobServiceClientBuilder;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;

/**
 * Azure Blob clients from a connection string built where the client is used — on each worker —
 * from {@link RivetCloudOptions}: the account, the endpoint, and the key or SAS read from the
 * environment variable {@code account_key_env} / {@code sas_token_env} names (the options carry the
 * name only). Without those it uses Beam's {@code azureConnectionString}. Beam's default factory
 * also adds a token credential, which refuses plain-http endpoints (azurite, private emulators)
 * with "bearer token requires https".
 */
public final class ConnectionStringBlobClientFactory implements BlobstoreClientBuilderFactory {
  @Override
  public BlobServiceClientBuilder createBuilder(BlobstoreOptions options) {
    RivetCloudOptions rivet = options.as(RivetCloudOptions.class);
    if (rivet.getRivetAzureAccount() == null) {
      return new BlobServiceClientBuilder().connectionString(options.getAzureConnectionString());
    }
    return new BlobServiceClientBuilder().connectionString(connectionString(rivet));
  }

  static String connectionString(RivetCloudOptions rivet) {
    String endpoint = rivet.getRivetAzureEndpoint();
    if (rivet.getRivetAzureKeyEnv() != null) {
      return "DefaultEndpointsProtocol="
          + (endpoint.startsWith("http://") ? "http" : "https")
          + ";AccountName="
          + rivet.getRivetAzureAccount()
          + ";AccountKey="
          + WorkerEnv.required(rivet.getRivetAzureKeyEnv(), "Azure", "account_key_env")
          + ";BlobEndpoint="
          + endpoint
          + ";";
    }
    String sas = WorkerEnv.required(rivet.getRivetAzureSasEnv(), "Azure", "sas_token_env");
    return "BlobEndpoint="
        + endpoint
        + ";SharedAccessSignature="
        + (sas.startsWith("?") ? sas.substring(1) : sas);
  }
}
