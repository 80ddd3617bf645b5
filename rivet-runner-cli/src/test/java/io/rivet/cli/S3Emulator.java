package io.rivet.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Adobe S3Mock, the standalone jar the build copies to target/emulators, in its own JVM on free
 * loopback ports: a real S3 protocol peer for the tests. A client of the AWS SDK reads back what
 * Rivet wrote.
 */
final class S3Emulator implements AutoCloseable {
  static final String KEY = "rivet-test-key";
  static final String SECRET = "rivet-test-secret";

  private final Process process;
  private final int port;
  final S3Client client;

  S3Emulator(Path root, String bucket) throws Exception {
    Path jar = Path.of("target", "emulators", "s3mock.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing; the build copies it in pre-integration-test");
    }
    port = freePort();
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--com.adobe.testing.s3mock.httpPort=" + port,
                "--server.port=" + freePort(),
                "--com.adobe.testing.s3mock.store.initialBuckets=" + bucket,
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--logging.level.root=WARN")
            .redirectErrorStream(true)
            .redirectOutput(root.resolveSibling("s3mock.log").toFile())
            .start();
    waitUntilUp();
    client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void waitUntilUp() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Mock exited with " + process.exitValue());
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
        c.setConnectTimeout(500);
        if (c.getResponseCode() > 0) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("S3Mock did not answer on " + endpoint() + " within 90 s");
  }

  List<String> keys(String bucket, String prefix) {
    List<String> out = new ArrayList<>();
    for (S3Object o :
        client
            .listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
            .contents()) {
      out.add(o.key());
    }
    return out;
  }

  /**
   * Downloads every object under a prefix into {@code dir}, keeping the last path segment as the
   * file name.
   */
  void download(String bucket, String prefix, Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String key : keys(bucket, prefix)) {
      client.getObject(
          GetObjectRequest.builder().bucket(bucket).key(key).build(),
          ResponseTransformer.toFile(dir.resolve(key.substring(key.lastIndexOf('/') + 1))));
    }
  }

  @Override
  public void close() {
    client.close();
    process.destroy();
  }
}
