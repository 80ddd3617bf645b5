package io.rivet.beam;

import io.rivet.core.ErrorCode;
import io.rivet.core.RivetException;
import io.rivet.core.config.ExportConfig;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.plan.Planner;
import io.rivet.core.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Claiming an export's destination before a run writes: the directory must be this export's and
 * this state store's (or be taken over with {@code --force}); then the marker names this run, and
 * parts of runs that never finished are retired.
 */
final class DestinationClaim {
  private final String configArg;
  private final String stateUrl;

  DestinationClaim(String configArg, String stateUrl) {
    this.configArg = configArg;
    this.stateUrl = stateUrl;
  }

  /**
   * Before anything is written: the destination must be this export's and this state store's (or be
   * taken over with {@code force}); then the marker names this run, and parts of runs that never
   * finished are retired.
   */
  void claimDestination(ExportPlan plan, StateStore state, String storeId, boolean force) {
    if (BeamPartStore.stdout(plan.outputDir())) {
      return;
    }
    try {
      DestinationGuard.check(plan, state, storeId, stateUrl, force, configArg);
      DestinationGuard.claim(plan, storeId, stateUrl, holder());
      Retirement.retireSuperseded(plan, state, false);
    } catch (IOException e) {
      throw new RivetException(
          ErrorCode.DESTINATION_FAILED,
          "export '"
              + plan.exportName()
              + "': cannot check the"
              + " destination "
              + plan.outputDir()
              + " before writing: "
              + e.getMessage()
              + "; nothing was written; fix"
              + " access to the destination and run again",
          e);
    }
  }

  private static String holder() {
    return ProcessHandle.current().pid() + "@" + hostName();
  }

  private static String hostName() {
    String h = System.getenv("HOSTNAME");
    if (h != null && !h.isBlank()) {
      return h;
    }
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException | RuntimeException e) {
      return "localhost";
    }
  }

  /**
   * A {@code --resume} with nothing unfinished writes nothing — unless the destination shows the
   * state was lost (files of a run this store does not know), which is refused as a plain run would
   * be.
   */
  void checkNothingLeft(
      Planner planner, StateStore state, String storeId, ExportConfig e, Instant started) {
    String dir = planner.outputDirOf(e, started);
    if (dir == null) {
      return;
    }
    ExportPlan probe =
        new ExportPlan(
            e.name(),
            "probe",
            "",
            null,
            "",
            List.of(),
            null,
            List.of(),
            List.of(),
            e.format(),
            e.compression(),
            null,
            dir,
            e.name() + "_probe",
            0,
            0,
            e.tuning(),
            false,
            false,
            false,
            stateUrl,
            e.mode().name().toLowerCase(Locale.ROOT),
            null,
            0,
            null,
            0,
            0);
    try {
      DestinationGuard.check(probe, state, storeId, stateUrl, false, configArg);
    } catch (IOException io) {
      throw new RivetException(
          ErrorCode.DESTINATION_FAILED,
          "export '"
              + e.name()
              + "': cannot check the destination "
              + dir
              + ": "
              + io.getMessage()
              + "; nothing was written",
          io);
    }
  }
}
