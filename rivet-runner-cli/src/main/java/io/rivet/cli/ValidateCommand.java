package io.rivet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.rivet.beam.ExportJob;
import io.rivet.beam.Validator;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.manifest.ValidationReport;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rivet validate -c FILE [-e NAME] [--depth light|sample|full]}. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check what the newest finished run of each export left at its destination, without querying",
      "the source: the manifest against _SUCCESS, itself and the ledger (light); every part there with",
      "its size and checksum, and files no manifest lists (sample); every part read whole (full).",
      "Exit 3 when a check fails.",
      "",
      "Example: rivet validate -c rivet.yaml -e orders --depth full --json"
    })
final class ValidateCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Mixin ReportOptions report;

  @Option(
      names = {"-e", "--export"},
      description = "validate only this export (default: every export)")
  String export;

  @Option(
      names = "--depth",
      description =
          "light, sample or full (default: full for exports with verify: content, else sample)")
  Validator.Depth depth;

  @Option(names = "--run-id", description = "a completed run other than the newest (needs -e)")
  String runId;

  @Override
  public Integer call() throws IOException {
    RivetConfig cfg = options.load();
    if (runId != null && export == null) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID, "--run-id needs -e: a run is one export's");
    }
    List<ExportConfig> exports =
        export == null
            ? cfg.exports()
            : List.of(cfg.export(StateOptions.export(cfg, export)).orElseThrow());
    List<ValidationReport> reports = new ArrayList<>();
    try (StateStore state = StateStore.open(ExportJob.stateUrl(cfg))) {
      Validator v = new Validator(cfg, state);
      for (ExportConfig e : exports) {
        reports.add(v.validate(e, runId, depth != null ? depth : Validator.defaultDepth(e)));
      }
    }
    String doc = export != null ? reports.get(0).toJson() : toJson(reports);
    report.emit(doc);
    if (!report.asJson()) {
      reports.forEach(r -> printPretty(r, System.out));
    }
    return reports.stream().allMatch(ValidationReport::passed) ? 0 : 3;
  }

  private static String toJson(List<ValidationReport> reports) {
    try {
      return Json.DOCUMENTS.writeValueAsString(reports);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void printPretty(ValidationReport r, PrintStream out) {
    out.printf(
        "%s  %-24s run %s, %s: %d part(s) verified, %d failed%s%n",
        r.passed() ? "✓" : "✗",
        r.exportName(),
        r.runId(),
        r.depthLevel(),
        r.partsVerified(),
        r.partsFailed(),
        r.untrackedObjects().isEmpty()
            ? ""
            : "; " + r.untrackedObjects().size() + " file(s) no manifest lists (advisory)");
    for (ValidationReport.Failure f : r.failures()) {
      out.printf("     [%s] %s%s%n", f.code(), f.part() == null ? "" : f.part() + ": ", f.detail());
    }
  }
}
