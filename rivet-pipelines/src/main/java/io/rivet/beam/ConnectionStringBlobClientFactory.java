package io.rivet.beam;

import com.azure.storage.blob.BlobServiceClientBuilder;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;

/**
 * Azure Blob clients from the connection string alone. Beam's default factory also adds a token
 * credential, which refuses plain-http endpoints (azurite, private emulators) with "bearer token
 * requires https".
 */
public final class ConnectionStringBlobClientFactory implements BlobstoreClientBuilderFactory {
  @Override
  public BlobServiceClientBuilder createBuilder(BlobstoreOptions options) {
    return new BlobServiceClientBuilder().connectionString(options.getAzureConnectionString());
  }
}
