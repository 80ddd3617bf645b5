package io.rivet.beam;

import io.rivet.core.plan.ChunkSpec;
import io.rivet.core.plan.ExportPlan;
import java.io.Serializable;
import org.apache.beam.sdk.util.SerializableUtils;

/**
 * The element of {@link RivetIO#read()}'s read step: one chunk, with its read's plan as bytes
 * (without the plan's chunk list, so that each element stays small; the password as a reference).
 */
final class ReadChunk implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String planId;
  private final byte[] plan;
  private final ChunkSpec chunk;

  ReadChunk(String planId, byte[] plan, ChunkSpec chunk) {
    this.planId = planId;
    this.plan = plan;
    this.chunk = chunk;
  }

  static byte[] encode(ExportPlan plan) {
    return SerializableUtils.serializeToByteArray(plan);
  }

  String planId() {
    return planId;
  }

  ExportPlan plan() {
    return (ExportPlan) SerializableUtils.deserializeFromByteArray(plan, "read plan");
  }

  ChunkSpec chunk() {
    return chunk;
  }
}
