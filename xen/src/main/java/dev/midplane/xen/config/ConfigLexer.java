package dev.midplane.xen.config;

import dev.midplane.xen.text.ParseFailedException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
    boolean triple = dialect == Dialect.XM && text.startsWith(String.valueOf(q).repeat(3), pos);
    pos += triple ? 3 : 1;
    boolean raw = prefix.contains("r");
    boolean unicode = prefix.contains("u");
    boolean escapes = dialect == Dialect.XM ? !raw : q == '"';
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StringBuilder plain = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error(start, "unterminated string (the file ends inside it)");
      }
      char c = text.charAt(pos);
      if (c == q && (!triple || text.startsWith(String.valueOf(q).repeat(3), pos))) {
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
          flush(plain, bytes);
          plain.append(c).append(text.charAt(pos + 1));
          pos += 2;
          continue;
        }
        flush(plain, bytes);
        escape(bytes, unicode);
        continue;
      }
      plain.append(c);
      pos++;
    }
    flush(plain, bytes);
    String value;
    try {
      value = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw error(start, "the string's escapes do not form valid UTF-8 text");
    }
    if (value.indexOf('\0') >= 0) {
      throw error(start, "the string contains NUL, which the toolstacks cannot pass on");
    }
    return new Token(Type.STRING, start, pos, text.substring(start, pos), value);
  }

  private static void flush(StringBuilder plain, ByteArrayOutputStream bytes) {
    if (plain.length() > 0) {
      bytes.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
      plain.setLength(0);
    }
  }

  /** Decodes the escape at {@code pos} (a backslash) into {@code bytes}. */
  private void escape(ByteArrayOutputStream bytes, boolean unicode) {
    int at = pos;
    char e = text.charAt(pos + 1);
    pos += 2;
    switch (e) {
      case '\\', '\'', '"' -> bytes.write(e);
      case 'a' -> bytes.write(7);
      case 'b' -> bytes.write(8);
      case 'f' -> bytes.write(12);
      case 'n' -> bytes.write('\n');
      case 'r' -> bytes.write('\r');
      case 't' -> bytes.write('\t');
      case 'v' -> bytes.write(11);
      case 'x' -> bytes.write(digits(at, 16, 2, 2));
      case '\n' -> {
        if (dialect != Dialect.XM) {
          throw error(at, "invalid escape: backslash at the end of a line");
        }
      }
      default -> {
        if (e >= '0' && e <= '7') {
          pos--;
          int v = digits(at, 8, 1, 3);
          if (v > 0xff) {
            throw error(at, "octal escape out of range");
          }
          bytes.write(v);
        } else if (dialect == Dialect.XM && unicode && (e == 'u' || e == 'U')) {
          int cp = digits(at, 16, e == 'u' ? 4 : 8, e == 'u' ? 4 : 8);
          if (!Character.isValidCodePoint(cp)) {
            throw error(at, "unicode escape out of range");
          }
          bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        } else if (dialect == Dialect.XM) {
          // Python keeps an unknown escape as it is: "\d" is a backslash and a d.
          bytes.write('\\');
          bytes.writeBytes(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
        } else {
          throw error(at, "invalid escape '\\" + e + "' in a double-quoted string (xl accepts \\\\ \\\" \\' \\a \\b \\f \\n \\r \\t \\v \\xHH and octal)");
        }
      }
    }
  }

  private int digits(int escapeAt, int radix, int min, int max) {
    int v = 0;
    int n = 0;
    while (n < max && pos < text.length() && Character.digit(text.charAt(pos), radix) >= 0 && text.charAt(pos) < 0x80) {
      v = v * radix + Character.digit(text.charAt(pos), radix);
      pos++;
      n++;
    }
    if (n < min) {
      throw error(escapeAt, "invalid escape: expected " + min + (min == max ? "" : "–" + max)
          + (radix == 16 ? " hex" : " octal") + " digit" + (max > 1 ? "s" : ""));
    }
    return v;
  }
}
