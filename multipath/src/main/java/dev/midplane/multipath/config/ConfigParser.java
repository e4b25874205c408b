package dev.midplane.multipath.config;

import dev.midplane.multipath.MultipathParseException;
import dev.midplane.multipath.config.Tokens.Kind;
import dev.midplane.multipath.config.Tokens.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code multipath.conf} text into a tree, one statement per line, as multipath-tools does. */
final class ConfigParser {
  private ConfigParser() {}

  private static final class Frame {
    final String name;
    final Optional<Comment> comment;
    final int line;
    final List<ConfigNode> children = new ArrayList<>();

    Frame(String name, Optional<Comment> comment, int line) {
      this.name = name;
      this.comment = comment;
      this.line = line;
    }
  }

  static ParsedConfig parse(String text, String source) {
    Map<ConfigNode, Integer> lines = new IdentityHashMap<>();
    Deque<Frame> stack = new ArrayDeque<>();
    Frame root = new Frame("", Optional.empty(), 0);
    stack.push(root);
    int lineNo = 0;
    int start = 0;
    int n = text.length();
    while (start < n) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? n : nl;
      String line = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
      start = end + 1;
      lineNo++;
      statement(line, lineNo, source, stack, lines);
    }
    if (stack.size() > 1) {
      Frame open = stack.peek();
      throw new MultipathParseException(source, open.line, "",
          "section '" + open.name + "' opened on this line is never closed (missing '}')");
    }
    MultipathConfig config = MultipathConfig.of(root.children);
    return new ParsedConfig(config, ConfigLint.lint(config.nodes(), node -> lines.getOrDefault(node, 0)));
  }

  private static void statement(String line, int lineNo, String source, Deque<Frame> stack, Map<ConfigNode, Integer> lines) {
    Tokens.Line t = Tokens.tokenize(line, lineNo, source);
    List<Token> tokens = t.tokens();
    Frame current = stack.peek();
    if (tokens.isEmpty()) {
      t.comment().ifPresent(c -> {
        current.children.add(c);
        lines.put(c, lineNo);
      });
      return;
    }
    Token first = tokens.get(0);
    switch (first.kind()) {
      case CLOSE -> {
        if (tokens.size() > 1) {
          throw new MultipathParseException(source, lineNo, line,
              "unexpected " + describe(tokens.get(1)) + " after '}' (one statement per line)");
        }
        if (stack.size() == 1) {
          throw new MultipathParseException(source, lineNo, line, "'}' without an open section");
        }
        Frame closed = stack.pop();
        t.comment().ifPresent(c -> {
          closed.children.add(c);
          lines.put(c, lineNo);
        });
        Section s = new Section(closed.name, closed.children, closed.comment);
        lines.put(s, closed.line);
        stack.peek().children.add(s);
      }
      case OPEN -> throw new MultipathParseException(source, lineNo, line,
          "'{' must follow a section name on the same line");
      case STRING -> throw new MultipathParseException(source, lineNo, line,
          "a line must start with a keyword, not a quoted string");
      case WORD -> {
        String keyword = first.text();
        if (tokens.size() == 1) {
          throw new MultipathParseException(source, lineNo, line,
              "'" + keyword + "' has no value (a section needs '{' on the same line)");
        }
        Token second = tokens.get(1);
        if (tokens.size() > 2 && tokens.get(2).kind() == Kind.CLOSE) {
          throw new MultipathParseException(source, lineNo, line, "'}' must be on a line of its own");
        }
        if (tokens.size() > 2) {
          throw new MultipathParseException(source, lineNo, line, second.kind() == Kind.OPEN
              ? "unexpected " + describe(tokens.get(2)) + " after '{' (one statement per line)"
              : "unexpected " + describe(tokens.get(2)) + " after the value of '" + keyword
                  + "' (multipath-tools would ignore it; quote values that contain spaces)");
        }
        switch (second.kind()) {
          case OPEN -> stack.push(new Frame(keyword, t.comment(), lineNo));
          case WORD, STRING -> {
            Attribute a = new Attribute(keyword, second.text(), t.comment(), second.kind() == Kind.STRING);
            current.children.add(a);
            lines.put(a, lineNo);
          }
          case CLOSE -> throw new MultipathParseException(source, lineNo, line,
              "'}' must be on a line of its own (after '" + keyword + "')");
          default -> throw new IllegalStateException(second.kind().name());
        }
      }
      default -> throw new IllegalStateException(first.kind().name());
    }
  }

  private static String describe(Token t) {
    return switch (t.kind()) {
      case OPEN -> "'{'";
      case CLOSE -> "'}'";
      case STRING -> "\"" + t.text() + "\"";
      case WORD -> "'" + t.text() + "'";
    };
  }
}
