package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ConfigLoader;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.config.StateReferences;
import io.rivet.core.dialect.ConnectionSpec;
import io.rivet.core.plan.Planner;
import io.rivet.core.schema.ColumnMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.Row;

/**
 * Rivet as a Beam IO.
 *
 * <p>{@link #export()} extracts the exports of a rivet.yaml — or of a config built in code — into
 * committed part files and finalizes each (manifest, {@code _SUCCESS}), exactly as {@code rivet
 * run} does, and emits one {@link ExportResult} per export:
 *
 * <pre>{@code
 * PCollection<ExportResult> done =
 *     pipeline.apply(
 *         RivetIO.export()
 *             .withConfigFile("rivet.yaml")
 *             .withExports("orders", "customers")
 *             .withStateStore("postgresql://state-db/rivet?user=rivet"));
 * done.apply(Wait.on(...)) // or act on each result
 * }</pre>
 *
 * <p>Building the pipeline touches nothing: planning is the pipeline's first step, so a pipeline
 * built and never run leaves no trace in the source, the destination or the state store.
 */
public final class RivetIO {
  private RivetIO() {}

  /**
   * A read with no config yet: give one with {@code withConfig...}, and the export to read with
   * {@link Read#withExport}.
   */
  public static Read read() {
    return new Read(null, null, null);
  }

  /** An export transform with no config yet: give one with {@code withConfig...}. */
  public static Export export() {
    return new Export(null, null, List.of(), null, false, false, false, null);
  }

  /**
   * Plans, extracts and finalizes exports: the first step plans every selected export (each takes
   * its lease, records its run); then one branch per export — its chunks spread over the workers,
   * then its finalize once its own chunks are extracted ({@link Wait#on}), so an export never waits
   * for another. Immutable: each {@code withX} returns a configured copy.
   */
  public static final class Export extends PTransform<PBegin, PCollection<ExportResult>> {
    private static final long serialVersionUID = 1L;
    private final RivetConfig config;
    private final String configArg;
    private final List<String> exports;
    private final String stateUrl;
    private final boolean resume;
    private final boolean orStart;
    private final boolean force;

    /** Runs a launcher prepared already ({@code rivet run}); null: planned by the pipeline. */
    private final List<PreparedRun> prepared;

    private Export(
        RivetConfig config,
        String configArg,
        List<String> exports,
        String stateUrl,
        boolean resume,
        boolean orStart,
        boolean force,
        List<PreparedRun> prepared) {
      this.config = config;
      this.configArg = configArg;
      this.exports = List.copyOf(exports);
      this.stateUrl = stateUrl;
      this.resume = resume;
      this.orStart = orStart;
      this.force = force;
      this.prepared = prepared == null ? null : List.copyOf(prepared);
    }

    /** The exports of a config already loaded ({@link ConfigLoader}) or built in code. */
    public Export withConfig(RivetConfig config) {
      return new Export(
          config, config.configPath(), exports, stateUrl, resume, orStart, force, prepared);
    }

    /**
     * The exports of a rivet.yaml given as text; relative paths in it (a {@code query_file}, a
     * local destination, the default state file) are resolved against the working directory.
     * Environment variables are read as {@code rivet run} reads them. A config error is thrown
     * here, naming the YAML path and the fix.
     */
    public Export withConfigYaml(String yaml) {
      Path here = Path.of("rivet.yaml").toAbsolutePath();
      RivetConfig c = ConfigLoader.fromEnvironment(Map.of()).parse(yaml, here);
      return new Export(
          c, "<rivet.yaml given in code>", exports, stateUrl, resume, orStart, force, prepared);
    }

    /** The exports of a rivet.yaml file, read now (a config error is thrown here). */
    public Export withConfigFile(String path) {
      RivetConfig c = ConfigLoader.fromEnvironment(Map.of()).load(Path.of(path));
      return new Export(c, path, exports, stateUrl, resume, orStart, force, prepared);
    }

    /** Only these exports of the config (default: all of them). */
    public Export withExports(String... names) {
      return new Export(
          config, configArg, List.of(names), stateUrl, resume, orStart, force, prepared);
    }

