package dev.midplane.network;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.MidplaneException;

/**
 * Text from a tool or a config file could not be read: the message names what was being parsed,
 * the line number (1-based; 0 when the input is one JSON document) and the offending line, so
 * nothing is ever half-read in silence.
 */
public class ParseException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final int line;
  private final String lineText;
  private final String problem;

  public ParseException(String source, int line, String lineText, String problem) {
    this(source, line, lineText, problem, null);
  }

  public ParseException(String source, int line, String lineText, String problem, Throwable cause) {
    super(source + (line > 0 ? ", line " + line : "") + ": " + problem
        + (lineText == null || lineText.isEmpty() ? "" : ": \"" + InvalidNameException.escape(lineText) + "\""), cause);
    this.source = source;
    this.line = line;
    this.lineText = lineText == null ? "" : lineText;
    this.problem = problem;
  }

  /** What was being parsed: {@code "ebtables-save output"}, {@code "ifcfg-bond0"}. */
  public String source() {
    return source;
  }

  /** 1-based line number, 0 when not line-oriented. */
  public int line() {
    return line;
  }

  /** The offending line as it was. */
  public String lineText() {
    return lineText;
  }

  /** What is wrong, in words. */
  public String problem() {
    return problem;
  }
}
