package dev.midplane.sysfs;

import java.util.Locale;
import java.util.Optional;

/** The bonding {@code arp_validate} option: which slaves must see validating ARP traffic. */
public enum ArpValidate {
  NONE("none", 0),
  ACTIVE("active", 1),
  BACKUP("backup", 2),
  ALL("all", 3),
  FILTER("filter", 4),
  FILTER_ACTIVE("filter_active", 5),
  FILTER_BACKUP("filter_backup", 6);

  private final String option;
  private final int number;

  ArpValidate(String option, int number) {
    this.option = option;
    this.number = number;
  }

  public String option() {
    return option;
  }

  public int number() {
    return number;
  }

  /** What reading {@code bonding/arp_validate} returns: {@code all 3}. */
  public String sysfs() {
    return option + " " + number;
  }

  /** Accepts the option name or its number. */
  public static Optional<ArpValidate> fromOption(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    int sp = s.indexOf(' ');
    String word = sp < 0 ? s : s.substring(0, sp);
    for (ArpValidate v : values()) {
      if (v.option.equals(word) || Integer.toString(v.number).equals(word)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
