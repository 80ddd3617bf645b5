package io.rivet.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads rivet.yaml: {@code ${VAR}} substitution, YAML parsing, strict keys with did-you-mean, and
 * validation that reports every problem at once under its YAML path.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /**
   * The largest rivet.yaml (and query file) accepted: far above any real config, far below what
   * exhausts memory.
   */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  static final Set<String> TOP_KEYS =
      Set.of(
          "source",
          "exports",
          "notifications",
          "parallel_exports",
          "parallel_export_processes",
          "state");

  private final Map<String, String> env;
  private final Map<String, String> params;

  public ConfigLoader(Map<String, String> env, Map<String, String> params) {
    this.env = Map.copyOf(env);
    this.params = Map.copyOf(params);
  }

  /** A loader reading the process environment. */
  public static ConfigLoader fromEnvironment(Map<String, String> params) {
    return new ConfigLoader(System.getenv(), params);
  }

  public RivetConfig load(Path file) {
    String raw;
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            file
                + ": the config is "
                + Files.size(file)
                + " bytes; a"
                + " rivet.yaml may hold at most "
                + MAX_BYTES
                + " bytes (4 MiB) — is this the right file? Move long queries to"
                + " query_file");
      }
      raw = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new RivetException(
          ErrorCode.CONFIG_UNREADABLE,
          "config file "
              + file
              + " does not exist; pass the path of your rivet.yaml with -c ('rivet demo' writes a"
              + " working example to start from)");
    } catch (MalformedInputException e) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID, file + ": the config is not UTF-8 text; save it as UTF-8", e);
    } catch (IOException e) {
      throw new RivetException(
          ErrorCode.CONFIG_UNREADABLE,
          "cannot read config file " + file + ": " + e.getMessage(),
          e);
    }
    return parse(raw, file);
  }

  /**
   * Parses config text as if it were read from {@code file} (whose directory anchors relative
   * paths).
   */
  public RivetConfig parse(String raw, Path file) {
    ConfigProblems problems = new ConfigProblems();
    String text = EnvSubstitution.apply(raw, params, env, problems);
    problems.throwIfAny(file.toString());
    for (String unused : EnvSubstitution.unusedParams(raw, params)) {
      LOG.warn("--param {}: the config has no ${{}}; the value is not used", unused, unused);
    }
    if (text.length() > MAX_BYTES) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          file
              + ": the config is "
              + text.length()
              + " characters"
              + " after ${VAR} substitution; a rivet.yaml may hold at most "
              + MAX_BYTES
              + "; move long queries to query_file");
    }
    JsonNode root = parseYaml(text, file, problems);
    if (root == null || !root.isObject()) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          file
              + ": the file is empty or not a YAML mapping; it needs 'source:' and 'exports:' sections (see docs/config-reference.md)");
    }
    YamlObject top = new YamlObject(root, "", problems);
    top.rejectUnknown(TOP_KEYS);
    Path configDir = file.toAbsolutePath().getParent();
    List<String> notSupported = new ArrayList<>();
    if (top.has("notifications")) {
      notSupported.add("notifications (Slack notifications)");
    }
    boolean processes = Boolean.TRUE.equals(top.bool("parallel_export_processes"));
    // Exports run concurrently, as branches of one Beam pipeline: parallel_exports is how rivet
    // always runs them.
    top.bool("parallel_exports");

    YamlObject sourceNode = top.object("source");
    SourceConfig source = null;
    TuningOverlay sourceTuning = TuningOverlay.EMPTY;
    if (sourceNode == null) {
      if (!top.has("source")) {
        problems.add(
            "source",
            "is required; add a 'source:' section with 'type: postgres' and 'url_env: DATABASE_URL'");
      }
    } else {
      SourceParser sp = new SourceParser(sourceNode, configDir, env, notSupported);
      source = sp.parse();
      sourceTuning = TuningOverlay.parse(sourceNode.object("tuning"), notSupported);
    }

    List<ExportConfig> exports = exports(top, configDir, source, sourceTuning, problems);
    YamlObject stateNode = top.object("state");
    String stateRef = stateNode == null ? null : StateParser.parse(stateNode, configDir, env);
    problems.throwIfAny(file.toString());
    return new RivetConfig(file.toString(), source, exports, notSupported, stateRef, processes);
  }

  /** Every entry of {@code exports:}, each named uniquely. */
  private static List<ExportConfig> exports(
      YamlObject top,
      Path configDir,
      SourceConfig source,
      TuningOverlay sourceTuning,
      ConfigProblems problems) {
    List<ExportConfig> exports = new ArrayList<>();
    if (!top.has("exports")) {
      problems.add(
          "exports",
          "is required; add at least one export (name, table or query, format, destination)");
    } else {
      List<YamlObject> nodes = top.objectList("exports");
      if (nodes.isEmpty() && problems.isEmpty()) {
        problems.add("exports", "is empty; add at least one export");
      }
      Set<String> seen = new HashSet<>();
      TuningConfig.Profile baseProfile =
          source != null && source.environment() == Environment.LOCAL
              ? TuningConfig.Profile.FAST
              : TuningConfig.Profile.BALANCED;
      for (YamlObject n : nodes) {
        ExportConfig e = new ExportParser(n, configDir, sourceTuning, baseProfile).parse();
        if (e != null && !seen.add(e.name())) {
          n.problem(
              "name",
              "duplicate export name '"
                  + e.name()
                  + "'; every export needs its own name (it keys the state)");
        }
        if (e != null) {
          exports.add(e);
        }
      }
    }
    return exports;
  }

  private static JsonNode parseYaml(String text, Path file, ConfigProblems problems) {
    try {
      return YamlTree.read(text, problems);
    } catch (IllegalStateException | YAMLException e) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          file
              + ": not accepted as a config: "
              + firstLine(e.getMessage())
              + "; a rivet.yaml needs no deeper nesting than "
              + YamlTree.MAX_DEPTH
              + " levels and no more than "
              + YamlTree.MAX_ALIASES
              + " aliases",
          e);
    } catch (JsonProcessingException e) {
      String hint = "";
      if (text.contains("\t")) {
        hint = "; YAML does not allow tabs for indentation, use spaces";
      } else if (e.getOriginalMessage() != null && e.getOriginalMessage().contains("{")) {
        hint = "; a value holding '{' must be quoted, e.g. path: \"./out/{export}/{date}\"";
      }
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          file + ": not valid YAML" + where + ": " + firstLine(e.getOriginalMessage()) + hint,
          e);
    } catch (IOException e) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID, file + ": not valid YAML: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
