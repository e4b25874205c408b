package dev.midplane.core.names;

import dev.midplane.core.InvalidNameException;
import java.util.Locale;

/**
 * A host name as RFC 1123 allows it ({@code blade07}, {@code blade07.rack2.example.net}): dot-separated
 * labels of 1–63 ASCII letters, digits and inner hyphens, 253 characters in all. Stored lower-case,
 * because host names compare without case; placement, relocation allow-lists and known_hosts entries
 * key on it.
 */
public final class HostName extends StringName<HostName> {
  private static final String TYPE = "host name";

  private HostName(String value) {
    super(value);
  }

  public static HostName of(String text) {
    NameRules.requireNonNull(TYPE, text);
    NameRules.requireLength(TYPE, text, 1, 253);
    NameRules.requireCharset(TYPE, text, ".-", "only ASCII letters, digits, '.' and '-' are allowed");
    String[] labels = text.split("\\.", -1);
    for (String label : labels) {
      if (label.isEmpty()) {
        throw new InvalidNameException(TYPE, text, "empty label (two dots in a row, or a leading or trailing dot)");
      }
      if (label.length() > 63) {
        throw new InvalidNameException(TYPE, text, "label longer than 63 characters: " + label);
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        throw new InvalidNameException(TYPE, text, "a label must not start or end with '-': " + label);
      }
    }
    return new HostName(text.toLowerCase(Locale.ROOT));
  }

  public static boolean isValid(String text) {
    return NameRules.accepts(HostName::of, text);
  }

  /** The first label: {@code blade07} for {@code blade07.rack2.example.net}. */
  public String shortName() {
    int dot = value().indexOf('.');
    return dot < 0 ? value() : value().substring(0, dot);
  }
}
