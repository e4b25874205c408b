package dev.midplane.xen.sxp;

import dev.midplane.xen.text.ParseFailedException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads S-expressions the way xend's {@code sxp.py} does: parentheses, atoms up to whitespace or a
 * parenthesis or quote, strings in single or double quotes with Python escapes, {@code #} comments
 * to the end of the line where a token could start.
 */
final class SxpReader {
  /** A top-level expression and where it is in the text. */
  record Parsed(Sxp expression, int start, int end, int line) {}

  private final String text;
  private final String source;
  private int pos;

  SxpReader(String text, String source) {
    this.text = text;
    this.source = source;
  }

  List<Parsed> readAll() {
    List<Parsed> out = new ArrayList<>();
    Deque<List<Sxp>> stack = new ArrayDeque<>();
    Deque<Integer> opens = new ArrayDeque<>();
    int topStart = -1;
    int line = 1;
    int topLine = 1;
    while (true) {
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '#') {
          while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
          }
        } else if (Character.isWhitespace(c)) {
          if (c == '\n') {
            line++;
          }
          pos++;
        } else {
          break;
        }
      }
      if (pos >= text.length()) {
        if (!stack.isEmpty()) {
          throw ParseFailedException.at(source, text, opens.peek(),
              "'(' is never closed (the text ends inside an expression: truncated?)");
        }
        return out;
      }
      char c = text.charAt(pos);
      int start = pos;
      Sxp done = null;
      if (c == '(') {
        if (stack.isEmpty()) {
          topStart = start;
          topLine = line;
        }
        stack.push(new ArrayList<>());
        opens.push(pos);
        pos++;
        continue;
      } else if (c == ')') {
        if (stack.isEmpty()) {
          throw ParseFailedException.at(source, text, pos, "')' without a matching '('");
        }
        pos++;
        opens.pop();
        done = new SxpList(stack.pop());
      } else if (c == '\'' || c == '"') {
        done = new SxpAtom(string());
      } else {
        while (pos < text.length()) {
          char d = text.charAt(pos);
          if (Character.isWhitespace(d) || d == '(' || d == ')' || d == '\'' || d == '"') {
            break;
          }
          pos++;
        }
        done = new SxpAtom(text.substring(start, pos));
      }
      if (stack.isEmpty()) {
        out.add(new Parsed(done, done instanceof SxpList ? topStart : start, pos, done instanceof SxpList ? topLine : line));
      } else {
        stack.peek().add(done);
      }
      line += countNewlines(start, pos);
    }
  }

  private int countNewlines(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private String string() {
    int start = pos;
    char q = text.charAt(pos++);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StringBuilder plain = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw ParseFailedException.at(source, text, start, "unterminated string (truncated?)");
      }
      char c = text.charAt(pos);
      if (c == q) {
        pos++;
        break;
      }
      if (c != '\\') {
        plain.append(c);
        pos++;
        continue;
      }
      if (pos + 1 >= text.length()) {
        throw ParseFailedException.at(source, text, start, "unterminated string (truncated?)");
      }
      bytes.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
      plain.setLength(0);
      char e = text.charAt(pos + 1);
      int at = pos;
      pos += 2;
      switch (e) {
        case 'a' -> bytes.write(7);
        case 'b' -> bytes.write(8);
        case 'f' -> bytes.write(12);
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        case 'v' -> bytes.write(11);
        case 'x' -> bytes.write(digits(at, 16, 2, 2));
        default -> {
          if (e >= '0' && e <= '7') {
            pos--;
            int v = digits(at, 8, 1, 3);
            if (v > 0xff) {
              throw ParseFailedException.at(source, text, at, "octal escape out of range");
            }
            bytes.write(v);
          } else {
            bytes.writeBytes(String.valueOf(e).getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
    bytes.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
    String value;
    try {
      value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException ex) {
      throw ParseFailedException.at(source, text, start, "the string's escapes do not form valid UTF-8 text");
    }
    if (value.indexOf('\0') >= 0) {
      throw ParseFailedException.at(source, text, start, "the string contains NUL");
    }
    return value;
  }

  private int digits(int at, int radix, int min, int max) {
    int v = 0;
    int n = 0;
    while (n < max && pos < text.length() && text.charAt(pos) < 0x80 && Character.digit(text.charAt(pos), radix) >= 0) {
      v = v * radix + Character.digit(text.charAt(pos), radix);
      pos++;
      n++;
    }
    if (n < min) {
      throw ParseFailedException.at(source, text, at, "invalid escape: expected " + (radix == 16 ? "two hex digits" : "octal digits"));
    }
    return v;
  }
}
