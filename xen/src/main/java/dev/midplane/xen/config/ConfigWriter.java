package dev.midplane.xen.config;

import dev.midplane.xen.config.DomainConfig.Entry;
import dev.midplane.xen.text.QuotedStrings;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders configs. Parsed settings that were not changed are written as they were read; others in
 * a canonical layout: {@code key = value}, top-level strings in double quotes, strings inside lists
 * in single quotes where the dialect allows it (as Xen's own examples write disk and vif specs),
 * long lists one item per line.
 */
final class ConfigWriter {
  private static final int LINE = 100;

  private ConfigWriter() {}

  static String render(DomainConfig config) {
    StringBuilder out = new StringBuilder();
    for (Entry e : config.entries()) {
      if (e.source().isPresent()) {
        out.append(e.source().get());
        continue;
      }
      separate(out);
      for (String c : e.comments()) {
        out.append(c).append('\n');
      }
      out.append(e.key()).append(e.op() == DomainConfig.Op.ASSIGN ? " = " : " += ");
      out.append(value(e.value(), config.dialect(), false, e.key().length() + 3, 0));
      e.trailingComment().ifPresent(c -> out.append("  ").append(c));
      out.append('\n');
    }
    if (config.trailerSource().isPresent()) {
      out.append(config.trailerSource().get());
    } else {
      if (!config.trailingComments().isEmpty()) {
        separate(out);
      }
      for (String c : config.trailingComments()) {
        out.append(c).append('\n');
      }
    }
    return out.toString();
  }

  /** Ends a kept setting that had no line end (the end of a file) before a rendered one follows. */
  private static void separate(StringBuilder out) {
    if (out.length() == 0 || out.charAt(out.length() - 1) == '\n') {
      return;
    }
    String tail = out.toString().stripTrailing();
    if (!tail.endsWith(";")) {
      out.append('\n');
    }
  }

  /** The value in the shape this dialect stores it (xl: no booleans, no signed or fractional numbers). */
  static ConfigValue normalise(ConfigValue v, Dialect dialect) {
    if (dialect == Dialect.XM) {
      return v;
    }
    if (v instanceof ConfigValue.Bool b) {
      return new ConfigValue.Num(b.value() ? "1" : "0");
    }
    if (v instanceof ConfigValue.Num n && !n.isXlNumber()) {
      return new ConfigValue.Str(n.literal());
    }
    if (v instanceof ConfigValue.ListOf l) {
      List<ConfigValue> items = new ArrayList<>();
      l.items().forEach(i -> items.add(normalise(i, dialect)));
      return new ConfigValue.ListOf(items);
    }
    return v;
  }

  static String value(ConfigValue v, Dialect dialect, boolean inList, int column, int depth) {
    if (v instanceof ConfigValue.Str s) {
      return dialect == Dialect.XL ? xlString(s.value(), inList) : pythonString(s.value(), inList);
    }
    if (v instanceof ConfigValue.Num n) {
      return n.literal();
    }
    if (v instanceof ConfigValue.Bool b) {
      return dialect == Dialect.XL ? (b.value() ? "1" : "0") : (b.value() ? "True" : "False");
    }
    List<ConfigValue> items = ((ConfigValue.ListOf) v).items();
    if (items.isEmpty()) {
      return "[]";
    }
    List<String> parts = new ArrayList<>();
    for (ConfigValue i : items) {
      parts.add(value(i, dialect, true, column + 2, depth + 1));
    }
    String oneLine = "[ " + String.join(", ", parts) + " ]";
    if (column + oneLine.length() <= LINE && !oneLine.contains("\n")) {
      return oneLine;
    }
    String indent = "    ".repeat(depth + 1);
    StringBuilder b = new StringBuilder("[\n");
    for (int i = 0; i < items.size(); i++) {
      String item = value(items.get(i), dialect, true, indent.length(), depth + 1);
      b.append(indent).append(item).append(i + 1 < items.size() ? ",\n" : "\n");
    }
    return b.append("    ".repeat(depth)).append(']').toString();
  }

  /**
   * An xl string: single quotes (no escapes exist there) when the text allows, otherwise double
   * quotes with C escapes; other control characters as {@code \xHH}.
   */
  static String xlString(String s, boolean preferSingle) {
    if (preferSingle && s.indexOf('\'') < 0 && s.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
      return "'" + s + "'";
    }
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case '\f' -> b.append("\\f");
        case 0x0b -> b.append("\\v");
        case '\b' -> b.append("\\b");
        case 0x07 -> b.append("\\a");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * A Python 2 string literal: single quotes in lists and double quotes at top level when the
   * other quote does not occur; non-ASCII text as UTF-8 {@code \xHH} bytes, which is what a Python
   * 2 byte string holds (a raw non-ASCII character needs an encoding declaration).
   */
  static String pythonString(String s, boolean preferSingle) {
    char q;
    if (preferSingle) {
      q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    } else {
      q = s.indexOf('"') >= 0 && s.indexOf('\'') < 0 ? '\'' : '"';
    }
    return QuotedStrings.quote(s, q, true);
  }
}
