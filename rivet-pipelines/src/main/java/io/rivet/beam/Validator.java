package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.config.FileFormat;
import io.rivet.core.config.RivetConfig;
import io.rivet.core.config.VerifyMode;
import io.rivet.core.manifest.Manifest;
import io.rivet.core.manifest.ValidationReport;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.RunRecord;
import io.rivet.core.state.StateStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.parquet.hadoop.ParquetFileReader;

/**
 * Validates what a finished run left at its destination without querying the source (reference
 * §7.6), at three depths:
 *
 * <ul>
 *   <li>{@code light}: the manifest is there and readable, {@code _SUCCESS} is the fingerprint of
 *       its exact bytes, it agrees with itself (row and part counts, run, export) and with the
 *       ledger (the same parts, rows and fingerprints);
 *   <li>{@code sample}: and every part listed is at the destination with its size and checksum (a
 *       local file's SHA-256 re-read; an object store's reported MD5 or ETag, no download), and
 *       part files that no manifest lists are reported (advisory);
 *   <li>{@code full}: and every part is read whole: its SHA-256 against the manifest's fingerprint
 *       and its Parquet footer's row count against the manifest's rows.
 * </ul>
 */
public final class Validator {
  /** How deep a validation goes. */
  public enum Depth {
    light,
    sample,
    full
  }

  private static final String PREFIX = "RIVET_VERIFY_";

  private final RivetConfig cfg;
  private final StateStore state;

  public Validator(RivetConfig cfg, StateStore state) {
    this.cfg = cfg;
    this.state = state;
  }

  /** The depth an export's {@code verify:} asks for: {@code content} → full, else sample. */
  public static Depth defaultDepth(ExportConfig export) {
    return export.verify() == VerifyMode.CONTENT ? Depth.full : Depth.sample;
  }

  public ValidationReport validate(ExportConfig export, String runId, Depth depth) {
    RunRecord run = new Reconciler(cfg, state, "").run(export, runId);
    ExportPlan plan = state.loadPlan(run.runId());
    if (BeamPartStore.stdout(plan.outputDir())) {
      throw new RivetException(
          ErrorCode.CONFIG_INVALID,
          "export '"
              + export.name()
              + "' writes to stdout: there are no files or manifest to validate");
    }
    Reconciler.useDestination(export);
    List<ValidationReport.Failure> failures = new ArrayList<>();
    String dir = plan.outputDir();
    try {
      byte[] bytes = read(dir, FinalizeExportFn.MANIFEST);
      if (bytes == null) {
        boolean legacy = !DestinationGuard.scan(dir, export.name()).parts().isEmpty();
        failures.add(
            failure(
                "MANIFEST_REQUIRED",
                null,
                "no manifest.json at "
                    + dir
                    + (legacy ? " (the directory holds parts without one)" : "")));
        return report(export, run, depth, false, legacy, false, false, 0, List.of(), failures);
      }
      Manifest m;
      try {
        m = Manifest.parse(bytes);
      } catch (IllegalArgumentException e) {
        failures.add(failure("MANIFEST_READ_ERROR", null, e.getMessage()));
        return report(export, run, depth, true, false, false, false, 0, List.of(), failures);
      }
      boolean marker = checkSuccess(dir, bytes, failures);
      boolean self = checkManifest(export, run, m, failures);
      if (depth == Depth.light) {
        return report(export, run, depth, true, false, marker, self, 0, List.of(), failures);
      }
      int verified = 0;
      Map<String, PartRecord> ledger = new HashMap<>();
      state.parts(run.runId()).forEach(p -> ledger.put(p.fileName(), p));
      for (Manifest.Part p : m.parts()) {
        PartRecord rec = ledger.getOrDefault(p.path(), asRecord(m, p));
        PartVerifier.Check check = PartVerifier.verify(dir, rec);
        boolean ok = check.ok();
        if (!ok) {
          failures.add(failure(code(check.verdict()), p.path(), check.detail()));
        } else if (depth == Depth.full) {
          ok = readWhole(dir, plan, p, failures);
        }
        verified += ok ? 1 : 0;
      }
      return report(
          export,
          run,
          depth,
          true,
          false,
          marker,
          self,
          verified,
          untracked(export, plan, m),
          failures);
    } catch (IOException e) {
      throw new RivetException(
          ErrorCode.DESTINATION_FAILED,
          "export '" + export.name() + "': cannot read " + dir + ": " + e.getMessage(),
          e);
    }
  }

  private ValidationReport report(
      ExportConfig export,
      RunRecord run,
      Depth depth,
      boolean found,
      boolean legacy,
      boolean marker,
      boolean self,
      int verified,
      List<String> untracked,
      List<ValidationReport.Failure> failures) {
    int failedParts =
        (int) failures.stream().filter(f -> f.part() != null).map(f -> f.part()).distinct().count();
    return new ValidationReport(
        export.name(),
        run.runId(),
        depth.name(),
        found,
        legacy,
        marker,
        self,
        verified,
        failedParts,
        untracked,
        failures.isEmpty(),
        failures);
  }

  private static ValidationReport.Failure failure(String code, String part, String detail) {
    return new ValidationReport.Failure(PREFIX + code, part, detail);
  }

  private static String code(PartVerifier.Verdict v) {
    return switch (v) {
      case MISSING -> "PART_MISSING";
      case SIZE_DIFFERS -> "PART_SIZE_MISMATCH";
      case CONTENT_DIFFERS, OK -> "PART_CHECKSUM_MISMATCH";
    };
  }

