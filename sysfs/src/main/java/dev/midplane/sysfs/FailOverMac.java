package dev.midplane.sysfs;

import java.util.Locale;
import java.util.Optional;

/** The bonding {@code fail_over_mac} option (active-backup): how slaves' MAC addresses are set. */
public enum FailOverMac {
  /** All slaves take the bond's address (the default). */
  NONE("none", 0),
  /** The bond takes the active slave's address. */
  ACTIVE("active", 1),
  /** The new active slave takes the bond's address, the old one the new one's. */
  FOLLOW("follow", 2);

  private final String option;
  private final int number;

  FailOverMac(String option, int number) {
    this.option = option;
    this.number = number;
  }

  public String option() {
    return option;
  }

  public int number() {
    return number;
  }

  /** What reading {@code bonding/fail_over_mac} returns: {@code none 0}. */
  public String sysfs() {
    return option + " " + number;
  }

  /** Accepts the option name or its number. */
  public static Optional<FailOverMac> fromOption(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    int sp = s.indexOf(' ');
    String word = sp < 0 ? s : s.substring(0, sp);
    for (FailOverMac v : values()) {
      if (v.option.equals(word) || Integer.toString(v.number).equals(word)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
