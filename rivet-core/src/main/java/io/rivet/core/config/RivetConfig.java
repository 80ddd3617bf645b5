package io.rivet.core.config;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A loaded, validated rivet.yaml. */
public record RivetConfig(
    String configPath,
    SourceConfig source,
    List<ExportConfig> exports,
    List<String> notSupportedYet)
    implements Serializable {

  public RivetConfig {
    exports = List.copyOf(exports);
    notSupportedYet = List.copyOf(notSupportedYet);
  }

  public Path configDir() {
    Path parent = Path.of(configPath).toAbsolutePath().getParent();
    return parent == null ? Path.of(".").toAbsolutePath() : parent;
  }

  public Optional<ExportConfig> export(String name) {
    return exports.stream().filter(e -> e.name().equals(name)).findFirst();
  }
}
