package dev.midplane.xen.config;

import dev.midplane.xen.text.ParseFailedException;
import dev.midplane.xen.text.QuotedStrings;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a domain config into tokens. It is lenient about what may follow what (the parser
 * decides), strict about what a token is: an unterminated string or a bad escape is an error at
 * once, with its position. Python-only lexemes (triple quotes, string prefixes, backslash
 * continuations) are only recognised in the {@link Dialect#XM} dialect.
 */
final class ConfigLexer {
  enum Type {
    IDENT, NUMBER, STRING, LBRACKET, RBRACKET, COMMA, ASSIGN, PLUS_ASSIGN, SEMI, NEWLINE, COMMENT, OPEN, CLOSE, OTHER, EOF
  }

  /** One token; {@code value} is the decoded text of a string, the raw text otherwise. */
  record Token(Type type, int start, int end, String text, String value) {
    boolean is(Type t) {
      return type == t;
    }

    boolean isOther(String s) {
      return (type == Type.OTHER || type == Type.OPEN || type == Type.CLOSE) && text.equals(s);
    }
  }

  private final String text;
  private final String source;
  private final Dialect dialect;
  private int pos;

  ConfigLexer(String text, String source, Dialect dialect) {
    this.text = text;
    this.source = source;
    this.dialect = dialect;
  }

  List<Token> tokens() {
    List<Token> out = new ArrayList<>();
    while (true) {
      Token t = next();
      out.add(t);
      if (t.is(Type.EOF)) {
        return out;
      }
    }
  }

  private ParseFailedException error(int at, String problem) {
    return ParseFailedException.at(source, text, at, problem);
  }

  private Token token(Type type, int start) {
    String s = text.substring(start, pos);
    return new Token(type, start, pos, s, s);
  }

  private Token next() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\f' || (c == '\r' && !(pos + 1 < text.length() && text.charAt(pos + 1) == '\n'))) {
        pos++;
      } else if (c == '\\' && dialect == Dialect.XM && continuationAt(pos)) {
        pos += text.charAt(pos + 1) == '\r' ? 3 : 2;
      } else {
        break;
      }
    }
    int start = pos;
    if (pos >= text.length()) {
      return new Token(Type.EOF, pos, pos, "", "");
    }
    char c = text.charAt(pos);
    if (c == '\r' || c == '\n') {
      pos += c == '\r' ? 2 : 1;
      return new Token(Type.NEWLINE, start, pos, "\n", "\n");
    }
    if (c == '#') {
      while (pos < text.length() && text.charAt(pos) != '\n' && !(text.charAt(pos) == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n')) {
        pos++;
      }
      return token(Type.COMMENT, start);
    }
    switch (c) {
      case '[':
        pos++;
        return token(Type.LBRACKET, start);
      case ']':
        pos++;
        return token(Type.RBRACKET, start);
      case '(':
      case '{':
        pos++;
        return token(Type.OPEN, start);
      case ')':
      case '}':
        pos++;
        return token(Type.CLOSE, start);
      case ',':
        pos++;
        return token(Type.COMMA, start);
      case ';':
        pos++;
        return token(Type.SEMI, start);
      case '=':
        pos++;
        if (pos < text.length() && text.charAt(pos) == '=') {
          pos++;
          return token(Type.OTHER, start);
        }
        return token(Type.ASSIGN, start);
      case '+':
        pos++;
        if (pos < text.length() && text.charAt(pos) == '=') {
          pos++;
          return token(Type.PLUS_ASSIGN, start);
        }
        return token(Type.OTHER, start);
      case '\'':
      case '"':
        return string(start, "");
      default:
        break;
    }
    if (isIdentStart(c)) {
      while (pos < text.length() && isIdentPart(text.charAt(pos))) {
        pos++;
      }
      String word = text.substring(start, pos);
      if (dialect == Dialect.XM && pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')
          && word.toLowerCase(java.util.Locale.ROOT).matches("r|u|b|ur|br")) {
        return string(start, word.toLowerCase(java.util.Locale.ROOT));
      }
      return token(Type.IDENT, start);
    }
    if (c >= '0' && c <= '9') {
      while (pos < text.length() && (isIdentPart(text.charAt(pos)) || text.charAt(pos) == '.')) {
        pos++;
      }
      return token(Type.NUMBER, start);
    }
    pos++;
    return token(Type.OTHER, start);
  }

  private boolean continuationAt(int at) {
    return at + 1 < text.length() && (text.charAt(at + 1) == '\n'
        || (text.charAt(at + 1) == '\r' && at + 2 < text.length() && text.charAt(at + 2) == '\n'));
  }

  static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isIdentPart(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }

  /** A string literal starting at {@code pos} (after any prefix, which starts at {@code start}). */
  private Token string(int start, String prefix) {
    char q = text.charAt(pos);
    String closing = String.valueOf(q).repeat(3);
    boolean triple = dialect == Dialect.XM && text.startsWith(closing, pos);
    pos += triple ? 3 : 1;
    boolean raw = prefix.contains("r");
    boolean unicode = prefix.contains("u");
    boolean escapes = dialect == Dialect.XM ? !raw : q == '"';
    QuotedStrings.Decoder value = new QuotedStrings.Decoder();
    while (true) {
      if (pos >= text.length()) {
        throw error(start, "unterminated string (the file ends inside it)");
      }
      char c = text.charAt(pos);
      if (c == q && (!triple || text.startsWith(closing, pos))) {
        pos += triple ? 3 : 1;
        break;
      }
      if ((c == '\n' || c == '\r') && !triple) {
        throw error(start, "unterminated string (a quoted string must end on the line it starts)");
      }
      if (c == '\\' && (escapes || raw)) {
        if (pos + 1 >= text.length()) {
          throw error(start, "unterminated string (the file ends inside it)");
        }
        if (raw) {
          // A raw string keeps the backslash; it only stops the next quote from ending the string.
          value.append(c);
          value.append(text.charAt(pos + 1));
          pos += 2;
        } else {
          escape(value, unicode);
        }
        continue;
      }
      value.append(c);
      pos++;
    }
    try {
      return new Token(Type.STRING, start, pos, text.substring(start, pos), value.text());
    } catch (IllegalArgumentException e) {
      throw error(start, e.getMessage());
    }
  }

  /** Decodes the escape at {@code pos} (a backslash). */
  private void escape(QuotedStrings.Decoder value, boolean unicode) {
    int at = pos;
    char e = text.charAt(pos + 1);
    int next;
    try {
      next = value.escape(text, pos + 1);
    } catch (IllegalArgumentException ex) {
      throw error(at, ex.getMessage());
    }
    if (next >= 0) {
      pos = next;
      return;
    }
    pos += 2;
    if (dialect != Dialect.XM) {
      throw error(at, "invalid escape '\\" + e + "' in a double-quoted string (xl accepts \\\\ \\\" \\' \\a \\b \\f \\n \\r \\t \\v \\xHH and octal)");
    }
    if (e == '\n') {
      return; // a backslash at the end of a line continues the string
    }
    if (unicode && (e == 'u' || e == 'U')) {
      int n = e == 'u' ? 4 : 8;
      if (pos + n > text.length() || !text.substring(pos, pos + n).matches("[0-9a-fA-F]+")) {
        throw error(at, "invalid escape: \\" + e + " takes " + n + " hex digits");
      }
      long cp = Long.parseLong(text.substring(pos, pos + n), 16);
      if (cp > Character.MAX_CODE_POINT) {
        throw error(at, "unicode escape out of range");
      }
      value.append(new String(Character.toChars((int) cp)));
      pos += n;
      return;
    }
    // Python keeps an unknown escape as it is: "\d" is a backslash and a d.
    value.append('\\');
    value.append(e);
  }
}
