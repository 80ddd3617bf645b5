package io.rivet.core.check;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.ExportMode;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.dialect.Dialect;
import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.Planner;
import io.rivet.core.schema.ColumnMapping;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code rivet check}: plans each export as a run would — the same queries for columns, bounds and
 * keys, nothing written, no lease — and reads the engine's statistics and EXPLAIN to say how the
 * run will treat the source: a verdict {@code EFFICIENT > ACCEPTABLE > DEGRADED > UNSAFE}, warnings
 * with a severity, the parallelism worth asking for, and a type report per target. Advisory: it
 * never blocks a run.
 */
public final class Checker {
  private final RivetConfig cfg;
  private final Planner planner;

  public Checker(RivetConfig cfg, String stateUrl) {
    this.cfg = cfg;
    this.planner = new Planner(cfg, stateUrl);
  }

  /** A check and the plan it made (null when the export could not be planned). */
  public record Checked(CheckReport report, ExportPlan plan) {}

  public CheckReport check(ExportConfig e, Set<TargetTypes.Target> targets, String storedCursor) {
    return checked(e, targets, storedCursor).report();
  }

  /** As {@link #check}, keeping the plan ({@code rivet plan} seals it). */
  public Checked checked(ExportConfig e, Set<TargetTypes.Target> targets, String storedCursor) {
    List<CheckReport.Warning> warnings = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    List<String> unsupported = e.unsupported(cfg);
    if (!unsupported.isEmpty()) {
      warnings.add(
          new CheckReport.Warning(
              "high", "settings not supported yet (a run refuses them): " + unsupported));
    }
    ExportPlan plan;
    try {
      plan = planner.plan(e, Instant.now(), storedCursor, null);
    } catch (RivetException x) {
      if (x.code() != ErrorCode.TYPE_UNSUPPORTED
          && x.code() != ErrorCode.CONFIG_INVALID
          && x.code() != ErrorCode.NOT_SUPPORTED_YET
          && x.code() != ErrorCode.VALUE_INVALID) {
        throw x;
      }
      violations.add(x.getMessage());
      warnings.add(
          new CheckReport.Warning("high", "the export cannot be planned: " + x.getMessage()));
      return new Checked(
          new CheckReport(
              e.name(),
              List.of(),
              violations,
              new CheckReport.Diagnostic(
                  e.name(),
                  null,
                  mode(e),
                  "UNSAFE",
                  null,
                  null,
                  0,
                  warnings,
                  new CheckReport.RecommendedParallel(1, "the export cannot be planned"),
                  new CheckReport.Capabilities(null, false, false))),
          null);
    }
    Dialect d = plan.connection().dialect();
    Long rows = null;
    Long avgBytes = null;
    Optional<Boolean> usesIndex = Optional.empty();
    String strategy = strategy(plan);
    List<ChunkSpec> ranges =
        plan.chunks().stream().filter(c -> c.kind() == ChunkSpec.Kind.RANGE).toList();
    try (Connection c = plan.connection().open()) {
      c.setAutoCommit(true);
      if (e.table() != null) {
        OptionalLong r = d.rowEstimate(c, e.table());
        rows = r.isPresent() && r.getAsLong() >= 0 ? r.getAsLong() : null;
        OptionalLong a = d.avgRowBytes(c, e.table());
        avgBytes = a.isPresent() ? a.getAsLong() : null;
      }
      if (!ranges.isEmpty()) {
        ChunkSpec first = ranges.get(0);
        usesIndex = d.rangeUsesIndex(c, plan.readSpec(), first.lo(), first.hi());
      }
    } catch (SQLException x) {
      warnings.add(
          new CheckReport.Warning(
              "low", "the engine's statistics could not be read: " + x.getMessage()));
    }
    int chunks = plan.chunks().size();
    String verdict = "EFFICIENT";
    if (e.mode() == ExportMode.CHUNKED) {
      if (!ranges.isEmpty() && usesIndex.isEmpty()) {
        verdict = "ACCEPTABLE";
        warnings.add(
            new CheckReport.Warning(
                "low", "the engine's plan for a chunk cannot be read here (" + d.name() + ")"));
      } else if (usesIndex.isPresent() && !usesIndex.get() && ranges.size() > 1) {
        verdict = "DEGRADED";
        warnings.add(
            new CheckReport.Warning(
                "high",
                "each of the "
                    + ranges.size()
                    + " chunks scans the whole table (sequential scan): index "
                    + plan.chunkColumn()
                    + ", or use fewer, larger chunks"));
      }
      if (plan.chunks().stream().anyMatch(c -> c.kind() == ChunkSpec.Kind.DENSE)) {
        warnings.add(
            new CheckReport.Warning(
                "medium",
                "chunk_dense numbers the rows for every chunk: each chunk reads the key order"));
      }
    } else if (e.mode() == ExportMode.FULL && rows != null && rows > 5_000_000) {
      verdict = "ACCEPTABLE";
      warnings.add(
          new CheckReport.Warning(
              "medium",
              String.format(
                  Locale.ROOT,
                  "one statement reads ~%,d rows for as long as the export takes; mode: chunked reads"
                      + " it in short statements and resumes after a failure",
                  rows)));
    } else if (e.mode() == ExportMode.INCREMENTAL) {
      warnings.add(
          new CheckReport.Warning(
              "low", "whether the cursor column is indexed is not checked yet"));
    }
    if (!e.notSupportedYet().isEmpty() || !cfg.notSupportedYet().isEmpty()) {
      verdict = "UNSAFE";
    }
    long n = rows == null ? 0 : rows;
    int level = n < 500_000 ? 1 : n < 5_000_000 ? 2 : 4;
    String why =
        rows == null
            ? "no row estimate"
            : String.format(Locale.ROOT, "~%,d rows", rows)
                + (e.mode() == ExportMode.CHUNKED ? "" : "; only chunked exports read in parallel");
    if (e.mode() != ExportMode.CHUNKED) {
      level = 1;
    }
    List<CheckReport.Column> columns = new ArrayList<>();
    for (ColumnMapping m : plan.columns()) {
      Map<String, TargetTypes.Mapping> perTarget = new LinkedHashMap<>();
      for (TargetTypes.Target t : targets) {
        TargetTypes.Mapping mapping = TargetTypes.of(m, t);
        perTarget.put(t.name().toLowerCase(Locale.ROOT), mapping);
        if (mapping.lossy()) {
          violations.add(
              m.name()
                  + " ("
                  + m.sourceType()
                  + ") → "
                  + t.name().toLowerCase(Locale.ROOT)
                  + " "
                  + mapping.type()
                  + ": "
                  + mapping.note());
        }
      }
      columns.add(
          new CheckReport.Column(m.name(), m.sourceType(), TargetTypes.parquet(m), perTarget));
    }
    return new Checked(
        new CheckReport(
            e.name(),
            columns,
            violations,
            new CheckReport.Diagnostic(
                e.name(),
                strategy,
                mode(e),
                verdict,
                rows,
                avgBytes,
                chunks,
                warnings,
                new CheckReport.RecommendedParallel(level, why),
                new CheckReport.Capabilities(
                    usesIndex.orElse(null),
                    e.mode() == ExportMode.INCREMENTAL,
                    e.mode() == ExportMode.CHUNKED && chunks > 1))),
        plan);
  }

  private static String mode(ExportConfig e) {
    return e.mode().name().toLowerCase(Locale.ROOT);
  }

  private static String strategy(ExportPlan plan) {
    return plan.chunks().stream()
        .map(ChunkSpec::kind)
        .filter(k -> k != ChunkSpec.Kind.NULL_KEYS)
        .findFirst()
        .map(k -> k.name().toLowerCase(Locale.ROOT))
        .orElse("whole");
  }
}
