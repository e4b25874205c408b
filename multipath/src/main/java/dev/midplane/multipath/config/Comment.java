package dev.midplane.multipath.config;

import java.util.Objects;

/**
 * A comment: the marker ({@code #} or {@code !}, both accepted by multipath-tools) and the text
 * after it, verbatim (usually starting with a space). As a {@link ConfigNode} it is a comment on a
 * line of its own; {@link Attribute} and {@link Section} also carry an optional comment at the end
 * of their line.
 *
 * @param marker {@code '#'} or {@code '!'}
 * @param text everything after the marker on that line, without the line break
 */
public record Comment(char marker, String text) implements ConfigNode {
  public Comment {
    if (marker != '#' && marker != '!') {
      throw new IllegalArgumentException("a comment starts with '#' or '!', not '" + marker + "'");
    }
    Objects.requireNonNull(text, "text");
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a comment is one line without NUL");
    }
  }

  /** A {@code #} comment: {@code of("keep in sync")} is written as {@code # keep in sync}. */
  public static Comment of(String words) {
    return new Comment('#', words.isEmpty() ? "" : " " + words);
  }

  /** The comment as written: marker and text. */
  @Override
  public String toString() {
    return marker + text;
  }
}
