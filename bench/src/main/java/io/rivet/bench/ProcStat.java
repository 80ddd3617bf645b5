package io.rivet.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of processes from /proc (Linux), in seconds. */
final class ProcStat {
  private static final double TICKS = 100.0;

  private ProcStat() {}

  /** utime, stime, cutime, cstime and ppid of one process; null when it is gone. */
  static long[] read(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ", -1);
      return new long[] {
        Long.parseLong(f[11]),
        Long.parseLong(f[12]),
        Long.parseLong(f[13]),
        Long.parseLong(f[14]),
        Long.parseLong(f[1])
      };
    } catch (IOException | RuntimeException gone) {
      return null;
    }
  }

  /** The process's own CPU plus that of its reaped children. */
  static double selfAndReaped(long pid) {
    long[] t = read(pid);
    return t == null ? 0 : (t[0] + t[1] + t[2] + t[3]) / TICKS;
  }

  /**
   * CPU of a server process and all its children, living or reaped (PostgreSQL: the postmaster and
   * its backends).
   */
  static double tree(long pid) throws IOException {
    double total = selfAndReaped(pid);
    try (DirectoryStream<Path> procs =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : procs) {
        long[] t = read(Long.parseLong(p.getFileName().toString()));
        if (t != null && t[4] == pid) {
          total += (t[0] + t[1]) / TICKS;
        }
      }
    }
    return total;
  }
}
