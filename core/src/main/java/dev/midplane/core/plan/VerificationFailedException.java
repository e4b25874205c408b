package dev.midplane.core.plan;

import dev.midplane.core.MidplaneException;

/** A step applied without error but the live state afterwards was not what it should be. */
public class VerificationFailedException extends MidplaneException {
  private static final long serialVersionUID = 1L;

  public VerificationFailedException(String step, String problem) {
    super("'" + step + "' did not take effect: " + problem);
  }
}
