package io.rivet.cli;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rivet} command. Exit codes: 0 ok, 1 generic, 2 retryable (and usage errors), 3 data integrity, 4 schema drift. */
@Command(
    name = "rivet",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Resumable, verifiable extraction of database tables into Parquet, on Apache Beam.",
    subcommands = {RunCommand.class, DemoCommand.class, DoctorCommand.class, StateCommand.class, MetricsCommand.class,
        JournalCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this in-process). */
  public static int execute(String... args) {
    return execute(null, args);
  }

  /** As {@link #execute(String...)}, with error messages going to {@code err} (stderr when null). */
  public static int execute(PrintWriter err, String... args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    CommandLine cl = new CommandLine(new Main());
    if (err != null) {
      cl.setErr(err);
    }
    cl.setExecutionExceptionHandler(Main::handle);
    return cl.execute(args);
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof RivetException re) {
      err.println("Error: [" + re.code() + "] " + re.getMessage());
      err.flush();
      return re.exitCode();
    }
    err.println("Error: [" + ErrorCode.INTERNAL + "] " + Redactor.redact(String.valueOf(e)));
    e.printStackTrace(err);
    err.flush();
    return ErrorCode.INTERNAL.exitCode();
  }
}
