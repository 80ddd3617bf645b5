package io.rivet.beam;

import io.rivet.core.plan.ChunkSpec;
import java.io.Serializable;

/**
 * The element of the extraction step: one chunk of one export, with its bounds; the plan travels in
 * the DoFn.
 */
public record ChunkRef(String exportName, ChunkSpec chunk) implements Serializable {}
