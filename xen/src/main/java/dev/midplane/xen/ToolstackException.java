package dev.midplane.xen;

import dev.midplane.core.CommandFailedException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A toolstack command ({@code xl}, {@code xm}) failed. Besides the evidence every
 * {@link CommandFailedException} carries (host, argv, exit code, stderr tail) it names the
 * operation, picks out the lines that state the error ({@code libxl: error: ...},
 * {@code xc: error: ...}, xm's {@code Error: ...}) and, where the failure is a known one, says what
 * it means in {@link #hint()}.
 */
public class ToolstackException extends CommandFailedException {
  private static final long serialVersionUID = 1L;
  private final String operation;
  private final List<String> errorLines;
  private final String hint;

  public ToolstackException(String host, List<String> argv, OptionalInt exitCode, String stderr, String operation,
      List<String> errorLines, String hint, Throwable cause) {
    super(host, argv, exitCode, stderr, (exitCode.isPresent() ? "exited with " + exitCode.getAsInt() : "failed")
        + " (" + operation + ")", cause);
    this.operation = operation;
    this.errorLines = List.copyOf(errorLines);
    this.hint = hint;
  }

  /** What was being done, in words: {@code "create domain vm1"}. */
  public String operation() {
    return operation;
  }

  /** The lines of the output that state the error, in order. */
  public List<String> errorLines() {
    return errorLines;
  }

  /** What a known failure means and what to do about it. */
  public Optional<String> hint() {
    return Optional.ofNullable(hint);
  }

  @Override
  public String getMessage() {
    return hint == null ? super.getMessage() : super.getMessage() + "\n  hint: " + hint;
  }
}
