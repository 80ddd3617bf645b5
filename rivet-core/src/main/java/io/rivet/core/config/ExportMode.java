package io.rivet.core.config;

/** How an export selects its rows (reference §3). */
public enum ExportMode {
  FULL,
  INCREMENTAL,
  CHUNKED,
  TIME_WINDOW,
  CDC
}
