package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.sysfs.SlaveLinkState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A bond as the kernel reports it at one moment ({@link Bond#status()}): its options, which link
 * monitor runs, which slave is active, and each slave's link as that monitor sees it.
 *
 * @param up administratively up
 * @param carrier the bond has a slave whose link is up (what the bridge above it sees)
 * @param master the bridge (or bond) this bond is a port of
 */
public record BondStatus(InterfaceName name, BondOptions.Mode mode, int miimon, int updelay, int downdelay,
    int arpInterval, List<Ipv4Address> arpIpTargets, String arpValidate, Optional<InterfaceName> primary,
    String failOverMac, Optional<InterfaceName> activeSlave, boolean up, boolean carrier, List<SlaveStatus> slaves,
    Optional<InterfaceName> master) {
  /** Which link monitor decides whether a slave is up. */
  public enum Monitor {
    /** Neither: a slave is believed up for ever. */
    NONE,
    /** MII ({@code miimon}): the slave's carrier, nothing beyond the first switch port. */
    MII,
    /** ARP ({@code arp_interval}): whether the {@code arp_ip_target}s answer through the slave. */
    ARP
  }

  /**
   * One slave.
   *
   * @param active the slave the bond sends through ({@code state ACTIVE})
   * @param link the slave's link as the bond's monitor sees it
   * @param linkFailures how often the monitor has seen it go down
   */
  public record SlaveStatus(InterfaceName name, boolean active, SlaveLinkState link, long linkFailures,
      Optional<MacAddress> permanentAddress) {
    public SlaveStatus {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(permanentAddress, "permanentAddress");
    }
  }

  public BondStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mode, "mode");
    arpIpTargets = List.copyOf(arpIpTargets);
    slaves = List.copyOf(slaves);
  }

  public Monitor monitor() {
    return miimon > 0 ? Monitor.MII : arpInterval > 0 ? Monitor.ARP : Monitor.NONE;
  }

  public Optional<SlaveStatus> slave(InterfaceName n) {
    return slaves.stream().filter(s -> s.name().equals(n)).findFirst();
  }

  /** The slaves whose link is up. */
  public List<InterfaceName> slavesWithLink() {
    return slaves.stream().filter(s -> s.link() == SlaveLinkState.UP).map(SlaveStatus::name).toList();
  }

  /**
   * The options as {@link BondOptions}, ready to be changed and given to {@link Bond#reconfigure}.
   *
   * @throws IllegalStateException when the bond runs the ARP monitor without a target, which
   *     {@link BondOptions} does not allow (and which marks every slave down)
   */
  public BondOptions options() {
    if (arpInterval > 0 && arpIpTargets.isEmpty()) {
      throw new IllegalStateException(name + " runs the ARP monitor (arp_interval " + arpInterval
          + ") without arp_ip_target: no slave can be seen up");
    }
    BondOptions.Builder b = BondOptions.builder().mode(mode).miimon(miimon).arpInterval(arpInterval)
        .arpIpTargets(arpIpTargets).arpValidate(arpValidate).primary(primary).failOverMac(failOverMac);
    if (miimon > 0) {
      b.updelay(updelay).downdelay(downdelay);
    }
    return b.build();
  }

  static BondStatus of(Link bond, List<Link> all) {
    Link.BondInfo b = bond.bond().orElseThrow(() -> new IllegalArgumentException(bond.name() + " is not a bond"));
    List<SlaveStatus> slaves = all.stream().filter(l -> l.master().equals(Optional.of(bond.name())))
        .filter(l -> l.bondSlave().isPresent()).map(l -> {
          Link.BondSlaveInfo s = l.bondSlave().get();
          SlaveLinkState link = SlaveLinkState.fromText(s.miiStatus().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
              .orElseThrow(() -> new IllegalArgumentException(l.name() + ": unknown mii_status " + s.miiStatus()));
          return new SlaveStatus(l.name(), s.state().equals("ACTIVE") && b.activeSlave().map(l.name()::equals)
              .orElse(!List.of("active-backup", "balance-tlb", "balance-alb").contains(b.mode())), link,
              s.linkFailureCount(), s.permanentAddress());
        }).toList();
    return new BondStatus(bond.name(), BondOptions.Mode.parse(b.mode()), b.miimon(), b.updelay(), b.downdelay(),
        b.arpInterval(), b.arpIpTargets(), b.arpValidate(), b.primary(), b.failOverMac(), b.activeSlave(),
        bond.isUp(), bond.hasCarrier(), slaves, bond.master());
  }
}
