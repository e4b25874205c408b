package dev.midplane.sysfs;

import java.util.Optional;

/** The bonding {@code fail_over_mac} option (active-backup): how slaves' MAC addresses are set. */
public enum FailOverMac implements SysfsOption {
  /** All slaves take the bond's address (the default). */
  NONE,
  /** The bond takes the active slave's address. */
  ACTIVE,
  /** The new active slave takes the bond's address, the old one the new one's. */
  FOLLOW;

  /** Accepts the option name or its number, or what reading {@code bonding/fail_over_mac} returns. */
  public static Optional<FailOverMac> fromOption(String text) {
    return SysfsOption.parse(values(), text);
  }
}
