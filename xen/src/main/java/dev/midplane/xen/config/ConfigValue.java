package dev.midplane.xen.config;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A value in a domain config: a string, a number, a boolean (xm only; an xl config holds
 * {@code 1}/{@code 0} instead) or a list of values. Values are plain data: equality is by content,
 * and the quote style a file used is not part of the value.
 */
public sealed interface ConfigValue {

  /** A string. NUL cannot be represented (the toolstacks pass C strings) and is refused. */
  record Str(String value) implements ConfigValue {
    public Str {
      Objects.requireNonNull(value, "value");
      if (value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("a config string cannot contain NUL");
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (Character.isSurrogate(c)) {
          boolean paired = Character.isHighSurrogate(c) && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1));
          if (!paired) {
            throw new IllegalArgumentException("a config string cannot contain an unpaired surrogate");
          }
          i++;
        }
      }
    }

    @Override
    public String toString() {
      return '"' + value + '"';
    }
  }

  /**
   * A number, kept as written ({@code 512}, {@code 0x200}, {@code 0755}; in xm also {@code -1},
   * {@code 1.5}, {@code 512L}). A leading {@code 0} means octal, as in both toolstacks.
   */
  record Num(String literal) implements ConfigValue {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*|0[0-7]+|0[xX][0-9a-fA-F]+)[lL]?");
    private static final Pattern FLOAT = Pattern.compile("-?[0-9]+\\.[0-9]+");

    public Num {
      Objects.requireNonNull(literal, "literal");
      if (!INTEGER.matcher(literal).matches() && !FLOAT.matcher(literal).matches()) {
        throw new IllegalArgumentException("not a number literal: " + literal);
      }
    }

    /** The integer value; empty for a float literal or a value beyond {@code long}. */
    public OptionalLong longValue() {
      String s = literal;
      boolean negative = s.startsWith("-");
      if (negative) {
        s = s.substring(1);
      }
      if (s.endsWith("l") || s.endsWith("L")) {
        s = s.substring(0, s.length() - 1);
      }
      if (s.contains(".")) {
        return OptionalLong.empty();
      }
      try {
        long v;
        if (s.startsWith("0x") || s.startsWith("0X")) {
          v = Long.parseLong(s.substring(2), 16);
        } else if (s.length() > 1 && s.startsWith("0")) {
          v = Long.parseLong(s.substring(1), 8);
        } else {
          v = Long.parseLong(s);
        }
        return OptionalLong.of(negative ? -v : v);
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }

    /** Whether this is a valid xl number (no sign, no fraction, no {@code L} suffix). */
    boolean isXlNumber() {
      return !literal.startsWith("-") && !literal.contains(".") && !literal.endsWith("l") && !literal.endsWith("L");
    }

    @Override
    public String toString() {
      return literal;
    }
  }

  /** {@code True} or {@code False} in an xm config. An xl config stores {@code 1}/{@code 0} as numbers. */
  record Bool(boolean value) implements ConfigValue {
    @Override
    public String toString() {
      return value ? "True" : "False";
    }
  }

  /** A list (lists may nest, as xl's {@code vnuma} does). */
  record ListOf(List<ConfigValue> items) implements ConfigValue {
    public ListOf {
      items = List.copyOf(items);
    }

    @Override
    public String toString() {
      return items.toString();
    }
  }

  /** A string value. */
  static ConfigValue string(String value) {
    return new Str(value);
  }

  /** A decimal number. */
  static ConfigValue number(long value) {
    return new Num(Long.toString(value));
  }

  /** A list of strings. */
  static ConfigValue strings(List<String> values) {
    return new ListOf(values.stream().map(v -> (ConfigValue) new Str(v)).toList());
  }

  /**
   * The value as a whole number the way the toolstacks read one: a number, a boolean (1/0), or a
   * string of decimal digits (xl and xm both accept {@code memory = "512"}). Empty otherwise.
   */
  default OptionalLong asLong() {
    if (this instanceof Num n) {
      return n.longValue();
    }
    if (this instanceof Bool b) {
      return OptionalLong.of(b.value() ? 1 : 0);
    }
    if (this instanceof Str s && s.value().strip().matches("-?[0-9]{1,18}")) {
      return OptionalLong.of(Long.parseLong(s.value().strip()));
    }
    return OptionalLong.empty();
  }
}
