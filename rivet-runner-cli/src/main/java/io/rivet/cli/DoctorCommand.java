package io.rivet.cli;

import io.rivet.beam.DestinationProbe;
import io.rivet.beam.ExportJob;
import io.rivet.core.RivetException;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.dialect.ConnectionSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rivet doctor -c FILE [--json]}: config, source login, and a write-then-delete probe at
 * each destination.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    footer = {
      "",
      "Example: rivet doctor -c rivet.yaml",
      "Example: rivet doctor -c rivet.yaml --json"
    },
    description =
        "Check the config, the source login and every destination (write then delete a probe object).")
final class DoctorCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true)
  Path config;

  @Option(names = "--json")
  boolean json;

  @Override
  public Integer call() {
    List<DestinationProbe.Check> checks = new ArrayList<>();
    RivetConfig cfg = null;
    try {
      cfg = ConfigLoader.fromEnvironment(Map.of()).load(config);
      checks.add(
          new DestinationProbe.Check("config", true, cfg.exports().size() + " export(s)", null));
    } catch (RivetException e) {
      checks.add(
          new DestinationProbe.Check("config", false, e.getMessage(), "fix the listed keys"));
    }
    if (cfg != null) {
      checks.add(source(cfg));
      PipelineOptions options = PipelineOptionsFactory.create();
      try {
        ExportJob.applyDestinationOptions(options, cfg.exports(), System.getenv());
        FileSystems.setDefaultPipelineOptions(options);
        for (ExportConfig e : cfg.exports()) {
          checks.add(DestinationProbe.probe(cfg, e));
        }
      } catch (RivetException e) {
        checks.add(
            new DestinationProbe.Check(
                "destinations", false, e.getMessage(), "fix the destination settings"));
      }
    }
    boolean ok = checks.stream().allMatch(DestinationProbe.Check::ok);
    if (json) {
      StateOptions.print(
          StateOptions.row("config_path", config.toString(), "all_ok", ok, "checks", checks));
    } else {
      for (DestinationProbe.Check c : checks) {
        System.out.println(
            (c.ok() ? "✓ " : "✗ ")
                + c.name()
                + ": "
                + c.detail()
                + (c.hint() == null ? "" : "  → " + c.hint()));
      }
    }
    return ok ? 0 : 1;
  }

  private static DestinationProbe.Check source(RivetConfig cfg) {
    try {
      ConnectionSpec spec = ConnectionSpec.from(cfg.source());
      try (Connection c = spec.poolerSafe().open();
          Statement st = c.createStatement()) {
        st.execute("SELECT 1");
        ConnectionSpec.Probed probed =
            new ConnectionSpec.Probed(spec, spec.dialect().poolerEvidence(c));
        return new DestinationProbe.Check(
            "source",
            true,
            "logged in to "
                + spec
                + " ("
                + c.getMetaData().getDatabaseProductName()
                + " "
                + c.getMetaData().getDatabaseProductVersion()
                + ")"
                + probed.notice().map(n -> "; " + n).orElse(""),
            null);
      }
    } catch (RivetException e) {
      String hint =
          switch (e.code()) {
            case SOURCE_AUTH_FAILED -> "check the user and password (or the *_env variables)";
            case SOURCE_UNAVAILABLE -> "check host, port, firewall and that the server runs";
            default -> "check the source settings";
          };
      return new DestinationProbe.Check("source", false, e.getMessage(), hint);
    } catch (Exception e) {
      return new DestinationProbe.Check("source", false, e.toString(), "check the source settings");
    }
  }
}
