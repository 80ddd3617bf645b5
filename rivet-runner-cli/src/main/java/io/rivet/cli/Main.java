package io.rivet.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rivet} command. Exit codes: 0 ok, 1 generic, 2 retryable (and usage errors), 3 data
 * integrity, 4 schema drift.
 */
@Command(
    name = "rivet",
    mixinStandardHelpOptions = true,
    footer = {
      "",
      "Example: rivet demo",
      "Example: rivet init --source-env DATABASE_URL -o rivet.yaml",
      "Example: rivet run -c rivet.yaml",
      "Example: rivet reconcile -c rivet.yaml -e orders"
    },
    versionProvider = Version.class,
    description =
        "Resumable, verifiable extraction of database tables into Parquet, on Apache Beam.",
    subcommands = {
      RunCommand.class,
      InitCommand.class,
      CheckCommand.class,
      PlanCommand.class,
      ApplyCommand.class,
      DemoCommand.class,
      DoctorCommand.class,
      StateCommand.class,
      MetricsCommand.class,
      ReconcileCommand.class,
      RepairCommand.class,
      ValidateCommand.class,
      CompletionsCommand.class,
      SchemaCommand.class,
      JournalCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this in-process). */
  public static int execute(String... args) {
    return execute(null, args);
  }

  /**
   * As {@link #execute(String...)}, with error messages going to {@code err} (stderr when null).
   */
  public static int execute(PrintWriter err, String... args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    // Outside a pipeline (doctor's probes, resume checks) Beam's file systems warn, with a stack
    // trace, that there is no metrics container to report to; that says nothing about the user's
    // run.
    System.setProperty(
        "org.slf4j.simpleLogger.log.org.apache.beam.sdk.metrics.MetricsEnvironment", "error");
    // --json-errors is global and may appear anywhere (reference §1.1): errors become one JSON
    // object on stderr.
    boolean jsonErrors = Arrays.asList(args).contains("--json-errors");
    String[] rest =
        Arrays.stream(args).filter(a -> !a.equals("--json-errors")).toArray(String[]::new);
    CommandLine cl = new CommandLine(new Main());
    if (err != null) {
      cl.setErr(err);
    }
    cl.setExecutionExceptionHandler((e, line, parsed) -> handle(e, line, parsed, jsonErrors));
    cl.setParameterExceptionHandler((e, a) -> usage(e, jsonErrors));
    return cl.execute(rest);
  }

  private static int handle(
      Exception e, CommandLine cl, CommandLine.ParseResult parsed, boolean jsonErrors) {
    if (e instanceof CommandLine.ParameterException pe) {
      return usage(pe, jsonErrors);
    }
    PrintWriter err = cl.getErr();
    ErrorReport r = ErrorReport.of(e);
    err.println(jsonErrors ? r.json() : r.text());
    if (ErrorReport.debug()) {
      e.printStackTrace(err);
    }
    err.flush();
    if (wantsJson(parsed)) {
      // The command's JSON output (stdout) becomes the error object, so a script reading it sees
      // the failure.
      System.out.println(r.json());
      System.out.flush();
    }
    return r.exitCode();
  }

  /**
   * Usage errors exit 2 (reference §1.1), with the command's usage help unless the errors are JSON.
   */
  private static int usage(CommandLine.ParameterException e, boolean jsonErrors) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String message = e.getMessage();
    if (e instanceof CommandLine.MissingParameterException && message.contains("--config")) {
      // The original's hint: there is no implicit ./rivet.yaml (reference §1.1).
      message +=
          ". Pass -c rivet.yaml, or write one from your database with:"
              + " rivet init --source-env DATABASE_URL -o rivet.yaml";
    }
    if (jsonErrors) {
      err.println(ErrorReport.usage(message).json());
    } else {
      err.println(message);
      if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
        cl.usage(err);
      }
    }
    err.flush();
    return 2;
  }

  private static boolean wantsJson(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult leaf = parsed;
    while (leaf != null && leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    return leaf != null && leaf.hasMatchedOption("--json");
  }
}
