package dev.midplane.sysfs;

import java.util.Optional;

/** The bonding {@code primary_reselect} option: when a returning primary slave becomes active again. */
public enum PrimaryReselect implements SysfsOption {
  /** As soon as it comes back up (the default). */
  ALWAYS,
  /** When it is faster or has better duplex than the current active slave. */
  BETTER,
  /** Only when the current active slave fails. */
  FAILURE;

  /** Accepts the option name or its number, or what reading {@code bonding/primary_reselect} returns. */
  public static Optional<PrimaryReselect> fromOption(String text) {
    return SysfsOption.parse(values(), text);
  }
}
