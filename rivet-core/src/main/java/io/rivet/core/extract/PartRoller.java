package io.rivet.core.extract;

import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import io.rivet.core.write.PartWriter;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rolls one read's rows into parts: opens a part at the first row, cuts the next one when the part
 * reaches {@code max_file_size} — only where the key changes, so a key never spans two parts —
 * names each deterministically, and commits each when its footer is written.
 */
final class PartRoller {
  /**
   * A part whose footer is written and which is committed; keyed parts know the key range they
   * started and end at.
   */
  record Finished(
      String name, PartWriter.Result result, long startKey, long endKey, String storeTag) {}

  private final ExportPlan plan;
  private final ChunkSpec chunk;
  private final PartStore store;

  /** The key (range, dense), page number (keyset) or chunk start the first part is named from. */
  private final long nameFrom;

  /** Whether rows carry claimed keys that name parts and bound the cut (range and dense chunks). */
  private final boolean keyed;

  private final List<Finished> finished = new ArrayList<>();
  private PartWriter writer;
  private String name;
  private long partStart;

  PartRoller(ExportPlan plan, ChunkSpec chunk, PartStore store, long nameFrom, boolean keyed) {
    this.plan = plan;
    this.chunk = chunk;
    this.store = store;
    this.nameFrom = nameFrom;
    this.keyed = keyed;
  }

  /**
   * The part the row with {@code key} goes into ({@code previousKey}: the row before's), after
   * cutting the open part when it is full and the key changed.
   */
  PartWriter writerFor(long key, long previousKey) throws IOException {
    if (writer != null && full() && (!keyed || key != previousKey)) {
      finish(key);
    }
    if (writer == null) {
      Long exportedAt = plan.exportedAtColumn() ? micros(Instant.now()) : null;
      partStart = keyed && !finished.isEmpty() ? key : nameFrom;
      name = nextName(partStart);
      writer = PartWriter.open(store.create(name), plan, exportedAt);
    }
    return writer;
  }

  private boolean full() {
    return plan.maxFileSizeBytes() > 0
        && chunk.kind() != ChunkSpec.Kind.KEYSET
        && writer.dataSize() >= plan.maxFileSizeBytes();
  }

  private String nextName(long from) {
    if (keyed) {
      return plan.partName(chunk, from);
    }
    String base = plan.partName(chunk, from);
    String ext = "." + plan.format().extension();
    return finished.isEmpty() ? base : base.replace(ext, "_part" + (finished.size() + 1) + ext);
  }

  /** Writes the open part's footer and commits it as ending at {@code endKey}. */
  void finish(long endKey) throws IOException {
    PartWriter.Result r = writer.finish();
    String tag;
    try {
      tag = store.commit(name);
    } catch (PartTakenException taken) {
      // Another writer's committed part holds the name: nothing of this one is left to drop.
      writer = null;
      throw taken;
    }
    finished.add(new Finished(name, r, partStart, endKey, tag));
    writer = null;
  }

  /** Finishes the open part, if any, at the end of the read. */
  void finishOpen() throws IOException {
    if (writer != null) {
      finish(Long.MAX_VALUE);
    }
  }

  /** Drops the open part, if any: it is never committed. */
  void abort() {
    if (writer != null && name != null) {
      try {
        writer.close();
      } catch (IOException | RuntimeException ignored) {
        // the temporary part is dropped below either way
      }
      store.abort(name);
      writer = null;
    }
  }

  /** The committed parts, in order. */
  List<Finished> finished() {
    return finished;
  }

  /** The name of the part being written (or last written), for messages. */
  String currentName() {
    return name;
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
