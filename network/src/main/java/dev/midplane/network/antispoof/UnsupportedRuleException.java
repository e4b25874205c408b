package dev.midplane.network.antispoof;

import dev.midplane.core.MidplaneException;

/**
 * The bridge filter model met a condition or target it cannot evaluate (a VLAN match, a mark
 * target, a named set) on the path of a frame, so it cannot say what the kernel would do.
 */
public class UnsupportedRuleException extends MidplaneException {
  private static final long serialVersionUID = 1L;

  public UnsupportedRuleException(String message) {
    super(message);
  }
}
