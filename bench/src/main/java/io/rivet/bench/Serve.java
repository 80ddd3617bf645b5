package io.rivet.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Profiling aid: starts the benchmark's source with its fixtures, prints the JDBC URL, and keeps it
 * up until stdin closes. Arguments: engine (postgres|mysql), narrow rows, wide rows, work
 * directory.
 */
public final class Serve {
  private Serve() {}

  public static void main(String[] args) throws Exception {
    Path work =
        Files.createDirectories(
            Path.of(args.length > 3 ? args[3] : "bench/work/serve").toAbsolutePath());
    Bench.deleteTree(work);
    Files.createDirectories(work);
    try (Source source =
        "mysql".equals(args[0]) ? new MariaDbSource(work) : new PostgresSource(work)) {
      source.createNarrow("narrow", Long.parseLong(args[1]));
      source.createWide("wide", Long.parseLong(args[2]));
      System.out.println(source.jdbcUrl());
      System.out.flush();
      while (System.in.read() >= 0) {
        // keep serving
      }
    }
  }
}
