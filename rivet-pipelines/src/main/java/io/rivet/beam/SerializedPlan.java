package io.rivet.beam;

import io.rivet.core.plan.ExportPlan;
import java.io.Serializable;
import org.apache.beam.sdk.util.SerializableUtils;

/**
 * An export plan as one serialized byte array, made once when the pipeline is built and shared by
 * the export's DoFns, decoded once per DoFn instance. Beam's DirectRunner serializes and
 * deserializes each ParDo's DoFn several times per bundle ({@code ParDoTranslation}: the payload,
 * the side-input mapping, the schema information); with the plan as an object graph (chunk lists,
 * column mappings, tuning) that was a tenth of the extraction thread's time and kept C2 busy
 * compiling Java serialization. A byte array serializes as one copy.
 */
final class SerializedPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private transient ExportPlan plan;

  SerializedPlan(ExportPlan plan) {
    this.bytes = SerializableUtils.serializeToByteArray(plan);
    this.plan = plan;
  }

  ExportPlan get() {
    if (plan == null) {
      plan = (ExportPlan) SerializableUtils.deserializeFromByteArray(bytes, "export plan");
    }
    return plan;
  }

  /** The serialized size, for tests and diagnostics. */
  int size() {
    return bytes.length;
  }
}
