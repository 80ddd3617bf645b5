package io.rivet.core;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * rivet's JSON, configured in one place: what it stores for itself, and the documents people and
 * tools read.
 */
public final class Json {
  /**
   * Records rivet stores and reads back itself (plans, markers, journal payloads): field names as
   * in the code, and fields an older or newer rivet does not know are ignored, so a stored plan
   * outlives a version change.
   */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Documents for people and other tools (manifests, run summaries, {@code --json} output):
   * snake_case, indented.
   */
  public static final ObjectMapper DOCUMENTS =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}
}