  /** {@code _SUCCESS} holds {@code sha256:<hex>} of the manifest's exact bytes. */
  private static boolean checkSuccess(
      String dir, byte[] manifest, List<ValidationReport.Failure> failures) throws IOException {
    byte[] success = read(dir, FinalizeExportFn.SUCCESS);
    if (success == null) {
      failures.add(failure("SUCCESS_READ_ERROR", null, "no _SUCCESS at " + dir));
      return false;
    }
    String text = new String(success, StandardCharsets.UTF_8);
    if (!text.matches("sha256:[0-9a-f]{64}\n?")) {
      failures.add(failure("SUCCESS_MALFORMED", null, "_SUCCESS is not sha256:<64 hex digits>"));
      return false;
    }
    if (!text.strip().equals(Manifest.successMarker(manifest).strip())) {
      failures.add(
          failure(
              "SUCCESS_STALE",
              null,
              "_SUCCESS is "
                  + text.strip()
                  + " but the manifest's bytes are "
                  + Manifest.successMarker(manifest).strip()
                  + " (the manifest changed after _SUCCESS was written)"));
      return false;
    }
    return true;
  }

  /** The manifest against itself, its run and the ledger. */
  private boolean checkManifest(
      ExportConfig export, RunRecord run, Manifest m, List<ValidationReport.Failure> failures) {
    List<String> problems = new ArrayList<>();
    long rows = m.parts().stream().mapToLong(Manifest.Part::rows).sum();
    if (rows != m.rowCount()) {
      problems.add("row_count " + m.rowCount() + " but its parts hold " + rows);
    }
    if (m.partCount() != m.parts().size()) {
      problems.add("part_count " + m.partCount() + " but " + m.parts().size() + " parts listed");
    }
    if (!export.name().equals(m.exportName())) {
      problems.add("export_name is '" + m.exportName() + "'");
    }
    if (!run.runId().equals(m.runId())) {
      problems.add("it is of run " + m.runId() + ", not of run " + run.runId());
    } else {
      Map<String, Manifest.Part> listed = new HashMap<>();
      m.parts().forEach(p -> listed.put(p.path(), p));
      Set<String> inLedger = new HashSet<>();
      for (PartRecord p : state.parts(run.runId())) {
        if (!p.isFile()) {
          continue;
        }
        inLedger.add(p.fileName());
        Manifest.Part mp = listed.get(p.fileName());
        if (mp == null) {
          problems.add("the ledger's part " + p.fileName() + " is not listed");
        } else if (mp.rows() != p.rows() || !p.fingerprint().equals(mp.contentFingerprint())) {
          problems.add("part " + p.fileName() + " differs from the ledger's (rows or fingerprint)");
        }
      }
      listed.keySet().stream()
          .filter(n -> !inLedger.contains(n))
          .forEach(n -> problems.add("part " + n + " is not in the ledger"));
    }
    for (String p : problems) {
      failures.add(failure("MANIFEST_INCONSISTENT", null, p));
    }
    return problems.isEmpty();
  }

  /** A part read whole: its SHA-256 and, for Parquet, its footer's row count. */
  private static boolean readWhole(
      String dir, ExportPlan plan, Manifest.Part p, List<ValidationReport.Failure> failures)
      throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(BeamPartStore.resolve(dir, p.path())))) {
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
    }
    String found = "sha256:" + HexFormat.of().formatHex(sha.digest());
    if (!found.equals(p.contentFingerprint())) {
      failures.add(
          failure(
              "PART_CHECKSUM_MISMATCH",
              p.path(),
              "content " + found + ", manifest " + p.contentFingerprint()));
      return false;
    }
    if (plan.format() == FileFormat.PARQUET) {
      try (ParquetFileReader r =
          ParquetFileReader.open(new BeamInputFile(BeamPartStore.resolve(dir, p.path())))) {
        long rows = r.getRecordCount();
        if (rows != p.rows()) {
          failures.add(
              failure(
                  "PART_ROWS_MISMATCH",
                  p.path(),
                  "the file holds " + rows + " rows, the manifest says " + p.rows()));
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Part files of the export in its directory that the manifest does not list, except — for
   * incremental exports, which append — parts of its other completed runs.
   */
  private List<String> untracked(ExportConfig export, ExportPlan plan, Manifest m)
      throws IOException {
    Set<String> listed = new HashSet<>();
    m.parts().forEach(p -> listed.add(p.path()));
    Set<String> kept = new HashSet<>();
    if (Retirement.appends(plan)) {
      Set<String> completed = new HashSet<>();
      state.runs(export.name(), Integer.MAX_VALUE).stream()
          .filter(r -> RunRecord.COMPLETED.equals(r.status()))
          .forEach(r -> completed.add(r.runId()));
      state.files(export.name(), Integer.MAX_VALUE).stream()
          .filter(p -> completed.contains(p.runId()))
          .forEach(p -> kept.add(p.fileName()));
    }
    return DestinationGuard.scan(plan.outputDir(), export.name()).parts().stream()
        .filter(n -> !listed.contains(n) && !kept.contains(n))
        .toList();
  }

  private static PartRecord asRecord(Manifest m, Manifest.Part p) {
    return new PartRecord(
        m.runId(),
        m.exportName(),
        p.chunkIndex(),
        p.rangeStart(),
        p.rangeEnd(),
        p.path(),
        p.rows(),
        p.sizeBytes(),
        p.contentFingerprint(),
        null,
        null,
        p.contentMd5(),
        null);
  }

  /** A file's bytes, or null when it does not exist. */
  static byte[] read(String dir, String name) throws IOException {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(BeamPartStore.resolve(dir, name)))) {
      return in.readAllBytes();
    } catch (FileNotFoundException | NoSuchFileException e) {
      return null;
    }
  }
}