    /**
     * The state store, overriding the config's {@code state:}, in the forms of {@code rivet run
     * --state-url}: a PostgreSQL URL without a password ({@code
     * jdbc:postgresql://host/db?user=rivet&currentSchema=rivet_ops}), or {@code env:VARIABLE} /
     * {@code file:PATH} naming where the URL with its password is read on each worker; {@code
     * jdbc:sqlite:FILE} for a single machine. Default: the config's {@code state:}, else {@code
     * .rivet_state.db} beside the config. A reference that is not one of these is refused here.
     */
    public Export withStateStore(String url) {
      String ref;
      try {
        ref = StateReferences.fromOption(url, Path.of("").toAbsolutePath());
      } catch (RivetException e) {
        throw new RivetException(
            e.code(), e.getMessage().replaceFirst("^--state-url", "withStateStore:"));
      }
      return new Export(config, configArg, exports, ref, resume, orStart, force, prepared);
    }

    /**
     * The source's password, read from this environment variable wherever the source is reached
     * (each worker), instead of from the config; it never travels in the pipeline.
     */
    public Export withSourcePasswordEnv(String variable) {
      requireConfig();
      RivetConfig c = WorkerConfig.withPasswordEnv(config, variable);
      return new Export(c, configArg, exports, stateUrl, resume, orStart, force, prepared);
    }

    /**
     * Continue each export's unfinished run instead of failing on it ({@code rivet run --resume});
     * an export with nothing to resume is {@link ExportResult.Status#SKIPPED}.
     */
    public Export withResume(boolean resume) {
      return new Export(config, configArg, exports, stateUrl, resume, false, force, prepared);
    }

    /**
     * Continue each export's unfinished run, and start a new run of an export that has none — what
     * a scheduled job wants: run again after a failure and it goes on where it stopped; run it the
     * next day and it exports anew.
     */
    public Export withResumeOrStart() {
      return new Export(config, configArg, exports, stateUrl, true, true, force, prepared);
    }

    /**
     * Take over a destination that holds files this state store cannot account for, after moving
     * them to {@code _retired/} ({@code rivet run --force}).
     */
    public Export withForce(boolean force) {
      return new Export(config, configArg, exports, stateUrl, resume, orStart, force, prepared);
    }

    /** The runs a launcher prepared ({@link ExportJob}): the pipeline does not plan them again. */
    Export withPreparedRuns(List<PreparedRun> runs) {
      return new Export(config, configArg, exports, stateUrl, resume, orStart, force, runs);
    }

