package dev.midplane.xen.text;

import dev.midplane.core.MidplaneException;
import java.util.Objects;

/**
 * A text given to a parser (a domain config, {@code xend-config.sxp}, the output of {@code xl} or
 * {@code xm}) is not what the parser accepts. The parser never returns a partial result instead:
 * it throws this with the source's name, the 1-based line and column of the problem, the text of
 * that line and what was wrong.
 *
 * <p>{@link #line()} is 0 when the problem concerns the text as a whole (for instance output that
 * ends without the rows the header promised).
 */
public class ParseFailedException extends MidplaneException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final int column;
  private final String lineText;
  private final String problem;

  /**
   * @param source what was parsed, for people: a file path or {@code "`xl list` output"}
   * @param line 1-based line, or 0 for the text as a whole
   * @param column 1-based column, or 0 when the whole line is meant
   * @param lineText the text of that line (may be empty)
   * @param problem what is wrong, as a sentence fragment without the position
   */
  public ParseFailedException(String source, int line, int column, String lineText, String problem) {
    super(format(source, line, column, lineText, problem));
    this.source = Objects.requireNonNull(source, "source");
    this.line = line;
    this.column = column;
    this.lineText = lineText == null ? "" : lineText;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** The problem at character {@code offset} of {@code text}; line, column and line text are computed. */
  public static ParseFailedException at(String source, String text, int offset, String problem) {
    int off = Math.max(0, Math.min(offset, text.length()));
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < off; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new ParseFailedException(source, line, off - lineStart + 1, lineText(text, lineStart), problem);
  }

  /** The problem on 1-based line {@code line} of {@code text}, as a whole. */
  public static ParseFailedException atLine(String source, String text, int line, String problem) {
    int start = 0;
    for (int l = 1; l < line && start >= 0; l++) {
      int nl = text.indexOf('\n', start);
      start = nl < 0 ? -1 : nl + 1;
    }
    return new ParseFailedException(source, line, 0, start < 0 ? "" : lineText(text, start), problem);
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
      String shown = lineText.length() > 200 ? lineText.substring(0, 200) + "…" : lineText;
      b.append("\n  ").append(line).append(" | ").append(shown.replace("\t", " "));
      if (column > 0 && column <= shown.length() + 1) {
        b.append("\n  ").append(" ".repeat(String.valueOf(line).length())).append(" | ")
            .append(" ".repeat(column - 1)).append('^');
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

  /** The text of the offending line, without its terminator. */
  public String lineText() {
    return lineText;
  }

  /** What is wrong, without the position. */
  public String problem() {
    return problem;
  }
}
