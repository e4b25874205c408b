package dev.midplane.sysfs;

import java.util.Optional;

/** The bonding {@code arp_validate} option: which slaves must see validating ARP traffic. */
public enum ArpValidate implements SysfsOption {
  NONE,
  ACTIVE,
  BACKUP,
  ALL,
  FILTER,
  FILTER_ACTIVE,
  FILTER_BACKUP;

  /** Accepts the option name or its number, or what reading {@code bonding/arp_validate} returns. */
  public static Optional<ArpValidate> fromOption(String text) {
    return SysfsOption.parse(values(), text);
  }
}
