package dev.midplane.multipath;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.MidplaneException;
import java.util.Objects;

/**
 * Text that should have come from a multipath or device-mapper tool (or a file in one of their
 * formats) did not have the expected shape. Thrown instead of returning a partial result; the
 * message names the source, the 1-based line number, the problem and the offending line.
 */
public class MultipathParseException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_SHOWN = 160;

  private final String source;
  private final int line;
  private final String lineText;
  private final String problem;

  /**
   * @param source what was being parsed, e.g. {@code "multipath -ll output"}
   * @param line the 1-based line number, or 0 when the problem concerns the input as a whole
   * @param lineText the offending line (may be empty)
   * @param problem what was wrong, in words
   */
  public MultipathParseException(String source, int line, String lineText, String problem) {
    this(source, line, lineText, problem, null);
  }

  public MultipathParseException(String source, int line, String lineText, String problem, Throwable cause) {
    super(format(source, line, lineText, problem), cause);
    this.source = Objects.requireNonNull(source, "source");
    this.line = line;
    this.lineText = lineText == null ? "" : lineText;
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  private static String format(String source, int line, String text, String problem) {
    StringBuilder b = new StringBuilder(source);
    if (line > 0) {
      b.append(", line ").append(line);
    }
    b.append(": ").append(problem);
    if (text != null && !text.isEmpty()) {
      String shown = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) : text;
      b.append(": \"").append(InvalidNameException.escape(shown)).append('"');
    }
    return b.toString();
  }

  /** What was being parsed. */
  public String source() {
    return source;
  }

  /** The 1-based line number; 0 when the problem concerns the input as a whole. */
  public int line() {
    return line;
  }

  /** The offending line as it was read (empty when there is none). */
  public String lineText() {
    return lineText;
  }

  /** What was wrong, without the location. */
  public String problem() {
    return problem;
  }
}
