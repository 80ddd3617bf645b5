package io.rivet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process and keeps its exit code and error output. */
record CliRun(int exitCode, String err) {
  static CliRun of(String... args) {
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(err, true), args);
    return new CliRun(code, err.toString());
  }
}
