package io.rivet.beam;

import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every committed part of a run is checked at the destination (reference §5.3, M8) before a resume
 * and again before the manifest: present with its recorded size and content ({@link PartVerifier})
 * → kept; missing → forgotten, so its range is read and written again under the same name; present
 * with another size or other bytes → moved to {@code _quarantine/<run_id>/} (never deleted),
 * forgotten and rewritten.
 */
final class ResumeCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ResumeCheck.class);

  private ResumeCheck() {}

  static void verify(ExportPlan plan, StateStore state) throws IOException {
    verifyCommitted(plan, state);
  }

  /**
   * Checks every committed part of the run; each one that is not what the ledger recorded is
   * quarantined (when present), forgotten and its chunk reopened. Returns the failed checks (empty
   * when every part is intact).
   */
  static List<PartVerifier.Check> verifyCommitted(ExportPlan plan, StateStore state)
      throws IOException {
    if (BeamPartStore.stdout(plan.outputDir())) {
      return List.of();
    }
    List<PartRecord> parts = state.parts(plan.runId()).stream().filter(PartRecord::isFile).toList();
    List<PartVerifier.Check> bad = new ArrayList<>();
    for (PartRecord p : parts) {
      PartVerifier.Check check = PartVerifier.verify(plan.outputDir(), p);
      if (check.ok()) {
        continue;
      }
      bad.add(check);
      boolean present = check.verdict() != PartVerifier.Verdict.MISSING;
      if (present) {
        ResourceId id = BeamPartStore.resolve(plan.outputDir(), p.fileName());
        ResourceId q =
            BeamPartStore.resolve(
                plan.outputDir(), "_quarantine/" + plan.runId() + "/" + p.fileName());
        if (!BeamPartStore.objectStore(plan.outputDir())) {
          Files.createDirectories(Path.of(plan.outputDir(), "_quarantine", plan.runId()));
        }
        FileSystems.rename(List.of(id), List.of(q));
      }
      LOG.warn(
          "export '{}': committed part {} is {} at the destination ({}); it will be written again",
          plan.exportName(),
          p.fileName(),
          describe(check.verdict()),
          check.detail());
      state.journal(
          plan.runId(),
          plan.exportName(),
          "Warning",
          "{\"part\":\""
              + p.fileName()
              + "\",\"found\":\""
              + check.verdict().name().toLowerCase(Locale.ROOT)
              + "\",\"decision\":\""
              + (present ? "quarantine+rewrite" : "rewrite")
              + "\"}");
      forget(plan, state, p, parts);
    }
    return bad;
  }

  static String describe(PartVerifier.Verdict v) {
    return switch (v) {
      case OK -> "intact";
      case MISSING -> "missing";
      case SIZE_DIFFERS -> "a different size";
      case CONTENT_DIFFERS -> "different bytes";
    };
  }

  /**
   * Keyset pages continue from the previous page's last key, so a lost page takes the later pages
   * with it.
   */
  private static void forget(
      ExportPlan plan, StateStore state, PartRecord lost, List<PartRecord> parts) {
    ChunkSpec chunk = plan.chunk(lost.chunkIndex());
    if (chunk.kind() == ChunkSpec.Kind.KEYSET) {
      long page = page(lost.fileName());
      for (PartRecord p : parts) {
        if (p.chunkIndex() == lost.chunkIndex() && (!p.isFile() || page(p.fileName()) >= page)) {
          state.forgetPart(plan.runId(), p.fileName());
        }
      }
      state.parts(plan.runId(), lost.chunkIndex()).stream()
          .filter(p -> !p.isFile())
          .forEach(p -> state.forgetPart(plan.runId(), p.fileName()));
    } else {
      state.forgetPart(plan.runId(), lost.fileName());
    }
    state.reopenChunk(plan.runId(), lost.chunkIndex());
  }

  private static long page(String name) {
    if (!name.contains("_p")) {
      return Long.MAX_VALUE;
    }
    String base = name.substring(0, name.lastIndexOf('.'));
    return Long.parseLong(base.substring(base.lastIndexOf("_p") + 2));
  }
}
