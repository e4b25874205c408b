package dev.midplane.xen.text;

import dev.midplane.core.ParseException;

/**
 * A text given to one of this module's parsers (a domain config, {@code xend-config.sxp}, the
 * output of {@code xl} or {@code xm}) is not what the parser accepts. The parser never returns a
 * partial result instead. This is core's {@link ParseException} — catch that to handle every
 * parser of the SDK at once — with the source's name, the 1-based line and column of the problem,
 * the text of that line and what was wrong.
 *
 * <p>{@link #line()} is 0 when the problem concerns the text as a whole (for instance output that
 * ends without the rows the header promised).
 */
public class ParseFailedException extends ParseException {
  private static final long serialVersionUID = 1L;

  /**
   * @param source what was parsed, for people: a file path or {@code "`xl list` output"}
   * @param line 1-based line, or 0 for the text as a whole
   * @param column 1-based column, or 0 when the whole line is meant
   * @param lineText the text of that line (may be empty)
   * @param problem what is wrong, as a sentence fragment without the position
   */
  public ParseFailedException(String source, int line, int column, String lineText, String problem) {
    super(source, line, column, lineText, problem, null);
  }

  /** The problem at character {@code offset} of {@code text}; line, column and line text are computed. */
  public static ParseFailedException at(String source, String text, int offset, String problem) {
    ParseException p = ParseException.at(source, text, offset, problem);
    return new ParseFailedException(source, p.line(), p.column(), p.lineText(), problem);
  }

  /** The problem on 1-based line {@code line} of {@code text}, as a whole. */
  public static ParseFailedException atLine(String source, String text, int line, String problem) {
    return new ParseFailedException(source, line, 0, ParseException.lineOf(text, line), problem);
  }
}
