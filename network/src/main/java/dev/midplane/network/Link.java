package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * A network device as the kernel reports it ({@code ip -j -d link show}): a snapshot, not a
 * handle. Kind-specific details are present only for that kind: {@link #bond()} for a bond,
 * {@link #vlan()} for an 802.1Q device, {@link #bridge()} for a bridge; {@link #bondSlave()} and
 * {@link #bridgePort()} for a device enslaved to one.
 */
@Value.Immutable
public abstract class Link {
  public abstract InterfaceName name();

  public abstract int index();

  /** {@code bridge}, {@code bond}, {@code vlan}, {@code veth}, {@code dummy}…; empty for a plain NIC. */
  public abstract Optional<String> kind();

  /** The bridge or bond this device is enslaved to. */
  public abstract Optional<InterfaceName> master();

  /**
   * The device this one is stacked on or paired with ({@code link}): a VLAN's parent, a veth's
   * peer. Empty when there is none, or when the peer lives in another namespace.
   */
  public abstract Optional<InterfaceName> lower();

  /** Interface flags as {@code ip} prints them: {@code UP}, {@code LOWER_UP}, {@code MASTER}, … */
  public abstract Set<String> flags();

  /** RFC 2863 operational state: {@code UP}, {@code DOWN}, {@code UNKNOWN}, … */
  public abstract String operState();

  public abstract int mtu();

  public abstract Optional<MacAddress> address();

  /** What kind of master this device is a slave of ({@code bridge}, {@code bond}). */
  public abstract Optional<String> slaveKind();

  public abstract Optional<BondInfo> bond();

  public abstract Optional<BondSlaveInfo> bondSlave();

  public abstract Optional<VlanInfo> vlan();

  public abstract Optional<BridgeInfo> bridge();

  public abstract Optional<BridgePortInfo> bridgePort();

  /** Administratively up ({@code ip link set … up}). */
  public boolean isUp() {
    return flags().contains("UP");
  }

  /** The lower layer reports carrier. */
  public boolean hasCarrier() {
    return flags().contains("LOWER_UP");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link Link}. */
  public static final class Builder extends ImmutableLink.Builder {}

  /**
   * A bond's settings and state, from {@code info_data}.
   *
   * @param arpValidate {@code none} when the kernel reports none (iproute2 prints JSON null)
   * @param options every other option as printed, for what this record does not type
   */
  public record BondInfo(String mode, Optional<InterfaceName> activeSlave, int miimon, int updelay, int downdelay,
      int arpInterval, List<dev.midplane.core.names.Ipv4Address> arpIpTargets, String arpValidate,
      Optional<InterfaceName> primary, String failOverMac, java.util.Map<String, String> options) {
    public BondInfo {
      arpIpTargets = List.copyOf(arpIpTargets);
      options = java.util.Map.copyOf(options);
    }
  }

  /** A bond slave's state: {@code state} ACTIVE or BACKUP, {@code miiStatus} UP or DOWN. */
  public record BondSlaveInfo(String state, String miiStatus, long linkFailureCount, Optional<MacAddress> permanentAddress) {}

  /** An 802.1Q (or 802.1ad) device: its protocol and id; the parent is {@link Link#lower()}. */
  public record VlanInfo(String protocol, int id) {}

  /**
   * A bridge's settings: STP on or off, ageing time, forward delay (both in centiseconds, as the
   * kernel keeps them), the bridge id in {@code brctl}'s spelling ({@code 8000.e60b332022ef}).
   */
  public record BridgeInfo(boolean stp, int ageingTimeCs, int forwardDelayCs, String bridgeId, boolean vlanFiltering) {}

  /** A bridge port's STP state ({@code forwarding}, {@code disabled}, …) and flags. */
  public record BridgePortInfo(String state, boolean learning, boolean flood) {}
}
