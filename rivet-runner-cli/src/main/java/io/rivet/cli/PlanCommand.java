package io.rivet.cli;

import io.rivet.beam.ExportJob;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.RivetException;
import io.rivet.core.check.Checker;
import io.rivet.core.check.PlanArtifact;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rivet plan -c FILE}: sealed plan artifacts for {@code rivet apply}. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Plan each export as a run would and seal the result (reference §7.7): the SQL, the window,",
      "the chunk ranges, the written schema and destination, the cursor it starts from, the",
      "verdict of 'rivet check', and where 'rivet apply rivet.yaml' would schedule it — with an",
      "integrity hash over the plan (which holds no credential) and an expiry 24 h out. Nothing is",
      "written to the state store or the destination. Review it, then 'rivet apply <artifact>'",
      "replays exactly these chunks.",
      "",
      "Example: rivet plan -c rivet.yaml -e orders -o orders.plan.json",
      "Example: rivet plan -c rivet.yaml -o plans/     (one <export>.plan.json per export)"
    })
final class PlanCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;

  @Option(
      names = {"-e", "--export"},
      description = "plan only this export (repeatable)")
  List<String> exports = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      description = "a .json file (one export) or a directory (one <export>.plan.json each)")
  Path output;

  @Option(
      names = "--format",
      defaultValue = "pretty",
      description = "pretty (a table) or json (the artifacts); default ${DEFAULT-VALUE}")
  ReportOptions.Format format;

  @Override
  public Integer call() throws Exception {
    RivetConfig cfg = options.load();
    List<ExportConfig> selected = new ArrayList<>();
    if (exports.isEmpty()) {
      selected.addAll(cfg.exports());
    } else {
      for (String n : exports) {
        selected.add(cfg.export(StateOptions.export(cfg, n)).orElseThrow());
      }
    }
    Checker checker = new Checker(cfg, ExportJob.stateUrl(cfg));
    List<PlanArtifact> artifacts = new ArrayList<>();
    Instant now = Instant.now();
    try (StateStore state = StateStore.open(ExportJob.stateUrl(cfg))) {
      for (ExportConfig e : selected) {
        if (e.partition() != null) {
          throw new RivetException(
              ErrorCode.NOT_SUPPORTED_YET,
              "export '"
                  + e.name()
                  + "' is partitioned: plan artifacts of partitioned exports are not supported yet; 'rivet run' plans it");
        }
        String cursor = state.cursor(e.name());
        Checker.Checked c = checker.checked(e, Set.of(), cursor);
        if (c.plan() == null) {
          throw new RivetException(
              ErrorCode.CONFIG_INVALID,
              "export '"
                  + e.name()
                  + "' cannot be planned: "
                  + String.join("; ", c.report().violations())
                  + " ('rivet check -c "
                  + options.config
                  + " -e "
                  + e.name()
                  + "' says more)");
        }
        artifacts.add(
            PlanArtifact.seal(
                Version.VERSION,
                c.plan(),
                cursor,
                c.report(),
                Waves.of(e, c.report().diagnostic().rowEstimate()),
                options.config.toAbsolutePath().toString(),
                now));
      }
    }
    if (output != null) {
      if (artifacts.size() == 1 && output.toString().endsWith(".json")) {
        Files.writeString(output, artifacts.get(0).toJson() + "\n");
      } else {
        Files.createDirectories(output);
        for (PlanArtifact a : artifacts) {
          Files.writeString(output.resolve(a.exportName() + ".plan.json"), a.toJson() + "\n");
        }
      }
    }
    if (format == ReportOptions.Format.json) {
      System.out.println(
          artifacts.size() == 1
              ? artifacts.get(0).toJson()
              : Json.DOCUMENTS.writeValueAsString(artifacts));
    } else {
      System.out.printf(
          "%-5s %-24s %-22s %14s  %s%n", "wave", "export", "strategy", "rows", "verdict");
      for (PlanArtifact a : artifacts) {
        System.out.printf(
            "%-5d %-24s %-22s %14s  %s%s%n",
            a.prioritization().wave(),
            a.exportName(),
            a.diagnostics().strategyRationale() + " (" + a.computed().chunkCount() + ")",
            a.computed().rowEstimate() == null
                ? "?"
                : String.format(Locale.ROOT, "~%,d", a.computed().rowEstimate()),
            a.diagnostics().verdict(),
            a.prioritization().parallelSafe() ? ", parallel-safe" : "");
      }
      if (output != null) {
        System.out.println("then: rivet apply " + output);
      }
    }
    return 0;
  }
}
