package io.rivet.core.config;

/** Output file formats. */
public enum FileFormat {
  PARQUET("parquet"),
  CSV("csv");

  private final String extension;

  FileFormat(String extension) {
    this.extension = extension;
  }

  public String extension() {
    return extension;
  }
}
