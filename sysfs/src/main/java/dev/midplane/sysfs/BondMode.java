package dev.midplane.sysfs;

import java.util.Optional;

/**
 * A bonding mode, with the three spellings the kernel uses: the option name
 * ({@code active-backup}, written to and read from {@code bonding/mode} followed by the number,
 * e.g. {@code active-backup 1}), the number, and the description in
 * {@code /proc/net/bonding/bondN} ({@code fault-tolerance (active-backup)}).
 */
public enum BondMode implements SysfsOption {
  BALANCE_RR("balance-rr", "load balancing (round-robin)"),
  ACTIVE_BACKUP("active-backup", "fault-tolerance (active-backup)"),
  BALANCE_XOR("balance-xor", "load balancing (xor)"),
  BROADCAST("broadcast", "fault-tolerance (broadcast)"),
  IEEE_802_3AD("802.3ad", "IEEE 802.3ad Dynamic link aggregation"),
  BALANCE_TLB("balance-tlb", "transmit load balancing"),
  BALANCE_ALB("balance-alb", "adaptive load balancing");

  private final String option;
  private final String description;

  BondMode(String option, String description) {
    this.option = option;
    this.description = description;
  }

  /** The option name, as {@code ip link ... type bond mode X} and sysfs accept it. */
  @Override
  public String option() {
    return option;
  }

  /** The text after {@code Bonding Mode: } in {@code /proc/net/bonding/bondN}. */
  public String description() {
    return description;
  }

  /** True for the modes that have a primary and a single active slave (active-backup, tlb, alb). */
  public boolean usesPrimary() {
    return this == ACTIVE_BACKUP || this == BALANCE_TLB || this == BALANCE_ALB;
  }

  /** Accepts what the kernel accepts on write: the option name or the number. */
  public static Optional<BondMode> fromOption(String text) {
    return text.strip().indexOf(' ') >= 0 ? Optional.empty() : SysfsOption.parse(values(), text);
  }

  /** Reads {@code bonding/mode} ({@code active-backup 1}). */
  public static Optional<BondMode> fromSysfs(String text) {
    return SysfsOption.parse(values(), text);
  }

  /** Reads the description in {@code /proc/net/bonding/bondN}. */
  public static Optional<BondMode> fromDescription(String text) {
    for (BondMode m : values()) {
      if (m.description.equals(text)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
