package dev.midplane.network.persist;

import dev.midplane.core.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and writes the shell-variable syntax of {@code ifcfg-*} files (see {@link IfcfgFile}). */
final class ShellReader {
  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_./:,+@%=-]+");

  private final String name;
  private final String text;
  private int pos;
  private int line = 1;
  private int entryLine;
  private int entryStart;

  ShellReader(String name, String text) {
    this.name = name;
    this.text = text;
  }

  static void checkKey(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a shell variable name: " + key);
    }
  }

  IfcfgFile read() {
    List<IfcfgFile.Entry> entries = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    while (pos < text.length()) {
      entryStart = pos;
      entryLine = line;
      skipBlanks();
      if (atEnd() || peek() == '\n') {
        entries.add(new IfcfgFile.Other(text.substring(entryStart, pos)));
        newline();
        continue;
      }
      if (peek() == '#') {
        while (!atEnd() && peek() != '\n') {
          pos++;
        }
        entries.add(new IfcfgFile.Other(text.substring(entryStart, pos)));
        newline();
        continue;
      }
      String word = word();
      boolean export = false;
      if (word.equals("export") && !atEnd() && (peek() == ' ' || peek() == '\t')) {
        skipBlanks();
        export = true;
        word = word();
      }
      if (!KEY.matcher(word).matches()) {
        throw fail("not an assignment (expected KEY=value)");
      }
      boolean spaced = skipBlanks();
      if (atEnd() || peek() != '=') {
        throw fail("not an assignment (expected KEY=value)");
      }
      pos++;
      boolean spacedAfter = skipBlanks();
      if (spaced || spacedAfter) {
        warnings.add(name + ", line " + entryLine + ": spaces around '=' in " + word
            + " (accepted; bash would run it as a command)");
      }
      // After "KEY= " a '#' starts a comment, not the value.
      String value = spacedAfter && !atEnd() && peek() == '#' ? "" : value();
      skipBlanks();
      String comment = "";
      if (!atEnd() && peek() == '#') {
        int c = pos;
        while (!atEnd() && peek() != '\n') {
          pos++;
        }
        comment = text.substring(c, pos);
      }
      if (!atEnd() && peek() != '\n') {
        throw fail("unquoted value with several words (bash would run the rest as a command); quote it");
      }
      if (!seen.add(word)) {
        warnings.add(name + ", line " + entryLine + ": " + word + " is assigned again; the last value counts");
      }
      entries.add(new IfcfgFile.Assignment(word, value, export, comment));
      newline();
    }
    return new IfcfgFile(entries, warnings);
  }

  private boolean atEnd() {
    return pos >= text.length();
  }

  private char peek() {
    return text.charAt(pos);
  }

  private void newline() {
    if (!atEnd() && peek() == '\n') {
      pos++;
      line++;
    }
  }

  private boolean skipBlanks() {
    int start = pos;
    while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
      pos++;
    }
    return pos > start;
  }

  private String word() {
    int start = pos;
    while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private String value() {
    StringBuilder v = new StringBuilder();
    while (!atEnd()) {
      char c = peek();
      if (c == ' ' || c == '\t' || c == '\n') {
        break;
      }
      if (c == '\'') {
        int quote = pos;
        pos++;
        while (true) {
          if (atEnd()) {
            throw failAt(quote, "unterminated single quote");
          }
          char d = text.charAt(pos++);
          if (d == '\'') {
            break;
          }
          if (d == '\n') {
            line++;
          }
          v.append(d);
        }
      } else if (c == '"') {
        pos++;
        doubleQuoted(v, pos - 1);
      } else if (c == '$' && pos + 1 < text.length() && text.charAt(pos + 1) == '\'') {
        pos += 2;
        ansiC(v, pos - 2);
      } else if (c == '$') {
        expansion();
        v.append('$');
        pos++;
      } else if (c == '`') {
        throw fail("command substitution with backquotes cannot be read as a value");
      } else if (c == '\\') {
        pos++;
        if (atEnd()) {
          break;
        }
        char d = text.charAt(pos++);
        if (d == '\n') {
          line++; // line continuation
        } else {
          v.append(d);
        }
      } else {
        v.append(c);
        pos++;
      }
    }
    return v.toString();
  }

  /** Refuses {@code $NAME}, {@code ${…}}, {@code $(…)}; a lone {@code $} is literal. */
  private void expansion() {
    if (pos + 1 < text.length()) {
      char n = text.charAt(pos + 1);
      if (n == '{' || n == '(' || n == '_' || Character.isLetterOrDigit(n) || "@*#?$!-".indexOf(n) >= 0) {
        throw fail("parameter expansion or command substitution ($" + n + "…) cannot be read as a value");
      }
    }
  }

  private void doubleQuoted(StringBuilder v, int quote) {
    while (true) {
      if (atEnd()) {
        throw failAt(quote, "unterminated double quote");
      }
      char d = text.charAt(pos);
      if (d == '"') {
        pos++;
        return;
      }
      if (d == '\\' && pos + 1 < text.length()) {
        char e = text.charAt(pos + 1);
        if (e == '$' || e == '`' || e == '"' || e == '\\') {
          v.append(e);
          pos += 2;
          continue;
        }
        if (e == '\n') {
          pos += 2;
          line++;
          continue;
        }
      }
      if (d == '$') {
        expansion();
      }
      if (d == '`') {
        throw fail("command substitution with backquotes cannot be read as a value");
      }
      if (d == '\n') {
        line++;
      }
      v.append(d);
      pos++;
    }
  }

  private void ansiC(StringBuilder v, int quote) {
    while (true) {
      if (atEnd()) {
        throw failAt(quote, "unterminated $'…' quote");
      }
      char d = text.charAt(pos++);
      if (d == '\'') {
        return;
      }
      if (d == '\n') {
        line++;
      }
      if (d != '\\') {
        v.append(d);
        continue;
      }
      if (atEnd()) {
        throw failAt(quote, "unterminated $'…' quote");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n' -> v.append('\n');
        case 't' -> v.append('\t');
        case 'r' -> v.append('\r');
        case 'a' -> v.append('\u0007');
        case 'b' -> v.append('\b');
        case 'e', 'E' -> v.append('\u001b');
        case 'f' -> v.append('\f');
        case 'v' -> v.append('\u000b');
        case '\\', '\'', '"', '?' -> v.append(e);
        case 'x' -> v.append((char) digits(16, 2, "\\x"));
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          pos--;
          v.append((char) digits(8, 3, "\\NNN"));
        }
        default -> v.append('\\').append(e);
      }
    }
  }

  private int digits(int radix, int max, String what) {
    int n = 0;
    int count = 0;
    while (count < max && !atEnd() && Character.digit(peek(), radix) >= 0) {
      n = n * radix + Character.digit(peek(), radix);
      pos++;
      count++;
    }
    if (count == 0) {
      throw fail(what + " escape without digits");
    }
    return n & 0xff;
  }

  /** The problem at the character being read (line and column computed from the offset). */
  private ParseException fail(String problem) {
    return failAt(Math.min(pos, text.length()), problem);
  }

  private ParseException failAt(int offset, String problem) {
    return ParseException.at(name, text, offset, problem);
  }

  /** The value as bash will read it back exactly (see {@link IfcfgFile#render()}). */
  static String quote(String v) {
    if (v.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a shell variable cannot hold NUL");
    }
    if (v.isEmpty()) {
      return "\"\"";
    }
    if (BARE.matcher(v).matches()) {
      return v;
    }
    boolean control = v.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    StringBuilder b = new StringBuilder(v.length() + 4);
    if (!control) {
      b.append('"');
      for (char c : v.toCharArray()) {
        if (c == '"' || c == '\\' || c == '$' || c == '`') {
          b.append('\\');
        }
        b.append(c);
      }
      return b.append('"').toString();
    }
    b.append("$'");
    for (char c : v.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\'' -> b.append("\\'");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('\'').toString();
  }
}
