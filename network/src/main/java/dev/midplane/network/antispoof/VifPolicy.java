package dev.midplane.network.antispoof;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import org.immutables.value.Value;

/**
 * What one VM interface may send and receive on the bridge. Frames that enter the bridge on
 * {@link #vif()} are what the VM sends; frames that leave by it are what the VM receives.
 *
 * <p>From the VM, a locked vif passes only:
 * <ul>
 *   <li>frames whose Ethernet source is {@link #mac()};
 *   <li>IPv4 whose source is one of {@link #addresses()};
 *   <li>ARP (EtherType 0x0806) whose sender hardware address is {@link #mac()} and whose sender
 *       protocol address is one of {@link #addresses()};
 *   <li>with {@link #dhcp()}: DHCP client broadcasts — UDP from 0.0.0.0 port 68 to
 *       255.255.255.255 port 67 — and ARP probes (sender address 0.0.0.0, RFC 5227) that DHCP
 *       clients send to test their lease. The DHCP server still decides which address the VM
 *       gets, and the VM can only use it if it is one of {@link #addresses()}.
 * </ul>
 * Everything else from the VM is dropped: RARP (Xen's netfront announces a migrated guest with
 * gratuitous ARP, which passes the ARP rule), IPv6 (the policy names no IPv6 addresses, and
 * without them neighbour discovery cannot be restricted), VLAN-tagged frames (no VLAN hopping) and
 * every other EtherType.
 *
 * <p>Toward the VM only frames addressed to {@link #mac()}, to broadcast or to a multicast group
 * pass, so the VM cannot see other guests' unicast even when the bridge floods it (unknown
 * destination, {@code ageing_time 0}, a full forwarding database).
 */
@Value.Immutable
public abstract class VifPolicy {
  /** The host side of the VM's interface, such as {@code vif3.0}. */
  public abstract InterfaceName vif();

  /** The VM's MAC address: unicast and not all-zero. */
  public abstract MacAddress mac();

  /** The IPv4 addresses the VM may use; may be empty (then only DHCP, if allowed). */
  @Value.NaturalOrder
  public abstract java.util.SortedSet<Ipv4Address> addresses();

  /** Whether DHCP client broadcasts and ARP probes from 0.0.0.0 pass; off unless asked for. */
  @Value.Default
  public boolean dhcp() {
    return false;
  }

  @Value.Check
  protected void check() {
    if (mac().isMulticast() || mac().isZero()) {
      throw new IllegalArgumentException("a VM's MAC address must be unicast and not zero: " + mac());
    }
    for (Ipv4Address a : addresses()) {
      if (a.isUnspecified() || a.isLimitedBroadcast() || a.isMulticast()) {
        throw new IllegalArgumentException("not an address a VM may own: " + a
            + " (0.0.0.0 is allowed through dhcp(true) only; broadcast and multicast never)");
      }
    }
  }

  /** A policy without DHCP. */
  public static VifPolicy of(InterfaceName vif, MacAddress mac, Ipv4Address... addresses) {
    return builder().vif(vif).mac(mac).addAddresses(addresses).build();
  }

  /** The same policy for another vif name (after a migration, the domain id changes). */
  public VifPolicy onVif(InterfaceName other) {
    return builder().from(this).vif(other).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link VifPolicy}. */
  public static final class Builder extends ImmutableVifPolicy.Builder {}
}
