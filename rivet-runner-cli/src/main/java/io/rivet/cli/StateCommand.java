package io.rivet.cli;

import picocli.CommandLine.Command;

/**
 * {@code rivet state …}: operator views of the state store (reference §1.2), each with {@code
 * --json}.
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
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
