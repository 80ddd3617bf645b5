package io.rivet.beam;

import java.io.Serializable;

/** The element of the extraction step: which chunk of which export; the plan itself travels in the DoFn. */
public record ChunkRef(String exportName, int chunkIndex) implements Serializable {}
