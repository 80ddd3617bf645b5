package io.rivet.core.extract;

/**
 * A part was about to be published under a name the ledger already holds: another copy of the same
 * work (a zombie or speculative worker, a second delivery of the bundle) committed it first. The
 * copy stops; what it wrote is not the export's.
 */
public final class PartTakenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String partName;

  public PartTakenException(String partName) {
    super("part " + partName + " is already committed by another copy of this work");
    this.partName = partName;
  }

  public String partName() {
    return partName;
  }
}
