package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.dialect.ConnectionSpec;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.extract.SessionGuard;
import io.rivet.core.manifest.Manifest;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.reconcile.ContentChecksum;
import io.rivet.core.reconcile.ReconcileReport;
import io.rivet.core.reconcile.SourceChecksums;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a finished run of an export with its source, chunk by chunk: the source counts and
 * checksums each chunk's rows in its own SQL ({@link SourceChecksums}) and rivet does the same from
 * the parts the run's manifest lists ({@link ContentChecksum}). Equal when the rows are unchanged;
 * a chunk whose rows changed since (or whose files were altered) is a mismatch, of count or of
 * content; a chunk that cannot be compared (its query failed, a part is unreadable, the format is
 * CSV) is unknown, with the reason. Reads only: nothing at the destination or in the state changes.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final RivetConfig cfg;
  private final StateStore state;
  private final String version;

  public Reconciler(RivetConfig cfg, StateStore state, String version) {
    this.cfg = cfg;
    this.state = state;
    this.version = version;
  }

  /** The run a reconcile of {@code export} looks at: {@code runId}, or its newest completed run. */
  public RunRecord run(ExportConfig export, String runId) {
    if (export.partition() != null) {
      throw new RivetException(
          ErrorCode.NOT_SUPPORTED_YET,
          "export '"
              + export.name()
              + "' is partitioned (partition_by): reconciling partitioned exports is not supported yet");
    }
    if (runId != null) {
      RunRecord r =
          state
              .run(runId)
              .filter(x -> x.exportName().equals(export.name()))
              .orElseThrow(
                  () ->
                      new RivetException(
                          ErrorCode.CONFIG_INVALID,
                          "--run-id "
                              + runId
                              + ": export '"
                              + export.name()
                              + "' has no such run; 'rivet journal -c <config> -e "
                              + export.name()
                              + "' lists its runs"));
      if (!RunRecord.COMPLETED.equals(r.status())) {
        throw new RivetException(
            ErrorCode.CONFIG_INVALID,
            "run "
                + runId
                + " is "
                + r.status()
                + ", not completed: only a finished run has files to reconcile");
      }
      return r;
    }
    return state.runs(export.name(), 1000).stream()
        .filter(r -> RunRecord.COMPLETED.equals(r.status()))
        .findFirst()
        .orElseThrow(
            () ->
                new RivetException(
                    ErrorCode.CONFIG_INVALID,
                    "export '"
                        + export.name()
                        + "' has no completed run to reconcile; run it first ('rivet run -c <config> -e "
                        + export.name()
                        + "')"));
  }

  /** Reconciles one run: every chunk of its plan. */
  public ReconcileReport reconcile(ExportConfig export, RunRecord run) {
    useDestination(export);
    ConnectionSpec spec = ConnectionSpec.from(cfg.source()).probed().spec();
    ExportPlan plan = state.loadPlan(run.runId()).withConnection(spec);
    Dialect d = spec.dialect();
    Manifest manifest = manifest(plan);
    Map<Integer, List<Manifest.Part>> parts = new HashMap<>();
    String runNote = null;
    if (manifest == null) {
      runNote = "no manifest.json at " + plan.outputDir() + ": the files cannot be read";
    } else if (!manifest.runId().equals(run.runId())) {
      runNote =
          "the destination's manifest.json is of run "
              + manifest.runId()
              + ", not "
              + run.runId()
              + ": its files are another run's";
    } else {
      for (Manifest.Part p : manifest.parts()) {
        parts.computeIfAbsent(p.chunkIndex(), k -> new ArrayList<>()).add(p);
      }
    }
    List<ReconcileReport.Partition> out = new ArrayList<>();
    try (Connection c = spec.open()) {
      for (ChunkSpec chunk : plan.chunks()) {
        out.add(chunk(c, d, plan, chunk, parts.getOrDefault(chunk.index(), List.of()), runNote));
      }
    } catch (SQLException e) {
      throw new RivetException(
          ErrorCode.SOURCE_UNAVAILABLE,
          "export '"
              + export.name()
              + "': cannot reach the source to reconcile: "
              + Redactor.redact(e.getMessage()),
          e);
    }
    ReconcileReport report =
        ReconcileReport.of(version, export.name(), run.runId(), strategy(plan), out);
    ReconcileReport.Summary sum = report.summary();
    state.journal(
        run.runId(),
        export.name(),
        "ReconciliationResult",
        "{\"source_count\":"
            + sum.totalSourceRows()
            + ",\"exported_rows\":"
            + sum.totalExportedRows()
            + ",\"matched\":"
            + report.clean()
            + ",\"mismatches\":"
            + sum.mismatches()
            + ",\"unknown\":"
            + sum.unknown()
            + ",\"checksum\":\""
            + report.checksum()
            + "\"}");
    return report;
  }

  private ReconcileReport.Partition chunk(
      Connection c,
      Dialect d,
      ExportPlan plan,
      ChunkSpec chunk,
      List<Manifest.Part> files,
      String runNote) {
    List<String> names = files.stream().map(Manifest.Part::path).toList();
    ContentChecksum.Sum[] source = new ContentChecksum.Sum[1];
    String note = runNote;
    try {
      new SessionGuard(d, plan.tuning())
          .run(
              c,
              () ->
                  source[0] =
                      SourceChecksums.of(c, d, plan, chunk, d.queryTimeoutSeconds(plan.tuning())));
    } catch (SQLException | IOException | RuntimeException e) {
      LOG.debug("checksum query of {} failed", chunk.describe(), e);
      rollback(c);
      note =
          "the source's checksum query failed: "
              + Redactor.redact(String.valueOf(e.getMessage()))
              + "; the chunk was not compared";
    }
    String missing = null;
    Long exportedCount =
        runNote == null ? files.stream().mapToLong(Manifest.Part::rows).sum() : null;
    ContentChecksum.Sum exported = null;
    if (runNote == null && plan.format() == FileFormat.PARQUET) {
      try {
        ContentChecksum.Sum sum = ContentChecksum.Sum.EMPTY;
        for (Manifest.Part p : files) {
          sum =
              sum.plus(
                  ContentChecksum.ofParquet(
                      new BeamInputFile(BeamPartStore.resolve(plan.outputDir(), p.path())),
                      plan.columns()));
        }
        exported = sum;
        exportedCount = sum.rows();
      } catch (FileNotFoundException | NoSuchFileException e) {
        missing = "a part of the chunk is missing at the destination: " + e.getMessage();
      } catch (IOException | RuntimeException e) {
        LOG.debug("reading the parts of {} failed", chunk.describe(), e);
        note =
            (note == null ? "" : note + "; ")
                + "a part of the chunk cannot be read: "
                + Redactor.redact(String.valueOf(e.getMessage()));
      }
    } else if (runNote == null && note == null) {
      note =
          "CSV parts: rows compared by count only (content checksums of CSV are not supported yet)";
    }
    Long sourceCount = source[0] == null ? null : source[0].rows();
    String status;
    String mismatch = null;
    List<String> differing = null;
    if (missing != null) {
      status = ReconcileReport.MISMATCH;
      mismatch = "missing_part";
      note = missing;
    } else if (sourceCount != null && exportedCount != null && !sourceCount.equals(exportedCount)) {
      status = ReconcileReport.MISMATCH;
      mismatch = "count";
    } else if (source[0] != null && exported != null) {
      if (source[0].checksum() == exported.checksum()) {
        status = ReconcileReport.MATCH;
      } else {
        status = ReconcileReport.MISMATCH;
        mismatch = "content";
        differing = differingColumns(c, d, plan, chunk, files);
      }
    } else {
      status = ReconcileReport.UNKNOWN;
    }
    return new ReconcileReport.Partition(
        chunk.kind().name().toLowerCase(Locale.ROOT),
        chunk.describe(),
        chunk.index(),
        startKey(chunk),
        endKey(chunk),
        sourceCount,
        exportedCount,
        source[0] == null ? null : source[0].hex(),
        exported == null ? null : exported.hex(),
        status,
        mismatch,
        differing,
        names,
        note);
  }

  /** The columns whose per-column sums differ; null when they cannot be computed. */
  private static List<String> differingColumns(
      Connection c, Dialect d, ExportPlan plan, ChunkSpec chunk, List<Manifest.Part> files) {
    try {
      long[][] source = new long[1][];
      new SessionGuard(d, plan.tuning())
          .run(
              c,
              () ->
                  source[0] =
                      SourceChecksums.columnSums(
                          c, d, plan, chunk, d.queryTimeoutSeconds(plan.tuning())));
      long[] exported = new long[plan.columns().size()];
      for (Manifest.Part p : files) {
        long[] part =
            ContentChecksum.columnSums(
                new BeamInputFile(BeamPartStore.resolve(plan.outputDir(), p.path())),
                plan.columns());
        for (int i = 0; i < exported.length; i++) {
          exported[i] += part[i];
        }
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < exported.length; i++) {
        if (exported[i] != source[0][i]) {
          out.add(plan.columns().get(i).name());
        }
      }
      return out;
    } catch (SQLException | IOException | RuntimeException e) {
      LOG.debug("per-column sums of {} failed", chunk.describe(), e);
      rollback(c);
      return null;
    }
  }

  private static String startKey(ChunkSpec c) {
    return switch (c.kind()) {
      case RANGE, DENSE, DAYS -> Long.toString(c.lo());
      case KEYSET -> c.keyFrom();
      default -> null;
    };
  }

  private static String endKey(ChunkSpec c) {
    return switch (c.kind()) {
      case RANGE, DENSE, DAYS -> Long.toString(c.hi());
      case KEYSET -> c.keyTo();
      default -> null;
    };
  }

  private static String strategy(ExportPlan plan) {
    Set<ChunkSpec.Kind> kinds = new TreeSet<>();
    plan.chunks().forEach(ch -> kinds.add(ch.kind()));
    kinds.remove(ChunkSpec.Kind.NULL_KEYS);
    return plan.mode()
        + (kinds.isEmpty() || kinds.equals(Set.of(ChunkSpec.Kind.WHOLE))
            ? ""
            : "/" + kinds.iterator().next().name().toLowerCase(Locale.ROOT));
  }

  private static void rollback(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // The next chunk's session set-up reports a broken connection itself.
    }
  }

  /** Beam's file systems set up for the export's destination (its store, region, credentials). */
  static void useDestination(ExportConfig export) {
    PipelineOptions options = PipelineOptionsFactory.create();
    CloudOptions.apply(options, List.of(export), System.getenv());
    FileSystems.setDefaultPipelineOptions(options);
  }

  /** The run's manifest at the destination, or null when there is none. */
  static Manifest manifest(ExportPlan plan) {
    try (InputStream in =
        Channels.newInputStream(
            FileSystems.open(BeamPartStore.resolve(plan.outputDir(), "manifest.json")))) {
      return Manifest.parse(in.readAllBytes());
    } catch (FileNotFoundException | NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new RivetException(
          ErrorCode.DESTINATION_FAILED,
          "cannot read " + plan.outputDir() + "/manifest.json: " + Redactor.redact(e.getMessage()),
          e);
    }
  }
}
