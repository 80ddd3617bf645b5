package io.rivet.beam;

import io.rivet.beam.DestinationGuard.Contents;
import io.rivet.beam.DestinationGuard.Marker;
import io.rivet.core.Redactor;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.state.PartRecord;
import io.rivet.core.state.StateStore;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What stands in the way of a run writing its export's directory, as the message the operator
 * reads: the owner there, what it holds, and the two ways out (put the state back, or {@code
 * --force}).
 */
final class DestinationConflicts {
  private DestinationConflicts() {}

  /** What stands in the way of writing {@code c}'s directory, or null when nothing does. */
  static String conflict(
      ExportPlan plan,
      StateStore state,
      String storeId,
      String stateUrl,
      Contents c,
      String configArg) {
    Marker m = c.marker();
    Recovery r = new Recovery(plan, configArg);
    if (m != null && !storeId.equals(m.stateStoreId())) {
      return Redactor.redact(stateUrl).equals(m.stateStore())
          ? replacedStore(r, m, storeId, c)
          : otherStore(r, m, c);
    }
    if (m != null && !plan.exportName().equals(m.exportName())) {
      return otherExport(r, m);
    }
    if (m == null && c.anyFiles()) {
      return untracked(r, state, stateUrl, c);
    }
    return null;
  }

  /** The export, its directory, and the two ways out of a conflict. */
  private record Recovery(String export, String dir, String force, String retired) {
    Recovery(ExportPlan plan, String configArg) {
      this(
          plan.exportName(),
          plan.outputDir(),
          "rivet run -c " + configArg + " -e " + plan.exportName() + " --force",
          plan.outputDir() + "/" + DestinationGuard.RETIRED + "/<time>/");
    }
  }

  private static String here(Marker m, Contents c) {
    return c.anyFiles() ? " It holds " + c.describe() + " of run " + m.runId() + "." : "";
  }

  private static String replacedStore(Recovery r, Marker m, String storeId, Contents c) {
    return "export '"
        + r.export()
        + "': "
        + r.dir()
        + " was written with the state store at "
        + m.stateStore()
        + " (id "
        + m.stateStoreId()
        + "), but the state store there now is a new one (id "
        + storeId
        + "): the state file was"
        + " deleted or replaced."
        + here(m, c)
        + " Without that state rivet cannot tell which of those parts are committed,"
        + " and a new run beside them would hold rows twice. Recover one way or the other: put the old state file"
        + " back and run again (with --resume if its run was unfinished); or start over with '"
        + r.force()
        + "', which"
        + " first moves every earlier file of the export to "
        + r.retired()
        + " (nothing is deleted)";
  }

  private static String otherStore(Recovery r, Marker m, Contents c) {
    return "export '"
        + r.export()
        + "': "
        + r.dir()
        + " belongs to export '"
        + m.exportName()
        + "' of another state store ("
        + m.stateStore()
        + ", id "
        + m.stateStoreId()
        + ", run "
        + m.runId()
        + ", written by "
        + m.holder()
        + ")."
        + here(m, c)
        + " Two configs or state files writing one directory would mix their rows. Give this export its own"
        + " destination.path (e.g. ./out/{export}); or, if that other state store is gone for good, take the"
        + " directory over with '"
        + r.force()
        + "' (its files move to "
        + r.retired()
        + ")";
  }

  private static String otherExport(Recovery r, Marker m) {
    return "export '"
        + r.export()
        + "': "
        + r.dir()
        + " belongs to export '"
        + m.exportName()
        + "' of this state store (run "
        + m.runId()
        + "); two exports writing one directory would overwrite each other's manifest. Give each its own"
        + " destination.path (e.g. ./out/{export})";
  }

  private static String untracked(Recovery r, StateStore state, String stateUrl, Contents c) {
    Set<String> known =
        state.files(r.export(), Integer.MAX_VALUE).stream()
            .map(PartRecord::fileName)
            .collect(Collectors.toSet());
    List<String> unknown = c.parts().stream().filter(n -> !known.contains(n)).toList();
    boolean foreignSidecars =
        known.isEmpty() && (c.manifest() || c.success() || !c.temps().isEmpty());
    if (!unknown.isEmpty() || foreignSidecars) {
      return "export '"
          + r.export()
          + "': "
          + r.dir()
          + " holds "
          + c.describe()
          + " that this state store ("
          + Redactor.redact(stateUrl)
          + ") has no record of"
          + (unknown.isEmpty() ? "" : " (first: " + unknown.get(0) + ")")
          + ": the state was lost, or another tool wrote them. A new run beside them would hold rows twice. Recover"
          + " one way or the other: put the state file that wrote them back and run again (with --resume if its run"
          + " was unfinished); or start over with '"
          + r.force()
          + "', which first moves every earlier file of the export"
          + " to "
          + r.retired()
          + " (nothing is deleted)";
    }
    return null;
  }
}
