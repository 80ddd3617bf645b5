package io.rivet.cli;

import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.RivetConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code -c}, {@code -p} and {@code --state-url}: the config as an operator command loads it. */
final class ConfigOptions {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "the rivet.yaml")
  Path config;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description = "a value for ${NAME} in the config; repeatable")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(
      names = "--state-url",
      description =
          "the state store, instead of state: (a URL without a password, env:VARIABLE or file:PATH)")
  String stateUrl;

  RivetConfig load() {
    return StateOptions.withStateUrl(ConfigLoader.fromEnvironment(params).load(config), stateUrl);
  }
}
