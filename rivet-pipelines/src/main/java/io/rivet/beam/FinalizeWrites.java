package io.rivet.beam;

import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.PartRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * What finalize writes and moves at the destination: parts of the run that the ledger does not know
 * go to {@code _quarantine/<run_id>/} (never deleted), temporary files of killed writers are
 * dropped, and the manifest and {@code _SUCCESS} are written atomically.
 */
final class FinalizeWrites {
  private FinalizeWrites() {}

  static void quarantineUntracked(ExportPlan plan, List<PartRecord> ledger) throws IOException {
    Set<String> known = ledger.stream().map(PartRecord::fileName).collect(Collectors.toSet());
    String pattern = BeamPartStore.resolve(plan.outputDir(), plan.filePrefix() + "_*").toString();
    MatchResult match = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
    List<ResourceId> from = new ArrayList<>();
    List<ResourceId> to = new ArrayList<>();
    for (MatchResult.Metadata m : match.metadata()) {
      String name = m.resourceId().getFilename();
      if (!known.contains(name)) {
        from.add(m.resourceId());
        to.add(BeamPartStore.resolve(plan.outputDir(), "_quarantine/" + plan.runId() + "/" + name));
      }
    }
    if (!from.isEmpty()) {
      if (!plan.outputDir().contains("://")) {
        Files.createDirectories(Path.of(plan.outputDir(), "_quarantine", plan.runId()));
      }
      FileSystems.rename(from, to);
    }
    // Temporary files of this run left by killed writers: hidden, never published, and no writer of
    // the run is left.
    List<ResourceId> temps = new ArrayList<>();
    for (String name : DestinationGuard.list(plan.outputDir())) {
      if (BeamPartStore.isTempOf(name, plan.filePrefix() + "_")) {
        temps.add(BeamPartStore.resolve(plan.outputDir(), name));
      }
    }
    FileSystems.delete(temps, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
  }

  static void writeAtomically(String dir, String name, byte[] content) throws IOException {
    if (BeamPartStore.objectStore(dir)) {
      // One PUT: the object appears whole or not at all.
      try (OutputStream os =
          Channels.newOutputStream(
              FileSystems.create(BeamPartStore.resolve(dir, name), MimeTypes.TEXT))) {
        os.write(content);
      }
      return;
    }
    ResourceId tmp = BeamPartStore.resolve(dir, BeamPartStore.tempName(name));
    try (OutputStream os = Channels.newOutputStream(FileSystems.create(tmp, MimeTypes.TEXT))) {
      os.write(content);
    }
    FileSystems.rename(List.of(tmp), List.of(BeamPartStore.resolve(dir, name)));
  }
}
