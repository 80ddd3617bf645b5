package io.rivet.core.config;

/**
 * {@code verify:} of an export: how deep {@code rivet validate} and {@code run --validate} check
 * its parts by default — {@code size} (sizes and the checksums the store reports, no download) or
 * {@code content} (every part read back whole: SHA-256 and row count).
 */
public enum VerifyMode {
  SIZE,
  CONTENT
}
