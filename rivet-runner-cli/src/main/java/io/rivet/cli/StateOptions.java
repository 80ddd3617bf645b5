package io.rivet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.beam.ExportJob;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.config.StateReferences;
import io.rivet.core.state.LeaseKeeper;
import io.rivet.core.state.StateStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every state-reading command shares: the config (which locates the state store) and {@code
 * --json}.
 */
class StateOptions {

  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "rivet.yaml whose state to read")
  Path config;

  @Option(names = "--json", description = "print JSON")
  boolean json;

  @Option(
      names = "--state-url",
      description =
          "the state store, instead of state: (a URL without a password, env:VARIABLE or file:PATH)")
  String stateUrl;

  RivetConfig load() {
    return withStateUrl(ConfigLoader.fromEnvironment(Map.of()).load(config), stateUrl);
  }

  /** The config with {@code --state-url}'s store, when given. */
  static RivetConfig withStateUrl(RivetConfig cfg, String stateUrl) {
    return stateUrl == null
        ? cfg
        : cfg.withStateRef(StateReferences.fromOption(stateUrl, Path.of("").toAbsolutePath()));
  }

  StateStore open(RivetConfig cfg) {
    return StateStore.open(ExportJob.stateUrl(cfg));
  }

  /**
   * Holds the export's lease while a command changes its state, so a live run is never reset under
   * its feet.
   */
  LeaseKeeper lease(RivetConfig cfg, String exportName) {
    LeaseKeeper keeper =
        new LeaseKeeper(ExportJob.stateUrl(cfg), LeaseKeeper.configuredTtl(System.getenv()));
    try {
      keeper.acquire(exportName, config.toString());
      return keeper;
    } catch (RuntimeException e) {
      keeper.close();
      throw e;
    }
  }

  static String export(RivetConfig cfg, String name) {
    if (name == null) {
      return null;
    }
    return cfg.export(name)
        .map(ExportConfig::name)
        .orElseThrow(
            () ->
                new RivetException(
                    ErrorCode.CONFIG_INVALID,
                    "-e "
                        + name
                        + ": no export of that name; the config has "
                        + cfg.exports().stream().map(ExportConfig::name).toList()));
  }

  static void print(Object value) {
    try {
      System.out.println(Json.DOCUMENTS.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON object of key, value pairs, in order. */
  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
