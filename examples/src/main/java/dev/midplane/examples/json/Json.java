package dev.midplane.examples.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.midplane.core.MidplaneException;

/**
 * The one JSON mapper of the command line. Views are records: their components, in declaration
 * order, are the JSON fields, and every field is always written ({@code null} for an unknown
 * value, never left out), so a consumer can rely on the shape.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .build();

  private Json() {}

  /** The shared mapper (thread-safe; do not reconfigure it). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** {@code value} as compact JSON on one line (no line breaks, even in strings). */
  public static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new MidplaneException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** {@code value} as indented JSON, for people. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new MidplaneException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
