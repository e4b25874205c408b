package dev.midplane.sysfs;

import java.util.Optional;

/** The bonding {@code arp_validate} option: which slaves must see validating ARP traffic. */
public enum ArpValidate implements SysfsOption {
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

  @Override
  public String option() {
    return option;
  }

  @Override
  public int number() {
    return number;
  }

  /** Accepts the option name or its number, or what reading {@code bonding/arp_validate} returns. */
  public static Optional<ArpValidate> fromOption(String text) {
    return SysfsOption.parse(values(), text);
  }
}
