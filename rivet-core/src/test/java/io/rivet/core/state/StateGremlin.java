package io.rivet.core.state;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One gremlin of {@link StateGremlinsIT}: a process that works on one run of a shared state store
 * the way a worker of a distributed runner might — and badly. It picks a chunk that is not
 * complete, reads what is committed, sometimes dawdles first (a zombie acting on what it saw
 * earlier), reads an uncovered sub-range split at points of its own, and commits the parts
 * (together or one by one, sometimes twice, as a retried bundle would). It also resets running
 * chunks (a resume), fails chunks, and one gremlin in three is killed at a random moment, inside a
 * transaction or not.
 *
 * <p>A part is named after where it starts and fingerprinted by the sub-range it holds, as real
 * parts are (deterministic names, deterministic bytes for the same rows), so two copies of the same
 * work collide as real ones do. Every commit the store accepted is appended to the gremlin's log —
 * after the store said so — for the test to check against the ledger.
 *
 * <p>Arguments: store URL, run id, seed, log file, steps, and {@code late} for a gremlin that
 * starts after the run ended and tries to commit anyway. Exit 3 means the store broke a promise the
 * gremlin can see by itself.
 */
public final class StateGremlin {
  private StateGremlin() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String runId = args[1];
    Random rnd = new Random(Long.parseLong(args[2]));
    Path log = Path.of(args[3]);
    int steps = Integer.parseInt(args[4]);
    boolean late = args.length > 5 && args[5].equals("late");
    if (!late && rnd.nextInt(3) == 0) {
      killAt(100 + rnd.nextInt(2500));
    }
    try (StateStore s = StateStore.open(url);
        BufferedWriter w =
            Files.newBufferedWriter(
                log,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      for (int step = 0; step < steps; step++) {
        List<ChunkTask> chunks = s.chunks(runId);
        List<ChunkTask> open =
            late
                ? chunks
                : chunks.stream().filter(c -> !c.status().equals(ChunkTask.COMPLETED)).toList();
        if (open.isEmpty()) {
          return;
        }
        // Half the time the first open chunk, so that gremlins meet on it.
        ChunkTask chunk = open.get(rnd.nextBoolean() ? 0 : rnd.nextInt(open.size()));
        if (!late) {
          s.chunkStarted(runId, chunk.chunkIndex());
        }
        List<PartRecord> seen = s.parts(runId, chunk.chunkIndex());
        if (rnd.nextInt(3) == 0) {
          // A zombie: it acts on what it saw, while others commit.
          Thread.sleep(rnd.nextInt(150));
        }
        long[] gap = late ? new long[] {chunk.startKey(), chunk.endKey()} : gap(seen, chunk, rnd);
        if (gap == null) {
          continue;
        }
        List<PartRecord> parts = split(runId, chunk.chunkIndex(), gap[0], gap[1], rnd);
        List<List<PartRecord>> commits = new ArrayList<>();
        if (rnd.nextBoolean()) {
          commits.add(parts);
        } else {
          parts.forEach(p -> commits.add(List.of(p)));
        }
        for (List<PartRecord> c : commits) {
          boolean accepted = s.commitParts(c);
          if (accepted) {
            for (PartRecord p : c) {
              w.write(line(p));
            }
            w.flush();
          } else {
            System.out.println("REFUSED " + c.size());
          }
          if (rnd.nextInt(4) == 0 && accepted && !s.commitParts(c)) {
            // A retried bundle: what the ledger accepted it accepts again, changing nothing.
            System.err.println("VIOLATION: a second delivery of accepted parts was refused: " + c);
            System.exit(3);
          }
        }
        if (!late && rnd.nextInt(10) == 0) {
          s.resetRunning(runId);
        }
        if (!late && rnd.nextInt(12) == 0) {
          s.chunkFailed(runId, chunk.chunkIndex(), "a gremlin failed it");
        }
      }
    }
  }

  static String line(PartRecord p) {
    return p.chunkIndex()
        + " "
        + p.fileName()
        + " "
        + p.rangeStart()
        + " "
        + p.rangeEnd()
        + " "
        + p.fingerprint()
        + "\n";
  }

  /** A random sub-range of the chunk that no part the gremlin saw covers, from its start. */
  private static long[] gap(List<PartRecord> seen, ChunkTask chunk, Random rnd) {
    List<long[]> gaps = new ArrayList<>();
    long pos = chunk.startKey();
    while (pos < chunk.endKey()) {
      PartRecord covering = ChunkCoverage.covering(seen, pos);
      if (covering != null) {
        pos = covering.rangeEnd();
        continue;
      }
      long end = Math.min(chunk.endKey(), ChunkCoverage.nextStart(seen, pos));
      gaps.add(new long[] {pos, end});
      pos = end;
    }
    return gaps.isEmpty() ? null : gaps.get(rnd.nextInt(gaps.size()));
  }

  /** {@code [from, to)} as one to three parts split at random points. */
  private static List<PartRecord> split(String runId, int chunk, long from, long to, Random rnd) {
    List<PartRecord> parts = new ArrayList<>();
    int pieces = 1 + rnd.nextInt(3);
    long start = from;
    for (int i = 0; i < pieces && start < to; i++) {
      long end = i == pieces - 1 ? to : start + 1 + rnd.nextInt((int) Math.max(1, to - start));
      end = Math.min(end, to);
      parts.add(
          new PartRecord(
              runId,
              "gremlins",
              chunk,
              start,
              end,
              "gremlins_chunk" + chunk + "_k" + start + ".parquet",
              end - start,
              (end - start) * 10,
              "sha256:" + start + "-" + end,
              null));
      start = end;
    }
    return parts;
  }

  private static void killAt(long millis) {
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(millis);
              } catch (InterruptedException e) {
                return;
              }
              Runtime.getRuntime().halt(137);
            });
    t.setDaemon(true);
    t.start();
  }
}
