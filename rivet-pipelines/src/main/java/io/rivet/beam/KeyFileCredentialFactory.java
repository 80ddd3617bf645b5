package io.rivet.beam;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.extensions.gcp.auth.CredentialFactory;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * GCS credentials from a service-account key file. A factory, not a credential object in the
 * options, because runners serialize options without credentials and every worker must rebuild
 * them.
 */
public final class KeyFileCredentialFactory implements CredentialFactory {
  private static final List<String> SCOPES =
      List.of("https://www.googleapis.com/auth/devstorage.read_write");

  private final String file;

  private KeyFileCredentialFactory(String file) {
    this.file = file;
  }

  /** Beam builds credential factories through this method. */
  public static KeyFileCredentialFactory fromOptions(PipelineOptions options) {
    return new KeyFileCredentialFactory(options.as(Options.class).getRivetGcsCredentialsFile());
  }

  @Override
  public Credentials getCredential() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return GoogleCredentials.fromStream(in).createScoped(SCOPES);
    }
  }

  /** Where the key file is. */
  public interface Options extends PipelineOptions {
    @Description("Service-account key file for GCS destinations (destination.credentials_file)")
    String getRivetGcsCredentialsFile();

    void setRivetGcsCredentialsFile(String file);
  }
}
