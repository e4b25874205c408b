package dev.midplane.sysfs;

import java.util.Optional;

/**
 * The bonding {@code arp_validate} option: which slaves must see validating ARP traffic. The
 * kernel's number is a bit set — 1 validates the active slave, 2 the backups, 4 filters — and
 * the methods below read it the way the bonding driver does when a frame arrives on a slave
 * ({@code bond_rcv_validate()} in Linux 6.1): on a slave it validates, only ARP from or to an ARP
 * target counts as traffic; on a slave it does not validate, any frame counts, or with a
 * {@code filter} value any ARP packet.
 */
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

  /** Whether the active slave counts only ARP traffic to and from the targets ({@code active}, {@code all}, {@code filter_active}). */
  public boolean validatesActive() {
    return (number() & 1) != 0;
  }

  /**
   * Whether backup slaves count only ARP traffic that proves their path to the targets (the active
   * slave's probes seen through the network, or replies): {@code backup}, {@code all},
   * {@code filter_backup}.
   */
  public boolean validatesBackup() {
    return (number() & 2) != 0;
  }

  /** Whether a slave this value does not validate counts only ARP packets rather than any frame (the {@code filter} values). */
  public boolean filtersNonArp() {
    return (number() & 4) != 0;
  }

  /** Whether a slave in the given role counts a frame that is not ARP traffic of its targets: {@code arp} for any other ARP packet. */
  public boolean countsStrayFrame(boolean activeSlave, boolean arp) {
    boolean validated = activeSlave ? validatesActive() : validatesBackup();
    return !validated && (arp || !filtersNonArp());
  }
}
