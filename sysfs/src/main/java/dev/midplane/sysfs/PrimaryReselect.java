package dev.midplane.sysfs;

import java.util.Locale;
import java.util.Optional;

/** The bonding {@code primary_reselect} option: when a returning primary slave becomes active again. */
public enum PrimaryReselect {
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

  public String option() {
    return option;
  }

  public int number() {
    return number;
  }

  /** What reading {@code bonding/primary_reselect} returns: {@code always 0}. */
  public String sysfs() {
    return option + " " + number;
  }

  /** Accepts the option name or its number. */
  public static Optional<PrimaryReselect> fromOption(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    int sp = s.indexOf(' ');
    String word = sp < 0 ? s : s.substring(0, sp);
    for (PrimaryReselect v : values()) {
      if (v.option.equals(word) || Integer.toString(v.number).equals(word)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
