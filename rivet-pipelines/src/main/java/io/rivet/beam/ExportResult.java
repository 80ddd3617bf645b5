package io.rivet.beam;

import io.rivet.core.ExportFailure;
import java.io.Serializable;

/**
 * What {@link RivetIO#export()} did with one export, emitted once the export is done, so that steps
 * downstream can {@code Wait.on} it or act on it.
 *
 * @param export the export's name (a partition's child export for a partitioned one)
 * @param runId the run that wrote it; null when nothing was started
 * @param status how it ended
 * @param rows rows written in the run's committed parts
 * @param files part files written (0 for {@code stdout})
 * @param bytes bytes of those files
 * @param manifest where the run's {@code manifest.json} is (a path or a file-system URI); null
 *     unless {@link Status#SUCCEEDED} with a file destination
 * @param errorCode the {@code ErrorCode} name of a failure, else null
 * @param message why it failed or was skipped, with what to do next; null when it succeeded
 */
public record ExportResult(
    String export,
    String runId,
    Status status,
    long rows,
    long files,
    long bytes,
    String manifest,
    String errorCode,
    String message)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How an export ended. */
  public enum Status {
    /** Every chunk committed; the manifest and {@code _SUCCESS} are written. */
    SUCCEEDED,
    /** Nothing to do: a resume found no unfinished run. */
    SKIPPED,
    /**
     * The export failed on its own (its source, data, drift or destination); the other exports of
     * the pipeline went on, and a resume continues it.
     */
    FAILED
  }

  public boolean succeeded() {
    return status == Status.SUCCEEDED;
  }

  static ExportResult skipped(String export, String why) {
    return new ExportResult(export, null, Status.SKIPPED, 0, 0, 0, null, null, why);
  }

  static ExportResult failed(String export, String runId, ExportFailure failure) {
    return new ExportResult(
        export, runId, Status.FAILED, 0, 0, 0, null, failure.code().name(), failure.message());
  }
}
