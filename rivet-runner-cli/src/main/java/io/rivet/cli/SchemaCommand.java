package io.rivet.cli;

import io.rivet.core.Json;
import io.rivet.core.config.ConfigSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rivet schema config}: the JSON Schema of rivet.yaml. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    footer = {"", "Example: rivet schema config > rivet.schema.json"},
    description = "Print JSON Schemas of rivet's files.",
    subcommands = {SchemaCommand.Config.class})
final class SchemaCommand {
  /** {@code schema config}. */
  @Command(
      name = "config",
      mixinStandardHelpOptions = true,
      description = {
        "Print the JSON Schema (draft 2020-12) of rivet.yaml, generated from rivet's config model:",
        "editors that know JSON Schema (VS Code's YAML extension, IntelliJ) complete and check",
        "rivet.yaml with it. It describes the file after ${NAME} substitution.",
        "",
        "Example: rivet schema config > rivet.schema.json",
        "         # then, first line of rivet.yaml: # yaml-language-server: $schema=./rivet.schema.json"
      })
  static final class Config implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      System.out.println(Json.DOCUMENTS.writeValueAsString(ConfigSchema.generate()));
      return 0;
    }
  }
}
