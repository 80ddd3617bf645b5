package io.rivet.beam;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rivet.core.ErrorCode;
import io.rivet.core.Json;
import io.rivet.core.Redactor;
import io.rivet.core.RivetException;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The destination half of "one writer per export": a marker file {@value #MARKER} in the export's
 * directory names the state store (by the random id it was created with), the export and the run
 * that write there. Before a run writes anything, the directory is checked:
 *
 * <ul>
 *   <li>a marker of another state store — a second config, a second state file, or this state file
 *       deleted and made anew — is refused, naming the owner and the recovery;
 *   <li>a marker of another export of the same store is refused;
 *   <li>no marker, but files of the export that this state store's ledger does not know (state
 *       lost, or written by something else) is refused with the recovery;
 *   <li>{@code --force} moves every earlier file of the export to {@code _retired/<stamp>/}
 *       (nothing is deleted) and takes the directory over.
 * </ul>
 *
 * The marker starts with {@code _}, so readers that follow the Hadoop convention do not see it.
 */
final class DestinationGuard {
  static final String MARKER = "_rivet_owner.json";
  static final String RETIRED = "_retired";

  private DestinationGuard() {}

  /** The marker's content. */
  record Marker(
      @JsonProperty("marker_version") int markerVersion,
      @JsonProperty("state_store_id") String stateStoreId,
      @JsonProperty("state_store") String stateStore,
      @JsonProperty("export_name") String exportName,
      @JsonProperty("run_id") String runId,
      @JsonProperty("holder") String holder,
      @JsonProperty("written_at") String writtenAt) {}

  /** What an export's directory holds of rivet's files. */
  record Contents(
      Marker marker, List<String> parts, List<String> temps, boolean manifest, boolean success) {
    boolean anyFiles() {
      return !parts.isEmpty() || !temps.isEmpty() || manifest || success;
    }

    List<String> all() {
      List<String> out = new ArrayList<>(parts);
      out.addAll(temps);
      if (manifest) {
        out.add(FinalizeExportFn.MANIFEST);
      }
      if (success) {
        out.add(FinalizeExportFn.SUCCESS);
      }
      if (marker != null) {
        out.add(MARKER);
      }
      return out;
    }

    String describe() {
      List<String> what = new ArrayList<>();
      if (!parts.isEmpty()) {
        what.add(parts.size() + " part file(s)");
      }
      if (!temps.isEmpty()) {
        what.add(temps.size() + " unfinished temporary file(s)");
      }
      if (manifest) {
        what.add("a manifest.json");
      }
      if (success) {
        what.add("a _SUCCESS");
      }
      return String.join(", ", what);
    }
  }

  /**
   * Part files of {@code exportName}, of any run: {@code
   * <export>_<yyyyMMdd_HHmmss_SSS>_chunk<i>_<key>.<ext>}, or with a repair's id before {@code
   * _chunk} ({@code _repair<yyyyMMdd'T'HHmmssSSS><nonce>}).
   */
  static Pattern partPattern(String exportName) {
    return Pattern.compile(
        Pattern.quote(exportName)
            + "_\\d{8}_\\d{6}_\\d{3}(_repair\\d{8}T\\d{9}[0-9a-f]{4})?_chunk\\d+_.+\\.(parquet|csv)");
  }

  static Contents scan(String dir, String exportName) throws IOException {
    Pattern part = partPattern(exportName);
    List<String> names = list(dir);
    List<String> parts = names.stream().filter(n -> part.matcher(n).matches()).sorted().toList();
    List<String> temps =
        names.stream()
            .filter(
                n ->
                    n.startsWith(".")
                        && n.endsWith(".tmp")
                        && part.matcher(n.substring(1)).lookingAt())
            .sorted()
            .toList();
    Marker marker = names.contains(MARKER) ? readMarker(dir) : null;
    return new Contents(
        marker,
        parts,
        temps,
        names.contains(FinalizeExportFn.MANIFEST),
        names.contains(FinalizeExportFn.SUCCESS));
  }

  /** File names directly in {@code dir} (none when it does not exist yet). */
  static List<String> list(String dir) throws IOException {
    if (!BeamPartStore.objectStore(dir)) {
      Path p = Path.of(dir);
      if (!Files.isDirectory(p)) {
        return List.of();
      }
      try (Stream<Path> s = Files.list(p)) {
        return s.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
      }
    }
    MatchResult m =
        FileSystems.match(BeamPartStore.resolve(dir, "*").toString(), EmptyMatchTreatment.ALLOW);
    if (m.status() != MatchResult.Status.OK) {
      throw new IOException("cannot list " + dir + ": " + m.status());
    }
    return m.metadata().stream()
        .map(md -> md.resourceId().getFilename())
        .filter(n -> n != null && !n.isEmpty())
        .toList();
  }

