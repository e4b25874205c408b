package dev.midplane.multipath.topology;

import java.util.Objects;

/**
 * A message multipath-tools printed among the topology (a warning, a checker message, a
 * {@code DM message failed}); kept because it often explains the topology.
 *
 * @param line the 1-based line in the parsed output
 * @param text the line as printed, timestamp included
 */
public record LogLine(int line, String text) {
  public LogLine {
    Objects.requireNonNull(text, "text");
  }
}
