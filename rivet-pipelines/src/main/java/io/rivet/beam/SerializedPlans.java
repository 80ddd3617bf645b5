package io.rivet.beam;

import io.rivet.core.plan.ExportPlan;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.util.SerializableUtils;

/**
 * Export plans carried by a DoFn as one serialized byte array, decoded once per DoFn instance. Beam's DirectRunner
 * serializes and deserializes each ParDo's DoFn several times per bundle ({@code ParDoTranslation}: the payload,
 * the side-input mapping, the schema information); with the plans as an object graph (chunk lists, column
 * mappings, tuning) that was a tenth of the extraction thread's time and kept C2 busy compiling Java
 * serialization. A byte array serializes as one copy.
 */
final class SerializedPlans implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private transient Map<String, ExportPlan> plans;

  SerializedPlans(Map<String, ExportPlan> plans) {
    this.bytes = SerializableUtils.serializeToByteArray(new HashMap<>(plans));
    this.plans = Map.copyOf(plans);
  }

  @SuppressWarnings("unchecked")
  Map<String, ExportPlan> get() {
    if (plans == null) {
      plans = Map.copyOf((Map<String, ExportPlan>) SerializableUtils.deserializeFromByteArray(bytes, "export plans"));
    }
    return plans;
  }

  /** The serialized size, for tests and diagnostics. */
  int size() {
    return bytes.length;
  }
}
