package dev.midplane.core;

/**
 * Root of every exception the SDK throws on purpose. Unchecked: most callers cannot recover from a
 * failed {@code multipath -f} or a refused bond change, but every subtype carries the evidence a
 * person needs to decide what to do next (argv, exit code, stderr tail, host, object).
 */
public class MidplaneException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MidplaneException(String message) {
    super(message);
  }

  public MidplaneException(String message, Throwable cause) {
    super(message, cause);
  }
}
