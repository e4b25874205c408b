package dev.midplane.sysfs;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.MidplaneException;

/**
 * Kernel text ({@code /proc/net/bonding/bond0}, {@code /proc/net/vlan/config}, a udev database
 * entry, a sysfs attribute) did not have the expected format. Carries what was parsed, the
 * 1-based line number and the offending line, so a pasted file can be fixed by hand.
 */
public class SysfsParseException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final int line;
  private final String lineText;

  public SysfsParseException(String source, int line, String lineText, String problem) {
    super(source + ", line " + line + ": " + problem + (lineText == null ? "" : ": '" + InvalidNameException.escape(lineText) + "'"));
    this.source = source;
    this.line = line;
    this.lineText = lineText;
  }

  /** What was being parsed, e.g. {@code /proc/net/bonding/bond0}. */
  public String source() {
    return source;
  }

  /** The 1-based line number of the problem. */
  public int line() {
    return line;
  }

  /** The offending line, or {@code null} when the problem is a missing line. */
  public String lineText() {
    return lineText;
  }
}