    private void requireConfig() {
      if (config == null) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "RivetIO.export(): no config; give one with withConfig(RivetConfig),"
                + " withConfigYaml(String) or withConfigFile(String)");
      }
    }

    /** The config with the state store this transform uses. */
    RivetConfig effectiveConfig() {
      requireConfig();
      return stateUrl == null ? config : config.withStateRef(stateUrl);
    }

    @Override
    public PCollection<ExportResult> expand(PBegin input) {
      RivetConfig cfg = effectiveConfig();
      List<ExportConfig> selected = ExportJob.select(cfg, exports, "withExports: ");
      PipelineOptions options = input.getPipeline().getOptions();
      if (prepared == null) {
        RemoteWorkers.check(cfg, selected, options);
      }
      // The destinations' file systems need their options (region, endpoint, credentials by
      // name) wherever the pipeline runs; setting them reads only this process's environment.
      CloudOptions.apply(options, selected, System.getenv());
      if (RemoteWorkers.remoteRunner(options).isPresent()) {
        // Workers elsewhere: the job's jars without the demo's database binaries.
        StagedJars.trim(options);
      }
      String store = ExportJob.stateUrl(cfg);
      ConnectionSpec spec = ConnectionSpec.from(cfg.source());

      PCollection<PreparedRun> runs =
          prepared != null
              ? input.apply(
                  "Prepared Runs",
                  Create.of(prepared).withCoder(SerializableCoder.of(PreparedRun.class)))
              : input
                  .apply("Start", Create.of("plan").withCoder(StringUtf8Coder.of()))
                  .apply(
                      "Plan Exports",
                      ParDo.of(
                          new PlanExportsFn(
                              WorkerConfig.of(cfg, spec),
                              configArg,
                              selected,
                              resume,
                              orStart,
                              force)))
                  .setCoder(SerializableCoder.of(PreparedRun.class));

      PCollectionList<ExportResult> results = PCollectionList.empty(input.getPipeline());
      for (String name : selected.stream().map(ExportConfig::name).sorted().toList()) {
        results = results.and(runs.apply("Export " + name, new ExportBranch(name, store)));
      }
      return results.apply("Export Results", Flatten.pCollections());
    }
  }

  /**
   * Reads one export's rows as a {@code PCollection<Row>}: the export's query, mode window,
   * chunking, session settings, reader (PostgreSQL binary COPY, MySQL streaming) and throttle, each
   * chunk a splittable restriction claimed row by row — with exact types, each a Beam type or
   * logical type (decimals with their precision and scale, timestamps in microseconds with and
   * without zone, dates, times, UUIDs, JSON as text, arrays, unsigned 64-bit integers as {@code
   * FixedPrecisionNumeric(20, 0)}); see docs/type-mapping.md. The export's destination, state and
   * cursor are not used: a read has no files, resume or ledger (an incremental export reads every
   * row). The {@link org.apache.beam.sdk.schemas.Schema} is the source's columns, read when the
   * pipeline is built (as {@code JdbcIO.readRows} does: the query's metadata, no row); the chunks
   * are planned when it runs.
   */
  public static final class Read extends PTransform<PBegin, PCollection<Row>> {
    private static final long serialVersionUID = 1L;
    private final RivetConfig config;
    private final String export;
    private final String passwordEnv;

    private Read(RivetConfig config, String export, String passwordEnv) {
      this.config = config;
      this.export = export;
      this.passwordEnv = passwordEnv;
    }

    /** The exports of a config already loaded or built in code. */
    public Read withConfig(RivetConfig config) {
      return new Read(config, export, passwordEnv);
    }

    /** The exports of a rivet.yaml given as text (a config error is thrown here). */
    public Read withConfigYaml(String yaml) {
      Path here = Path.of("rivet.yaml").toAbsolutePath();
      return new Read(
          ConfigLoader.fromEnvironment(Map.of()).parse(yaml, here), export, passwordEnv);
    }

    /** The exports of a rivet.yaml file, read now (a config error is thrown here). */
    public Read withConfigFile(String path) {
      return new Read(
          ConfigLoader.fromEnvironment(Map.of()).load(Path.of(path)), export, passwordEnv);
    }

    /** The export of the config to read (optional when the config has one export). */
    public Read withExport(String name) {
      return new Read(config, name, passwordEnv);
    }

    /** As {@link Export#withSourcePasswordEnv}. */
    public Read withSourcePasswordEnv(String variable) {
      return new Read(config, export, variable);
    }

    @Override
    public PCollection<Row> expand(PBegin input) {
      if (config == null) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "RivetIO.read(): no config; give one with withConfig(RivetConfig),"
                + " withConfigYaml(String) or withConfigFile(String)");
      }
      RivetConfig cfg =
          passwordEnv == null ? config : WorkerConfig.withPasswordEnv(config, passwordEnv);
      ExportConfig e = chosen(cfg);
      if (e.partition() != null) {
        throw new RivetException(
            ErrorCode.NOT_SUPPORTED_YET,
            "exports["
                + e.name()
                + "].partition: a read of a partitioned export is not supported yet; read it without"
                + " partition: (its chunking still spreads the read)");
      }
      List<String> unsupported = e.unsupported(cfg);
      if (!unsupported.isEmpty()) {
        throw new RivetException(
            ErrorCode.NOT_SUPPORTED_YET,
            "export '" + e.name() + "' uses settings that are not supported yet: " + unsupported);
      }
      RemoteWorkers.check(cfg, List.of(e), input.getPipeline().getOptions());
      ConnectionSpec spec = ConnectionSpec.from(cfg.source());
      List<ColumnMapping> columns = new Planner(cfg, null).columns(e);
      Schema schema = BeamRows.schema(columns);
      return input
          .apply("Start", Create.of("plan").withCoder(StringUtf8Coder.of()))
          .apply("Plan Chunks", ParDo.of(new PlanReadFn(WorkerConfig.of(cfg, spec), e, columns)))
          .setCoder(SerializableCoder.of(ReadChunk.class))
          .apply("Spread Chunks", Reshuffle.viaRandomKey())
          .apply("Read Chunks", ParDo.of(new ReadChunkFn(schema, columns)))
          .setRowSchema(schema);
    }

    private ExportConfig chosen(RivetConfig cfg) {
      if (export == null) {
        if (cfg.exports().size() != 1) {
          throw new RivetException(
              ErrorCode.CONFIG_INVALID,
              "RivetIO.read(): the config has "
                  + cfg.exports().size()
                  + " exports; name the one to read with withExport(name): "
                  + cfg.exports().stream().map(ExportConfig::name).toList());
        }
        return cfg.exports().get(0);
      }
      return cfg.export(export)
          .orElseThrow(
              () ->
                  new RivetException(
                      ErrorCode.CONFIG_INVALID,
                      "RivetIO.read().withExport: export '"
                          + export
                          + "' is not in the config; it has "
                          + cfg.exports().stream().map(ExportConfig::name).toList()));
    }
  }
}
