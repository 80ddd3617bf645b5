package io.rivet.cli;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * azurite (Microsoft's Azure Storage emulator, from npm) on a free loopback port: a real Azure Blob
 * protocol peer. The fixture installs it into target/azurite with npm on first use, so `mvn -B
 * verify` needs nothing installed beyond Node.js and npm, which the build machine has.
 */
final class AzuriteEmulator implements AutoCloseable {
  static final String ACCOUNT = "devstoreaccount1";

  /** azurite's published development key (not a secret). */
  static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private final Process process;
  private final int port;
  final BlobServiceClient client;

  AzuriteEmulator(Path log) throws Exception {
    Path home = Path.of("target", "azurite").toAbsolutePath();
    Path bin = home.resolve("node_modules/.bin/azurite-blob");
    if (!Files.exists(bin)) {
      Files.createDirectories(home);
      Process npm =
          new ProcessBuilder(
                  "npm",
                  "install",
                  "--no-audit",
                  "--no-fund",
                  "--prefix",
                  home.toString(),
                  "azurite@3.35.0")
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("npm-install.log").toFile())
              .start();
      if (npm.waitFor() != 0) {
        throw new IllegalStateException(
            "npm install azurite failed; see " + home.resolve("npm-install.log"));
      }
    }
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    process =
        new ProcessBuilder(
                bin.toString(),
                "--blobHost",
                "127.0.0.1",
                "--blobPort",
                Integer.toString(port),
                "--inMemoryPersistence",
                "--disableTelemetry",
                "--skipApiVersionCheck",
                "--loose")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        break;
      } catch (IOException notYet) {
        if (Instant.now().isAfter(deadline) || !process.isAlive()) {
          throw new IllegalStateException("azurite did not start on port " + port + "; see " + log);
        }
        Thread.sleep(200);
      }
    }
    client =
        new BlobServiceClientBuilder()
            .connectionString(
                "DefaultEndpointsProtocol=http;AccountName="
                    + ACCOUNT
                    + ";AccountKey="
                    + KEY
                    + ";BlobEndpoint="
                    + endpoint()
                    + ";")
            .buildClient();
  }

  String endpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT;
  }

  BlobContainerClient container(String name) {
    BlobContainerClient c = client.getBlobContainerClient(name);
    if (!c.exists()) {
      c.create();
    }
    return c;
  }

  List<String> names(String container, String prefix) {
    List<String> out = new ArrayList<>();
    for (BlobItem b : client.getBlobContainerClient(container).listBlobs()) {
      if (b.getName().startsWith(prefix)) {
        out.add(b.getName());
      }
    }
    return out;
  }

  void download(String container, String prefix, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String name : names(container, prefix)) {
      client
          .getBlobContainerClient(container)
          .getBlobClient(name)
          .downloadToFile(dir.resolve(name.substring(name.lastIndexOf('/') + 1)).toString(), true);
    }
  }

  @Override
  public void close() {
    process.destroy();
  }
}
