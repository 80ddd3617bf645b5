package io.rivet.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code rivet --version}. */
final class Version implements IVersionProvider {
  static final String VERSION = "0.1.0-SNAPSHOT";

  @Override
  public String[] getVersion() {
    return new String[] {
      "rivet " + VERSION + " (Rivet for Beam; Apache Beam 2.62.0, Java " + Runtime.version() + ")"
    };
  }
}
