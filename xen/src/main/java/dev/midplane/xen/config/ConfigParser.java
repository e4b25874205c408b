package dev.midplane.xen.config;

import dev.midplane.xen.config.ConfigLexer.Token;
import dev.midplane.xen.config.ConfigLexer.Type;
import dev.midplane.xen.config.DomainConfig.Entry;
import dev.midplane.xen.config.DomainConfig.Op;
import dev.midplane.xen.text.ParseFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns tokens into settings. Every setting keeps the exact text it came from (with the comment
 * and blank lines before it), so an unchanged config is written back byte for byte. Statements that
 * are Python code are collected, and reported together; malformed text stops the parse at once.
 */
final class ConfigParser {
  static final Set<String> PYTHON_KEYWORDS = Set.of(
      "import", "from", "if", "elif", "else", "for", "while", "def", "class", "try", "except", "finally",
      "with", "return", "print", "pass", "del", "global", "exec", "assert", "raise", "lambda", "yield",
      "break", "continue", "and", "or", "not", "in", "is", "as", "nonlocal", "async", "await");
  private static final Pattern XL_NUMBER = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]+");

  /** Why a statement is not a plain setting. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Token at;
    final boolean python;

    Failure(Token at, boolean python, String what) {
      super(what, null, false, false);
      this.at = at;
      this.python = python;
    }
  }

  private final String text;
  private final String source;
  private final Dialect dialect;
  private final List<Token> tokens;
  /** Where each line starts, for line numbers without rescanning the text. */
  private final int[] lineStarts;

  ConfigParser(String text, String source, Dialect dialect) {
    this.text = text;
    this.source = source;
    this.dialect = dialect;
    this.tokens = new ConfigLexer(text, source, dialect).tokens();
    this.lineStarts = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(0),
        java.util.stream.IntStream.range(0, text.length()).filter(i -> text.charAt(i) == '\n').map(i -> i + 1)).toArray();
  }

  DomainConfig parse() {
    List<Entry> entries = new ArrayList<>();
    List<PythonCodeException.Construct> python = new ArrayList<>();
    int cursor = 0;
    int i = 0;
    while (true) {
      while (tokens.get(i).is(Type.NEWLINE) || tokens.get(i).is(Type.COMMENT) || tokens.get(i).is(Type.SEMI)) {
        i++;
      }
      if (tokens.get(i).is(Type.EOF)) {
        break;
      }
      int first = i;
      List<Token> statement = new ArrayList<>();
      Token trailingComment = null;
      int depth = 0;
      List<Token> open = new ArrayList<>();
      while (true) {
        Token t = tokens.get(i);
        if (t.is(Type.EOF)) {
          if (depth > 0) {
            Token o = open.get(open.size() - 1);
            throw ParseFailedException.at(source, text, o.start(), "'" + o.text() + "' is never closed");
          }
          break;
        }
        if (depth == 0 && (t.is(Type.NEWLINE) || t.is(Type.SEMI))) {
          break;
        }
        if (t.is(Type.COMMENT)) {
          if (depth == 0) {
            trailingComment = t;
          }
          i++;
          continue;
        }
        if (t.is(Type.NEWLINE)) {
          i++;
          continue;
        }
        if (t.is(Type.LBRACKET) || t.is(Type.OPEN)) {
          depth++;
          open.add(t);
        } else if (t.is(Type.RBRACKET) || t.is(Type.CLOSE)) {
          if (depth == 0) {
            throw ParseFailedException.at(source, text, t.start(), "'" + t.text() + "' without a matching opening bracket");
          }
          Token o = open.remove(open.size() - 1);
          boolean matches = o.text().equals("[") ? t.text().equals("]") : o.text().equals("(") ? t.text().equals(")") : t.text().equals("}");
          if (!matches) {
            throw ParseFailedException.at(source, text, t.start(), "'" + t.text() + "' closes the '" + o.text() + "' opened on line "
                + lineOf(o.start()));
          }
          depth--;
        }
        statement.add(t);
        i++;
      }
      Token terminator = tokens.get(i);
      int end = terminator.is(Type.EOF) ? text.length() : terminator.end();
      int lineStart = Math.max(lineStartOf(tokens.get(first).start()), cursor);
      List<String> leading = lines(text.substring(cursor, lineStart));
      String src = text.substring(cursor, end);
      try {
        Entry e = statement(statement, lineStart, leading, trailingComment, src);
        entries.add(e);
      } catch (Failure f) {
        if (!f.python) {
          throw ParseFailedException.at(source, text, f.at.start(), f.getMessage());
        }
        ParseFailedException pos = ParseFailedException.at(source, text, f.at.start(), f.getMessage());
        python.add(new PythonCodeException.Construct(pos.line(), pos.column(), pos.lineText(), f.getMessage()));
      }
      cursor = end;
      if (!terminator.is(Type.EOF)) {
        i++;
      }
    }
    if (!python.isEmpty()) {
      throw new PythonCodeException(source, python, dialect);
    }
    String trailer = text.substring(cursor);
    return DomainConfig.parsed(dialect, entries, lines(trailer), trailer, source);
  }

  /** The 1-based line of {@code offset}, from the table of line starts. */
  private int lineOf(int offset) {
    int i = java.util.Arrays.binarySearch(lineStarts, offset);
    return i >= 0 ? i + 1 : -i - 1;
  }

  private int lineStartOf(int offset) {
    int nl = text.lastIndexOf('\n', offset - 1);
    return nl + 1;
  }

  /** The lines of a stretch of comments and blank lines, without terminators. */
  static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < s.length()) {
      int nl = s.indexOf('\n', start);
      String line = nl < 0 ? s.substring(start) : s.substring(start, nl);
      out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      start = nl < 0 ? s.length() : nl + 1;
    }
    return out;
  }

  private Entry statement(List<Token> t, int lineStart, List<String> leading, Token comment, String src) {
    Token head = t.get(0);
    if (dialect == Dialect.XM && head.start() > lineStart && text.substring(lineStart, head.start()).isBlank()
        && lineStartOf(head.start()) == lineStart) {
      throw new Failure(head, true, "indented statement (the body of a Python block, or an IndentationError)");
    }
    if (!head.is(Type.IDENT)) {
      if (head.is(Type.STRING)) {
        throw new Failure(head, dialect == Dialect.XM, dialect == Dialect.XM
            ? "a bare string expression (a docstring?), not a setting" : "expected a setting name, found a string");
      }
      throw new Failure(head, dialect == Dialect.XM, "expected a setting name, found '" + head.text() + "'");
    }
    if (PYTHON_KEYWORDS.contains(head.text())) {
      throw new Failure(head, true, "Python '" + head.text() + "' statement");
    }
    if (t.size() == 1) {
      throw new Failure(head, dialect == Dialect.XM, dialect == Dialect.XM
          ? "a bare name '" + head.text() + "', not a setting" : "expected '=' after '" + head.text() + "'");
    }
    Token op = t.get(1);
    Op kind;
    if (op.is(Type.ASSIGN)) {
      kind = Op.ASSIGN;
    } else if (op.is(Type.PLUS_ASSIGN)) {
      if (dialect == Dialect.XM) {
        throw new Failure(op, true, "augmented assignment '" + head.text() + " +='");
      }
      kind = Op.APPEND;
    } else if (op.isOther("(")) {
      throw new Failure(op, true, "function call " + head.text() + "(...)");
    } else if (op.isOther(".")) {
      throw new Failure(op, true, "attribute access or method call on '" + head.text() + "'");
    } else if (op.is(Type.LBRACKET)) {
      throw new Failure(op, true, "subscript of '" + head.text() + "'");
    } else if (op.is(Type.COMMA)) {
      throw new Failure(op, true, "tuple assignment");
    } else {
      throw new Failure(op, false, "expected '=' after '" + head.text() + "', found '" + op.text() + "'");
    }
    if (t.size() == 2) {
      throw new Failure(op, false, "no value after '" + op.text() + "'");
    }
    int[] next = {2};
    ConfigValue value = value(t, next);
    if (next[0] < t.size()) {
      throw trailing(t.get(next[0]));
    }
    if (kind == Op.APPEND && !(value instanceof ConfigValue.ListOf) && !(value instanceof ConfigValue.Str)) {
      throw new Failure(t.get(2), false, "'+=' needs a list or a string");
    }
    String trailing = comment == null ? null : comment.text();
    return Entry.parsed(head.text(), kind, value, leading, trailing, lineOf(head.start()), src);
  }

  private Failure trailing(Token t) {
    String s = t.text();
    if (s.equals("%")) {
      return new Failure(t, true, "string formatting with '%'");
    }
    if (s.equals("+")) {
      return new Failure(t, true, "concatenation or addition with '+'");
    }
    if (s.equals("-") || s.equals("*") || s.equals("/")) {
      return new Failure(t, true, "arithmetic with '" + s + "'");
    }
    if (s.equals("(")) {
      return new Failure(t, true, "function call");
    }
    if (s.equals(".")) {
      return new Failure(t, true, "attribute access or method call");
    }
    if (t.is(Type.LBRACKET)) {
      return new Failure(t, true, "subscript");
    }
    if (t.is(Type.IDENT) && PYTHON_KEYWORDS.contains(s)) {
      return new Failure(t, true, "Python expression with '" + s + "'");
    }
    if (t.is(Type.ASSIGN)) {
      return new Failure(t, true, "chained assignment");
    }
    if (t.is(Type.STRING) && dialect == Dialect.XL) {
      return new Failure(t, false, "a second string after the value (missing comma?)");
    }
    return new Failure(t, false, "unexpected '" + s + "' after the value");
  }

  private ConfigValue value(List<Token> t, int[] at) {
    Token v = t.get(at[0]);
    switch (v.type()) {
      case STRING -> {
        StringBuilder s = new StringBuilder(v.value());
        at[0]++;
        while (dialect == Dialect.XM && at[0] < t.size() && t.get(at[0]).is(Type.STRING)) {
          s.append(t.get(at[0]).value());
          at[0]++;
        }
        return new ConfigValue.Str(s.toString());
      }
      case NUMBER -> {
        at[0]++;
        return number(v, "");
      }
      case OTHER -> {
        if (v.text().equals("-") && dialect == Dialect.XM && at[0] + 1 < t.size() && t.get(at[0] + 1).is(Type.NUMBER)) {
          at[0] += 2;
          return number(t.get(at[0] - 1), "-");
        }
        if (v.text().equals("-") && at[0] + 1 < t.size() && t.get(at[0] + 1).is(Type.NUMBER)) {
          throw new Failure(v, false, "xl numbers have no sign; quote the value");
        }
        throw new Failure(v, dialect == Dialect.XM, "unexpected '" + v.text() + "' where a value should be");
      }
      case IDENT -> {
        if (dialect == Dialect.XM && (v.text().equals("True") || v.text().equals("False"))) {
          at[0]++;
          return new ConfigValue.Bool(v.text().equals("True"));
        }
        Token after = at[0] + 1 < t.size() ? t.get(at[0] + 1) : null;
        if (after != null && after.isOther("(")) {
          throw new Failure(v, true, "function call " + v.text() + "(...)");
        }
        if (after != null && after.isOther(".")) {
          throw new Failure(v, true, "attribute access or method call on '" + v.text() + "'");
        }
        if (after != null && after.is(Type.LBRACKET)) {
          throw new Failure(v, true, "subscript of '" + v.text() + "'");
        }
        if (v.text().equals("None")) {
          throw new Failure(v, true, "Python None (no value)");
        }
        if (PYTHON_KEYWORDS.contains(v.text())) {
          throw new Failure(v, true, "Python expression with '" + v.text() + "'");
        }
        if (dialect == Dialect.XL) {
          throw new Failure(v, false, "unquoted word '" + v.text() + "' (xl strings must be quoted)");
        }
        throw new Failure(v, true, "reference to the Python variable '" + v.text() + "'");
      }
      case LBRACKET -> {
        return list(t, at);
      }
      case OPEN -> throw new Failure(v, true, v.text().equals("(") ? "tuple or parenthesised expression" : "dict literal");
      default -> throw new Failure(v, false, "unexpected '" + v.text() + "' where a value should be");
    }
  }

  private ConfigValue list(List<Token> t, int[] at) {
    Token open = t.get(at[0]);
    at[0]++;
    List<ConfigValue> items = new ArrayList<>();
    while (true) {
      if (at[0] >= t.size()) {
        throw new Failure(open, false, "'[' is never closed");
      }
      if (t.get(at[0]).is(Type.RBRACKET)) {
        at[0]++;
        return new ConfigValue.ListOf(items);
      }
      items.add(value(t, at));
      if (at[0] >= t.size()) {
        throw new Failure(open, false, "'[' is never closed");
      }
      Token sep = t.get(at[0]);
      if (sep.is(Type.COMMA)) {
        at[0]++;
      } else if (!sep.is(Type.RBRACKET)) {
        if (sep.is(Type.IDENT) && sep.text().equals("for")) {
          throw new Failure(sep, true, "list comprehension");
        }
        if (sep.is(Type.STRING) || sep.is(Type.NUMBER) || (sep.is(Type.LBRACKET) && dialect == Dialect.XL)) {
          throw new Failure(sep, false, "expected ',' or ']' between list items, found '" + sep.text() + "'");
        }
        throw trailing(sep);
      }
    }
  }

  private ConfigValue number(Token v, String sign) {
    String lit = sign + v.text();
    if (dialect == Dialect.XL) {
      if (!XL_NUMBER.matcher(v.text()).matches()) {
        throw new Failure(v, false, "invalid number '" + v.text() + "' (xl numbers are decimal, 0x hex or 0 octal)");
      }
      return new ConfigValue.Num(lit);
    }
    try {
      return new ConfigValue.Num(lit);
    } catch (IllegalArgumentException e) {
      throw new Failure(v, false, "invalid number '" + v.text() + "'");
    }
  }
}
