package io.rivet.cli;

import picocli.CommandLine.Command;

/**
 * {@code rivet state …}: operator views of the state store (reference §1.2), each with {@code
 * --json}.
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    footer = {
      "",
      "Example: rivet state show -c rivet.yaml",
      "Example: rivet state chunks -c rivet.yaml -e orders --json"
    },
    description = "Inspect or reset the state store.",
    subcommands = {
      StateShowCommand.class,
      StateResetCommand.class,
      StateFilesCommand.class,
      StateChunksCommand.class,
      StateResetChunksCommand.class,
      StateProgressionCommand.class,
      StateLeasesCommand.class
    })
final class StateCommand {}
