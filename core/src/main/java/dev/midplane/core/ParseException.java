package dev.midplane.core;

import java.util.Objects;

/**
 * A text given to a parser — a config file, a command's output, a {@code /proc} file — is not what
 * the parser accepts. Parsers never return a partial result instead: they throw this (or a
 * module's subtype of it) with what was parsed, the 1-based line and column, the text of that line
 * and what was wrong. One type to catch for every parser in the SDK.
 *
 * <p>The message reads like a compiler's:
 * <pre>
 * ifcfg-bond0, line 3, column 14: unterminated double quote
 *   3 | BONDING_OPTS="mode=1 miimon=100
 *     |              ^
 * </pre>
 * {@link #line()} is 0 when the problem concerns the text as a whole (output that ends before the
 * rows its header announced); {@link #column()} is 0 when the whole line is meant.
 */
public class ParseException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_SHOWN = 200;

  private final String source;
  private final int line;
  private final int column;
  private final String lineText;
  private final String problem;

  /**
   * @param source what was parsed, for people: a file path or {@code "`xl list` output"}
   * @param line 1-based line, or 0 for the text as a whole
   * @param column 1-based column, or 0 when the whole line is meant
   * @param lineText the text of that line (may be empty or null)
   * @param problem what is wrong, without the position
   * @param cause the underlying error (a JSON parser's, a number format's), or null
   */
  public ParseException(String source, int line, int column, String lineText, String problem, Throwable cause) {
    super(format(source, line, column, lineText, problem), cause);
    this.source = Objects.requireNonNull(source, "source");
    this.line = line;
    this.column = column;
    this.lineText = lineText == null ? "" : lineText;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  public ParseException(String source, int line, String lineText, String problem) {
    this(source, line, 0, lineText, problem, null);
  }

  /** The problem at character {@code offset} of {@code text}; line, column and line text are computed. */
  public static ParseException at(String source, String text, int offset, String problem) {
    int off = Math.max(0, Math.min(offset, text.length()));
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < off; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new ParseException(source, line, off - lineStart + 1, lineText(text, lineStart), problem, null);
  }

  /** The problem on 1-based line {@code line} of {@code text}, as a whole. */
  public static ParseException atLine(String source, String text, int line, String problem) {
    return new ParseException(source, line, 0, lineOf(text, line), problem, null);
  }

  /** The text of 1-based line {@code line} of {@code text}, without its terminator; empty past the end. */
  public static String lineOf(String text, int line) {
    int start = 0;
    for (int l = 1; l < line && start >= 0; l++) {
      int nl = text.indexOf('\n', start);
      start = nl < 0 ? -1 : nl + 1;
    }
    return start < 0 ? "" : lineText(text, start);
  }

  private static String lineText(String text, int lineStart) {
    int end = text.indexOf('\n', lineStart);
    String s = end < 0 ? text.substring(lineStart) : text.substring(lineStart, end);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static String format(String source, int line, int column, String lineText, String problem) {
    StringBuilder b = new StringBuilder(source);
    if (line > 0) {
      b.append(", line ").append(line);
      if (column > 0) {
        b.append(", column ").append(column);
      }
    }
    b.append(": ").append(problem);
    if (line > 0 && lineText != null && !lineText.isEmpty()) {
      String shown = lineText.length() > MAX_SHOWN ? lineText.substring(0, MAX_SHOWN) + "…" : lineText;
      shown = InvalidNameException.escape(shown.replace('\t', ' ')).replace("\\\"", "\"").replace("\\\\", "\\");
      String gutter = String.valueOf(line);
      b.append("\n  ").append(gutter).append(" | ").append(shown);
      if (column > 0 && column <= shown.length() + 1) {
        b.append("\n  ").append(" ".repeat(gutter.length())).append(" | ").append(" ".repeat(column - 1)).append('^');
      }
    }
    return b.toString();
  }

  /** What was parsed: a file path or a description such as {@code "`xl list` output"}. */
  public String source() {
    return source;
  }

  /** 1-based line of the problem; 0 when it concerns the whole text. */
  public int line() {
    return line;
  }

  /** 1-based column of the problem; 0 when the whole line is meant. */
  public int column() {
    return column;
  }

  /** The text of the offending line, without its terminator (empty when there is none). */
  public String lineText() {
    return lineText;
  }

  /** What is wrong, without the position. */
  public String problem() {
    return problem;
  }
}
