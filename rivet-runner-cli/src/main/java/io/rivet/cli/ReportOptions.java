package io.rivet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --format pretty|json}, {@code --json} and {@code -o FILE}: how a report is printed. */
final class ReportOptions {
  /** How a report prints. */
  enum Format {
    pretty,
    json
  }

  @Option(
      names = "--format",
      defaultValue = "pretty",
      description = "pretty or json; default ${DEFAULT-VALUE}")
  Format format;

  @Option(names = "--json", description = "the same as --format json")
  boolean json;

  @Option(
      names = {"-o", "--output"},
      description = "also write the JSON report to this file")
  Path output;

  boolean asJson() {
    return json || format == Format.json;
  }

  /** Writes {@code doc} to {@code -o} when given, and prints it when the format is JSON. */
  void emit(String doc) throws IOException {
    if (output != null) {
      Files.writeString(output, doc + "\n");
    }
    if (asJson()) {
      System.out.println(doc);
    }
  }
}
