package io.rivet.cli;

import io.rivet.beam.ExportJob;
import io.rivet.core.ErrorCode;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.DestinationConfig;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.manifest.RunSummary;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code rivet run -c FILE [-e NAME] [--resume] [--json] [--runner=... other Beam pipeline
 * options]}.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    footer = {
      "",
      "Example: rivet run -c rivet.yaml",
      "Example: rivet run -c rivet.yaml -e orders --resume",
      "Example: rivet run -c rivet.yaml --json --runner=FlinkRunner --flinkMaster=[local]"
    },
    description = {
      "Run the exports of a config.",
      "Options this command does not know (e.g. --runner=FlinkRunner --flinkMaster=[local]) go to Beam."
    })
final class RunCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "rivet.yaml to run")
  Path config;

  @Option(
      names = {"-e", "--export"},
      description = "run only this export (repeatable)")
  List<String> exports = new ArrayList<>();

  @Option(
      names = "--resume",
      description = "continue the unfinished run of each export, skipping committed chunks")
  boolean resume;

  @Option(
      names = "--summary-output",
      paramLabel = "FILE",
      description = "also write the run summary (the --json document) to this file, failed or not")
  Path summaryOutput;

  @Option(
      names = "--parallel-exports",
      description = {
        "run the selected exports concurrently: how rivet always runs them (as branches of one",
        "Beam pipeline); accepted for the original's command lines"
      })
  boolean parallelExports;

  @Option(
      names = "--parallel-export-processes",
      description = {
        "run each export in a process of its own (one export's crash or out-of-memory cannot take",
        "the others down), as many at once as the machine has cores; each one's output goes to",
        "rivet-child-stderr-<time>-<export>.log beside the config"
      })
  boolean parallelExportProcesses;

  @Option(
      names = "--validate",
      description = {
        "after the run, validate what each export that succeeded left at its destination (as 'rivet",
        "validate' at the export's verify: depth); exit 3 when a check fails"
      })
  boolean validate;

  @Option(
      names = "--reconcile",
      description = {
        "after the run, reconcile each export that succeeded with its source (count and content",
        "checksum per chunk, as 'rivet reconcile'); exit 3 when a chunk differs"
      })
  boolean reconcile;

  @Option(
      names = "--json",
      description = "print the run summary as JSON on stdout (the error object on failure)")
  boolean json;

  @Option(
      names = "--force",
      description = {
        "take over a destination that holds files this state store cannot account",
        "for (its state file was lost, or another config wrote there): they move to <dir>/_retired/<time>/ first"
      })
  boolean force;

  @Option(
      names = "--state-url",
      description = {
        "the state store, instead of state: or the SQLite file beside the config: a URL without a password",
        "(postgresql://user@host:5432/db?currentSchema=rivet), env:VARIABLE or file:PATH holding one"
      })
  String stateUrl;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "NAME=VALUE",
      description = {
        "a value for ${NAME} in the config (queries included), before the environment; repeatable"
      })
  Map<String, String> params = new LinkedHashMap<>();

  @Unmatched List<String> pipelineArgs = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    for (String arg : pipelineArgs) {
      if (!arg.startsWith("--")) {
        throw new ParameterException(
            spec.commandLine(),
            "Unknown option or argument: '"
                + arg
                + "'. rivet run takes"
                + " -c/--config, -e/--export, -p/--param, --resume and --json; any other option goes to Beam and must look like"
                + " --name=value (e.g. --runner=FlinkRunner)");
      }
    }
    try {
      pipelineOptions(pipelineArgs);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(),
          "Unknown option: "
              + unknownOption(e)
              + ". rivet run takes"
              + " -c/--config, -e/--export, -p/--param, --resume, --force and --json; any other option must be a Beam"
              + " pipeline option"
              + " (--runner=FlinkRunner, --flinkMaster=…, --parallelism=…): "
              + firstLine(e.getMessage()));
    }
    RivetConfig cfg =
        StateOptions.withStateUrl(ConfigLoader.fromEnvironment(params).load(config), stateUrl);
    boolean toStdout =
        cfg.exports().stream()
            .anyMatch(
                e ->
                    e.destination() != null
                        && e.destination().type() == DestinationConfig.Type.STDOUT);
    PrintStream report = System.out;
    if (toStdout) {
      // stdout carries the data; the summary goes to stderr.
      report = System.err;
    }
    RunSummary s;
    boolean processes =
        (parallelExportProcesses || cfg.parallelExportProcesses())
            && !toStdout
            && !ExportProcesses.isChild();
    if (processes) {
      List<String> names =
          exports.isEmpty()
              ? cfg.exports().stream().map(ExportConfig::name).toList()
              : exports.stream().map(n -> StateOptions.export(cfg, n)).toList();
      s = ExportProcesses.run(config, names, childArgs(), json ? System.err : System.out);
    } else {
      s = execute(cfg, config.toString(), exports, resume, force, pipelineArgs, !json && !toStdout);
    }
    if (summaryOutput != null) {
      Files.writeString(summaryOutput, s.toJson() + "\n");
    }
    if (json) {
      report.println(s.toJson());
    } else {
      printHuman(s, report, validate);
      // Each failed export's error, as a run of it alone would have printed it.
      for (RunSummary.ExportResult r : s.perExport()) {
        if (r.errorCode() != null) {
          System.err.println(
              new ErrorReport(
                      r.errorCode(), r.errorMessage(), ErrorCode.valueOf(r.errorCode()).exitCode())
                  .text());
        }
      }
    }
    // After the summary: with --json on stdout, these reports go to stderr.
    PrintStream after = json ? System.err : report;
    // Children of --parallel-export-processes validated and reconciled their own exports.
    int validated = processes || !validate ? 0 : AfterRun.validate(cfg, s, after);
    int reconciled = processes ? 0 : AfterRun.reconcile(cfg, s, reconcile, after);
    return (reconciled == 3 || validated == 3) && s.exitCode() != 3 ? 3 : s.exitCode();
  }

  /** The options a child process of {@code --parallel-export-processes} runs its export with. */
  private List<String> childArgs() {
    List<String> args = new ArrayList<>();
    if (resume) {
      args.add("--resume");
    }
    if (force) {
      args.add("--force");
    }
    if (validate) {
      args.add("--validate");
    }
    if (reconcile) {
      args.add("--reconcile");
    }
    if (stateUrl != null) {
      args.addAll(List.of("--state-url", stateUrl));
    }
    params.forEach((k, v) -> args.addAll(List.of("-p", k + "=" + v)));
    args.addAll(pipelineArgs);
    return args;
  }

  static RunSummary execute(
      RivetConfig cfg,
      String configArg,
      List<String> exports,
      boolean resume,
      List<String> pipelineArgs,
      boolean progress) {
    return execute(cfg, configArg, exports, resume, false, pipelineArgs, progress);
  }

  static RunSummary execute(
      RivetConfig cfg,
      String configArg,
      List<String> exports,
      boolean resume,
      boolean force,
      List<String> pipelineArgs,
      boolean progress) {
    PipelineOptions options = pipelineOptions(pipelineArgs);
    try (ProgressLine line = progress ? ProgressLine.startIfTerminal() : ProgressLine.none()) {
      return new ExportJob(cfg, configArg).run(exports, resume, force, options);
    }
  }

  /**
   * Beam's options from the arguments rivet does not take itself. The DirectRunner is the default
   * runner, without its test aids unless asked for ({@code --enforceImmutability=true}, {@code
   * --enforceEncodability=true}): they encode and decode every element to catch a DoFn that mutates
   * its input — here chunk references and part records, immutable records — and cost ~1 CPU-s per
   * run in deserialization and C2 compiling it.
   */
  static PipelineOptions pipelineOptions(List<String> pipelineArgs) {
    PipelineOptions options =
        PipelineOptionsFactory.fromArgs(pipelineArgs.toArray(String[]::new)).create();
    if (pipelineArgs.stream().noneMatch(a -> a.startsWith("--runner"))) {
      options.setRunner(DirectRunner.class);
    }
    DirectOptions direct = options.as(DirectOptions.class);
    if (pipelineArgs.stream().noneMatch(a -> a.startsWith("--enforceImmutability"))) {
      direct.setEnforceImmutability(false);
    }
    if (pipelineArgs.stream().noneMatch(a -> a.startsWith("--enforceEncodability"))) {
      direct.setEnforceEncodability(false);
    }
    return options;
  }

  private String unknownOption(IllegalArgumentException e) {
    String msg = String.valueOf(e.getMessage());
    Matcher m = Pattern.compile("named '([^']+)'").matcher(msg);
    if (m.find()) {
      String name = m.group(1);
      return pipelineArgs.stream()
          .filter(a -> a.startsWith("--" + name))
          .findFirst()
          .orElse("--" + name);
    }
    return String.join(" ", pipelineArgs);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static void printHuman(RunSummary s) {
    printHuman(s, System.out, false);
  }

  /** The run's summary; {@code validating}: the verification follows (else "verify: not run"). */
  static void printHuman(RunSummary s, PrintStream out, boolean validating) {
    for (RunSummary.ExportResult r : s.perExport()) {
      if ("nothing_to_resume".equals(r.status())) {
        out.printf("%s  %-24s %s%n", "–", r.exportName(), r.errorMessage());
        continue;
      }
      if ("failed".equals(r.status())) {
        out.printf(
            "%s  %-24s failed [%s] (the error is below)%n", "✗", r.exportName(), r.errorCode());
        continue;
      }
      out.printf(
          "%s  %-24s %,d rows in %d file(s), %,d bytes -> %s%s%n",
          "✓",
          r.exportName(),
          r.rows(),
          r.files(),
          r.bytes(),
          r.outputDir(),
          r.resumed() ? " (resumed " + r.runId() + ")" : "");
    }
    out.printf(
        "run %s: %d export(s) ok%s%s, %,d rows, %.1f s on %s%s%n",
        s.runAggregateId(),
        s.successCount(),
        s.failedCount() > 0 ? ", " + s.failedCount() + " failed" : "",
        s.skippedCount() > 0 ? ", " + s.skippedCount() + " skipped" : "",
        s.totalRows(),
        s.durationMs() / 1000.0,
        s.runner(),
        validating ? "" : "; verify: not run");
  }
}
