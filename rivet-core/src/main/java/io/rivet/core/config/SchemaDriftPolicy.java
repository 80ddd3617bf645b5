package io.rivet.core.config;

/**
 * {@code on_schema_drift}: what a change of the exported columns since the stored baseline does.
 */
public enum SchemaDriftPolicy {
  /** Log a warning, store the new baseline, continue. */
  WARN,
  /** Store the new baseline silently and continue. */
  CONTINUE,
  /** Stop before any chunk with exit code 4, keeping the old baseline. */
  FAIL
}
