package dev.midplane.sysfs;

import java.util.Optional;

/** The bonding {@code primary_reselect} option: when a returning primary slave becomes active again. */
public enum PrimaryReselect implements SysfsOption {
  /** As soon as it comes back up (the default). */
  ALWAYS("always", 0),
  /** When it is faster or has better duplex than the current active slave. */
  BETTER("better", 1),
  /** Only when the current active slave fails. */
  FAILURE("failure", 2);

  private final String option;
  private final int number;

  PrimaryReselect(String option, int number) {
    this.option = option;
    this.number = number;
  }

  @Override
  public String option() {
    return option;
  }

  @Override
  public int number() {
    return number;
  }

  /** Accepts the option name or its number, or what reading {@code bonding/primary_reselect} returns. */
  public static Optional<PrimaryReselect> fromOption(String text) {
    return SysfsOption.parse(values(), text);
  }
}
