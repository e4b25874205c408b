package dev.midplane.multipath.config;

import java.util.Objects;

/**
 * Something in a {@code multipath.conf} that multipath-tools would warn about, ignore, or refuse:
 * an unknown or misplaced keyword or section, a deprecated option, a duplicate, an invalid value, a
 * blacklist regular expression glibc cannot compile. The model keeps the content; the warning says
 * what the tool would do with it.
 *
 * @param line the 1-based line in the parsed text, or 0 for a model that was not parsed
 * @param where the section path, e.g. {@code "devices/device"}, or {@code ""} at the top level
 * @param message what is wrong and what multipath-tools does about it
 * @param fatal true when multipath-tools would refuse the whole file ("error parsing config file")
 */
public record ConfigWarning(int line, String where, String message, boolean fatal) {
  public ConfigWarning {
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return (line > 0 ? "line " + line + " " : "") + (where.isEmpty() ? "(top level)" : "(" + where + ")") + ": "
        + (fatal ? "error: " : "") + message;
  }
}
