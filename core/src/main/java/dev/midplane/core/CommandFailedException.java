package dev.midplane.core;

import dev.midplane.core.exec.ShellQuoting;
import java.util.List;
import java.util.OptionalInt;

/**
 * An external command could not be started, exited non-zero, timed out or was interrupted. Carries
 * the evidence: the host, the argv, the exit code when there was one, and the tail of stderr.
 */
public class CommandFailedException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  /** How much of stderr the message and {@link #stderrTail()} keep. */
  public static final int STDERR_TAIL_CHARS = 2000;

  private final String host;
  private final List<String> argv;
  private final Integer exitCode;
  private final String stderrTail;

  public CommandFailedException(
      String host, List<String> argv, OptionalInt exitCode, String stderr, String what, Throwable cause) {
    super(format(host, argv, exitCode, tail(stderr), what), cause);
    this.host = host;
    this.argv = List.copyOf(argv);
    this.exitCode = exitCode.isPresent() ? exitCode.getAsInt() : null;
    this.stderrTail = tail(stderr);
  }

  /** The command ran and exited with {@code exitCode}. */
  public static CommandFailedException exited(String host, List<String> argv, int exitCode, String stderr) {
    return new CommandFailedException(host, argv, OptionalInt.of(exitCode), stderr, "exited with " + exitCode, null);
  }

  /** The command could not be started at all (no such program, permission denied). */
  public static CommandFailedException couldNotStart(String host, List<String> argv, String reason, Throwable cause) {
    return new CommandFailedException(host, argv, OptionalInt.empty(), "", "could not be started: " + reason, cause);
  }

  private static String format(String host, List<String> argv, OptionalInt exit, String tail, String what) {
    StringBuilder b = new StringBuilder();
    b.append('`').append(ShellQuoting.join(argv)).append('`');
    if (host != null) {
      b.append(" on ").append(host);
    }
    b.append(' ').append(what);
    if (!tail.isBlank()) {
      b.append(": ").append(tail.strip());
    }
    return b.toString();
  }

  static String tail(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= STDERR_TAIL_CHARS ? s : "…" + s.substring(s.length() - STDERR_TAIL_CHARS);
  }

  /** The host the command ran on, or {@code null} when the runner did not know it. */
  public String host() {
    return host;
  }

  public List<String> argv() {
    return argv;
  }

  /** Empty when the command never ran to an exit (start failure, timeout, interrupt). */
  public OptionalInt exitCode() {
    return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
  }

  /** The last {@value #STDERR_TAIL_CHARS} characters of stderr. */
  public String stderrTail() {
    return stderrTail;
  }
}
