package io.rivet.core.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian packages a test needs (pgBouncer, shells), installed by the fixture when this machine has
 * none — the build runs as root, with Debian's registry — so {@code mvn -B verify} needs no other
 * set-up.
 */
public final class DebianPackages {
  private DebianPackages() {}

  /**
   * Installs {@code pkg} unless {@code binary} is there: from the current package lists, and after
   * an {@code apt-get update} when those are stale or missing.
   */
  public static synchronized void ensure(Path binary, String pkg) throws Exception {
    List<String> install =
        List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", pkg);
    StringBuilder log = new StringBuilder();
    for (List<String> cmd : List.of(install, List.of("apt-get", "update", "-q"), install)) {
      if (Files.isExecutable(binary)) {
        return;
      }
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      log.append("$ ")
          .append(String.join(" ", cmd))
          .append('\n')
          .append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      p.waitFor();
    }
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          pkg + " is not installed and apt-get could not install it:\n" + log);
    }
  }
}