  private static Marker readMarker(String dir) throws IOException {
    byte[] bytes;
    try (var in = Channels.newInputStream(FileSystems.open(BeamPartStore.resolve(dir, MARKER)))) {
      bytes = in.readAllBytes();
    }
    try {
      return Json.MAPPER.readValue(bytes, Marker.class);
    } catch (IOException e) {
      throw new RivetException(
          ErrorCode.DESTINATION_CONFLICT,
          dir
              + "/"
              + MARKER
              + " is not a rivet destination marker ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); move it away if it is not rivet's, or pass --force to take the directory over");
    }
  }

  /**
   * Checks the export's directory before the run writes, and with {@code force} moves what stands
   * in the way to {@code _retired/}. Throws {@code DESTINATION_CONFLICT} naming the owner and the
   * recovery.
   */
  static void check(
      ExportPlan plan,
      StateStore state,
      String storeId,
      String stateUrl,
      boolean force,
      String configArg)
      throws IOException {
    String dir = plan.outputDir();
    Contents c = scan(dir, plan.exportName());
    String conflict = DestinationConflicts.conflict(plan, state, storeId, stateUrl, c, configArg);
    if (conflict == null) {
      return;
    }
    if (!force) {
      throw new RivetException(ErrorCode.DESTINATION_CONFLICT, conflict);
    }
    retire(dir, c.all(), RETIRED + "/" + Instant.now().toString().replace(":", ""));
  }

  /**
   * Writes the marker for this run. Where the directory had none, it is created only if still
   * absent (a hard link on a local disk), so of two stores that checked an empty directory at once,
   * one claims it and the other is refused; on object stores the marker is read back after writing,
   * and checked again before {@code _SUCCESS}.
   */
  static void claim(ExportPlan plan, String storeId, String stateUrl, String holder)
      throws IOException {
    String dir = plan.outputDir();
    Marker mine =
        new Marker(
            1,
            storeId,
            Redactor.redact(stateUrl),
            plan.exportName(),
            plan.runId(),
            holder,
            Instant.now().toString());
    byte[] bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(mine);
    if (!BeamPartStore.objectStore(dir)) {
      Path d = Path.of(dir);
      Files.createDirectories(d);
      Path tmp = d.resolve(BeamPartStore.tempName(MARKER));
      Files.write(tmp, bytes);
      Path marker = d.resolve(MARKER);
      try {
        if (Files.exists(marker)) {
          Marker there = readMarker(dir);
          if (!storeId.equals(there.stateStoreId())) {
            throw taken(plan, there);
          }
          Files.move(
              tmp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
          try {
            Files.createLink(marker, tmp);
          } catch (FileAlreadyExistsException raced) {
            Marker there = readMarker(dir);
            if (!storeId.equals(there.stateStoreId())
                || !plan.exportName().equals(there.exportName())) {
              throw taken(plan, there);
            }
            Files.move(
                tmp, marker, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          }
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return;
    }
    try (OutputStream os =
        Channels.newOutputStream(
            FileSystems.create(BeamPartStore.resolve(dir, MARKER), MimeTypes.TEXT))) {
      os.write(bytes);
    }
    verifyOwned(plan, storeId);
  }

  /**
   * Fails unless the directory's marker still names this store and export (checked again before
   * {@code _SUCCESS}).
   */
  static void verifyOwned(ExportPlan plan, String storeId) throws IOException {
    Marker there;
    try {
      there = readMarker(plan.outputDir());
    } catch (IOException missing) {
      throw new RivetException(
          ErrorCode.DESTINATION_CONFLICT,
          "export '"
              + plan.exportName()
              + "': the destination"
              + " marker "
              + plan.outputDir()
              + "/"
              + MARKER
              + " is gone ("
              + missing.getMessage()
              + "); something else is"
              + " managing this directory. No _SUCCESS was written; 'rivet run --resume' checks the directory again",
          missing);
    }
    if (!storeId.equals(there.stateStoreId()) || !plan.exportName().equals(there.exportName())) {
      throw taken(plan, there);
    }
  }

  private static RivetException taken(ExportPlan plan, Marker there) {
    return new RivetException(
        ErrorCode.DESTINATION_CONFLICT,
        "export '"
            + plan.exportName()
            + "': "
            + plan.outputDir()
            + " was just claimed by export '"
            + there.exportName()
            + "' of another state store ("
            + there.stateStore()
            + ", run "
            + there.runId()
            + ", "
            + there.holder()
            + "); two configs or state files are writing one directory. Give this"
            + " export its own destination.path (e.g. ./out/{export})");
  }

  /** Moves files of {@code dir} (names directly in it) under {@code dir/<sub>/}, never deleting. */
  static void retire(String dir, List<String> names, String sub) throws IOException {
    if (names.isEmpty()) {
      return;
    }
    List<ResourceId> from = new ArrayList<>();
    List<ResourceId> to = new ArrayList<>();
    for (String n : names) {
      from.add(BeamPartStore.resolve(dir, n));
      to.add(BeamPartStore.resolve(dir, sub + "/" + n));
    }
    if (!BeamPartStore.objectStore(dir)) {
      Files.createDirectories(Path.of(dir).resolve(sub));
    }
    FileSystems.rename(from, to);
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
