package dev.midplane.core.names;

import dev.midplane.core.InvalidNameException;

/** Shared checks for the name types; package-private so the rules live next to their types. */
final class NameRules {
  private NameRules() {}

  /** True when {@code parse} accepts {@code value}; the isValid of every name type. */
  static boolean accepts(java.util.function.Function<String, ?> parse, String value) {
    try {
      parse.apply(value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static String requireNonNull(String type, String value) {
    if (value == null) {
      throw new InvalidNameException(type, null, "must not be null");
    }
    return value;
  }

  static void requireLength(String type, String value, int min, int max) {
    if (value.length() < min || value.length() > max) {
      throw new InvalidNameException(
          type, value, "length must be " + (min == max ? min : min + "–" + max) + " characters, was " + value.length());
    }
  }

  /** Accepts only the given ASCII characters: letters, digits and {@code extra}. */
  static void requireCharset(String type, String value, String extra, String ruleText) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || extra.indexOf(c) >= 0;
      if (!ok) {
        throw new InvalidNameException(
            type, value, ruleText + "; found " + describe(c) + " at position " + i);
      }
    }
  }

  static void requireFirstAlnum(String type, String value, String alsoAllowed) {
    char c = value.charAt(0);
    boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || alsoAllowed.indexOf(c) >= 0;
    if (!ok) {
      throw new InvalidNameException(
          type, value, "must start with a letter or digit" + (alsoAllowed.isEmpty() ? "" : " or one of '" + alsoAllowed + "'")
              + " (a leading '-' would read as an option)");
    }
  }

  static String describe(char c) {
    if (c == '\0') {
      return "NUL";
    }
    if (c == ' ') {
      return "a space";
    }
    if (Character.isWhitespace(c)) {
      return "whitespace " + InvalidNameException.escape(String.valueOf(c));
    }
    if (c < 0x20 || c >= 0x7f) {
      return "non-ASCII or control character " + InvalidNameException.escape(String.valueOf(c));
    }
    return "'" + c + "'";
  }
}
