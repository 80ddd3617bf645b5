package io.rivet.core.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded, validated rivet.yaml.
 *
 * @param stateRef where the state store is ({@code state:}, or {@code --state-url}), as a reference
 *     without a secret; null for the SQLite file beside the config
 * @param parallelExportProcesses {@code parallel_export_processes: true}: {@code rivet run} runs
 *     each export in a process of its own, as {@code --parallel-export-processes} does
 */
public record RivetConfig(
    String configPath,
    SourceConfig source,
    List<ExportConfig> exports,
    List<String> notSupportedYet,
    String stateRef,
    boolean parallelExportProcesses)
    implements Serializable {

  public RivetConfig {
    exports = List.copyOf(exports);
    notSupportedYet = List.copyOf(notSupportedYet);
  }

  public Path configDir() {
    Path parent = Path.of(configPath).toAbsolutePath().getParent();
    return parent == null ? Path.of(".").toAbsolutePath() : parent;
  }

  /** This config with its state store elsewhere ({@code --state-url}). */
  public RivetConfig withStateRef(String ref) {
    return new RivetConfig(
        configPath, source, exports, notSupportedYet, ref, parallelExportProcesses);
  }

  /** This config with another source (the same source as it travels: without its password). */
  public RivetConfig withSource(SourceConfig other) {
    return new RivetConfig(
        configPath, other, exports, notSupportedYet, stateRef, parallelExportProcesses);
  }

  public Optional<ExportConfig> export(String name) {
    return exports.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
