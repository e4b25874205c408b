package dev.midplane.multipath.config;

import dev.midplane.multipath.MultipathParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tokenizer of multipath-tools' config parser, and the rules for words and values. */
final class Tokens {
  private Tokens() {}

  enum Kind {
    WORD,
    STRING,
    OPEN,
    CLOSE
  }

  record Token(Kind kind, String text) {}

  /** One line split into tokens, plus the comment that ends it, if any. */
  record Line(List<Token> tokens, Optional<Comment> comment) {}

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == 0x0b;
  }

  private static boolean endsWord(char c) {
    return isSpace(c) || c == '"' || c == '#' || c == '!' || c == '{' || c == '}';
  }

  /**
   * Splits a line the way {@code alloc_strvec()} does, refusing what it would silently
   * misread: an unterminated quote, control or non-ASCII characters outside comments.
   */
  static Line tokenize(String line, int lineNo, String source) {
    List<Token> tokens = new ArrayList<>(4);
    int n = line.length();
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c == '#' || c == '!') {
        return new Line(tokens, Optional.of(new Comment(c, line.substring(i + 1))));
      } else if (c == '{') {
        tokens.add(new Token(Kind.OPEN, "{"));
        i++;
      } else if (c == '}') {
        tokens.add(new Token(Kind.CLOSE, "}"));
        i++;
      } else if (c == '"') {
        StringBuilder b = new StringBuilder();
        int j = i + 1;
        while (true) {
          if (j >= n) {
            throw new MultipathParseException(source, lineNo, i + 1, line,
                "missing closing quote (multipath-tools would take the rest of the line as the value)", null);
          }
          char d = line.charAt(j);
          if (d == '"') {
            if (j + 1 < n && line.charAt(j + 1) == '"') {
              b.append('"');
              j += 2;
              continue;
            }
            break;
          }
          requirePrintable(d, j, line, lineNo, source);
          b.append(d);
          j++;
        }
        tokens.add(new Token(Kind.STRING, b.toString()));
        i = j + 1;
      } else {
        int j = i;
        while (j < n && !endsWord(line.charAt(j))) {
          requirePrintable(line.charAt(j), j, line, lineNo, source);
          j++;
        }
        tokens.add(new Token(Kind.WORD, line.substring(i, j)));
        i = j;
      }
    }
    return new Line(tokens, Optional.empty());
  }

  private static void requirePrintable(char c, int column, String line, int lineNo, String source) {
    if (c == '\t') {
      throw new MultipathParseException(source, lineNo, column + 1, line, "tab inside a quoted value", null);
    }
    if (c < 0x20 || c > 0x7e) {
      throw new MultipathParseException(source, lineNo, column + 1, line, String.format(
          "character U+%04X: multipath-tools reads only printable ASCII outside comments "
              + "(it would take this character for a space)", (int) c), null);
    }
  }

  /** A keyword or section name: printable ASCII without spaces, quotes, braces or comment markers. */
  static void requireWord(String what, String word) {
    if (word == null || word.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (!isBareWord(word)) {
      throw new IllegalArgumentException(what + " must be printable ASCII without spaces, quotes, braces, '#' or '!': " + word);
    }
  }

  /** A value: printable ASCII and spaces (quoted on output when needed). */
  static void requireValue(String keyword, String value) {
    if (value == null) {
      throw new IllegalArgumentException("value of " + keyword + " must not be null");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException(String.format(
            "value of %s: character U+%04X at %d; only printable ASCII and spaces are allowed", keyword, (int) c, i));
      }
    }
  }

  /** True when {@code s} can be written without quotes and read back as one word. */
  static boolean isBareWord(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c > 0x7e || c == '"' || c == '#' || c == '!' || c == '{' || c == '}') {
        return false;
      }
    }
    return true;
  }

  /** An optional minus sign and decimal digits, which {@code multipath -t} prints unquoted. */
  static boolean isInteger(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    if (s.length() == start || s.length() > 19) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
