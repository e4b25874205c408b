package dev.midplane.xen.sxp;

import dev.midplane.xen.text.ParseFailedException;
import dev.midplane.xen.text.QuotedStrings;
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
    QuotedStrings.Decoder value = new QuotedStrings.Decoder();
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
        value.append(c);
        pos++;
        continue;
      }
      if (pos + 1 >= text.length()) {
        throw ParseFailedException.at(source, text, start, "unterminated string (truncated?)");
      }
      int next;
      try {
        next = value.escape(text, pos + 1);
      } catch (IllegalArgumentException e) {
        throw ParseFailedException.at(source, text, pos, e.getMessage());
      }
      if (next < 0) {
        value.append(text.charAt(pos + 1)); // an unknown escape stands for its character
        next = pos + 2;
      }
      pos = next;
    }
    try {
      return value.text();
    } catch (IllegalArgumentException e) {
      throw ParseFailedException.at(source, text, start, e.getMessage());
    }
  }
}
