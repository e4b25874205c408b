package dev.midplane.multipath;

import dev.midplane.core.ParseException;

/**
 * Text that should have come from a multipath or device-mapper tool (or a file in one of their
 * formats) did not have the expected shape. Thrown instead of returning a partial result. A
 * {@link ParseException}: the message reads like a compiler's — source, line, column where known,
 * the problem, and the offending line with a caret:
 *
 * <pre>
 * multipath.conf, line 3, column 7: unterminated quoted value
 *   3 |  wwid "^3600a0b8
 *     |       ^
 * </pre>
 *
 * Catch {@link ParseException} to handle every parser of the SDK alike; this subtype says the text
 * was multipath's or device-mapper's.
 */
public class MultipathParseException extends ParseException {
  private static final long serialVersionUID = 1L;

  /**
   * @param source what was being parsed, e.g. {@code "multipath -ll output"}
   * @param line the 1-based line number, or 0 when the problem concerns the input as a whole
   * @param lineText the offending line (may be empty)
   * @param problem what was wrong, in words
   */
  public MultipathParseException(String source, int line, String lineText, String problem) {
    this(source, line, 0, lineText, problem, null);
  }

  public MultipathParseException(String source, int line, String lineText, String problem, Throwable cause) {
    this(source, line, 0, lineText, problem, cause);
  }

  /** With the 1-based column of the problem in {@code lineText} (0 when the whole line is meant). */
  public MultipathParseException(String source, int line, int column, String lineText, String problem, Throwable cause) {
    super(source, line, column, lineText, problem, cause);
  }
}
