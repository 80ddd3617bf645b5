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
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Turns the exports' cloud destinations into the Beam pipeline options their file systems read. */
final class CloudOptions {
  private CloudOptions() {}

  static void apply(PipelineOptions options, Collection<ExportConfig> exports, Map<String, String> env) {
    List<ExportConfig> s3 = exports.stream().filter(e -> e.destination().type() == DestinationConfig.Type.S3).toList();
    if (s3.isEmpty()) {
      return;
    }
    DestinationConfig first = s3.get(0).destination();
    for (ExportConfig e : s3) {
      DestinationConfig d = e.destination();
      if (!Objects.equals(d.region(), first.region()) || !Objects.equals(d.endpoint(), first.endpoint())
          || !Objects.equals(d.accessKeyEnv(), first.accessKeyEnv())) {
        throw new RivetException(ErrorCode.CONFIG_INVALID, "exports '" + s3.get(0).name() + "' and '" + e.name()
            + "' use S3 with different region, endpoint or credentials, which one pipeline cannot hold;"
            + " run them separately with -e");
      }
    }
    S3Options o = options.as(S3Options.class);
    o.setAwsRegion(Region.of(first.region()));
    if (first.endpoint() != null) {
      o.setEndpoint(URI.create(first.endpoint()));
      o.setS3ClientFactoryClass(PathStyleS3ClientBuilderFactory.class);
    }
    if (first.accessKeyEnv() != null) {
      String key = required(env, first.accessKeyEnv(), s3.get(0).name(), "access_key_env");
      String secret = required(env, first.secretKeyEnv(), s3.get(0).name(), "secret_key_env");
      String token = first.sessionTokenEnv() == null ? null : required(env, first.sessionTokenEnv(), s3.get(0).name(),
          "session_token_env");
      o.setAwsCredentialsProvider(StaticCredentialsProvider.create(token == null
          ? AwsBasicCredentials.create(key, secret) : AwsSessionCredentials.create(key, secret, token)));
    }
  }

  private static String required(Map<String, String> env, String var, String export, String key) {
    String v = env.get(var);
    if (v == null || v.isBlank()) {
      throw new RivetException(ErrorCode.CONFIG_INVALID, "exports[" + export + "].destination." + key
          + ": environment variable " + var + " is not set; export it before running");
    }
    return v;
  }
}
