package io.rivet.beam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.config.DestinationConfig;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.config.SourceConfig;
import io.rivet.core.config.UrlPasswords;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.common.ReflectHelpers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run whose workers are other processes needs, checked at launch before anything is
 * recorded. Such workers read nothing from the launcher — not its config directory, not its state
 * file, not its memory — only the pipeline and what each machine has itself (environment variables,
 * mounted files, the network). So the state store must be one every worker reaches, the source
 * password must be readable where the worker runs, and a local destination must be a file system
 * they all share.
 */
final class RemoteWorkers {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWorkers.class);

  /** Flink masters that run the job inside this process. */
  private static final Set<String> IN_PROCESS_FLINK = Set.of("[local]", "[collection]", "[auto]");

  private static final ObjectMapper OPTIONS_JSON =
      new ObjectMapper()
          .registerModules(ObjectMapper.findModules(ReflectHelpers.findClassLoader()));

  private RemoteWorkers() {}

  /**
   * The runner and where its workers are when they are not this process ({@code "FlinkRunner at
   * host:8081"}, {@code "DataflowRunner"}); empty for the DirectRunner and Flink's in-process
   * masters.
   */
  static Optional<String> remoteRunner(PipelineOptions options) {
    String runner = options.getRunner().getSimpleName();
    if (runner.equals("DirectRunner") || runner.equals("TestPipeline")) {
      return Optional.empty();
    }
    if (runner.equals("FlinkRunner") || runner.equals("TestFlinkRunner")) {
      String master = option(options, "flinkMaster");
      return master == null || IN_PROCESS_FLINK.contains(master)
          ? Optional.empty()
          : Optional.of(runner + " at " + master);
    }
    return Optional.of(runner);
  }

  /** Refuses what workers elsewhere could not use; warns about a local destination. */
  static void check(RivetConfig config, Collection<ExportConfig> exports, PipelineOptions options) {
    Optional<String> remote = remoteRunner(options);
    if (remote.isEmpty()) {
      return;
    }
    if (option(options, "templateLocation") != null) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "--templateLocation: Dataflow templates are not supported yet: a template is launched later and"
              + " without this launcher, but a rivet run is planned, recorded and leased when it is launched."
              + " Submit the job directly (drop --templateLocation)");
    }
    String stateUrl = ExportJob.stateUrl(config);
    if (stateUrl.startsWith("jdbc:sqlite:")) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "state: the state store is the SQLite file "
              + stateUrl.substring("jdbc:sqlite:".length())
              + " on this machine's disk, which the workers of "
              + remote.get()
              + " cannot share; point state.url_env (or state.url, state.url_file, --state-url) at a PostgreSQL"
              + " database that the launcher and every worker reach. The DirectRunner and Flink's [local]"
              + " master run in this process and may keep the file");
    }
    if (passwordOnlyHere(config.source())) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "source: the password is written in rivet.yaml, which only this launcher holds; the workers of "
              + remote.get()
              + " cannot read it. Put the URL in an environment variable (source.url_env) or a file"
              + " (source.url_file), or the password in source.password_env, set on every worker");
    }
    for (ExportConfig e : exports) {
      DestinationConfig d = e.destination();
      if (d.type() == DestinationConfig.Type.STDOUT) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "exports["
                + e.name()
                + "].destination: stdout is this launcher's, not a worker's; with "
                + remote.get()
                + " write to a bucket (s3, gcs, azure) or run it with the DirectRunner");
      }
      if (d.type() == DestinationConfig.Type.LOCAL) {
        LOG.warn(
            "exports[{}].destination: with {} each worker writes the parts to its own disk at {};"
                + " that path must be one file system shared by the launcher and every worker (NFS, a"
                + " mounted volume), or finalizing will not find them",
            e.name(),
            Redactor.redact(remote.get()),
            d.path());
      }
    }
  }

  /** A password written into rivet.yaml: in {@code password:} or in a {@code url:}. */
  private static boolean passwordOnlyHere(SourceConfig source) {
    if (source.password() != null) {
      return source.password().reference().startsWith("jvm:");
    }
    return source.urlRef() == null
        && source.url() != null
        && UrlPasswords.passwordOf(source.url()) != null;
  }

  private static String option(PipelineOptions options, String name) {
    JsonNode node = OPTIONS_JSON.valueToTree(options).path("options").path(name);
    return node.isTextual() ? node.asText() : null;
  }
}
