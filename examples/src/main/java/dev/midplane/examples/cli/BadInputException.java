package dev.midplane.examples.cli;

import dev.midplane.core.MidplaneException;

/**
 * What the user gave the command line is not usable: a file that cannot be read or is not what
 * the option expects, a value out of range. The command exits with 2 and the message, which
 * names the file (and line) or the value.
 */
public class BadInputException extends MidplaneException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
