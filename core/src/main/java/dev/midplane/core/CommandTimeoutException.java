package dev.midplane.core;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** A command ran past its timeout; it and every process it started were killed. */
public class CommandTimeoutException extends CommandFailedException {
  private static final long serialVersionUID = 1L;
  private final Duration timeout;
  private final String partialStdout;

  public CommandTimeoutException(String host, List<String> argv, Duration timeout, String partialStdout, String partialStderr) {
    super(host, argv, OptionalInt.empty(), partialStderr, "timed out after " + timeout.toMillis() + " ms and was killed", null);
    this.timeout = timeout;
    this.partialStdout = partialStdout == null ? "" : partialStdout;
  }

  public Duration timeout() {
    return timeout;
  }

  /** What the command had written to stdout before it was killed. */
  public String partialStdout() {
    return partialStdout;
  }
}
