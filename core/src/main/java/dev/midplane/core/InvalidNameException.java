package dev.midplane.core;

/**
 * A value that would reach argv or a path (an interface name, an alias, a WWID, a MAC, a domain
 * name) broke the rules of its type. Thrown before anything runs; the message names the type, the
 * offending value (escaped, so NULs and control characters are visible) and the rule.
 */
public class InvalidNameException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final String type;
  private final String value;
  private final String rule;

  public InvalidNameException(String type, String value, String rule) {
    super("invalid " + type + " " + (value == null ? "null" : "\"" + escape(value) + "\"") + ": " + rule);
    this.type = type;
    this.value = value;
    this.rule = rule;
  }

  /** The type whose rule was broken, e.g. {@code "interface name"}. */
  public String type() {
    return type;
  }

  /** The rejected input, unmodified (may be {@code null}). */
  public String value() {
    return value;
  }

  /** The rule that was broken, in words. */
  public String rule() {
    return rule;
  }

  /** Makes control, non-ASCII and quote characters visible: {@code \0}, {@code \n}, {@code \u00e9}. */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 200) + 8);
    int limit = Math.min(s.length(), 200);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\0' -> b.append("\\0");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c >= 0x7f) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    if (s.length() > limit) {
      b.append("…(").append(s.length()).append(" chars)");
    }
    return b.toString();
  }
}
