package dev.midplane.network.persist;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.network.BondOptions;
import java.util.Objects;
import java.util.Optional;

/**
 * One device's persistent configuration, in terms both ifcfg files and NetworkManager keyfiles
 * can express: what it is, what it is enslaved to, and its IPv4 address if it has one.
 *
 * @param slaveOf the bond this device is a slave (port) of
 * @param bridge the bridge this device is a port of
 * @param bond the bond's options, for a bond
 * @param vlan parent and id, for an 802.1Q device
 * @param stp whether a bridge runs STP
 * @param ipv4 a static address, for the device that carries the host's own address
 * @param onBoot brought up at boot ({@code ONBOOT}, {@code autoconnect})
 */
public record InterfaceConfig(InterfaceName name, Kind kind, Optional<InterfaceName> slaveOf,
    Optional<InterfaceName> bridge, Optional<BondOptions> bond, Optional<Vlan> vlan, Optional<Boolean> stp,
    Optional<Ipv4> ipv4, boolean onBoot) {
  /** What the device is. */
  public enum Kind {
    ETHERNET,
    BOND,
    BRIDGE,
    VLAN
  }

  /** An 802.1Q device's parent and id. */
  public record Vlan(InterfaceName parent, int id) {
    public Vlan {
      Objects.requireNonNull(parent, "parent");
      if (id < 1 || id > 4094) {
        throw new IllegalArgumentException("a VLAN id is 1..4094, not " + id);
      }
    }
  }

  /** A static IPv4 address with its prefix length and an optional default gateway. */
  public record Ipv4(Ipv4Address address, int prefixLength, Optional<Ipv4Address> gateway) {
    public Ipv4 {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(gateway, "gateway");
      if (prefixLength < 1 || prefixLength > 32) {
        throw new IllegalArgumentException("prefix length 1..32, not " + prefixLength);
      }
    }

    @Override
    public String toString() {
      return address + "/" + prefixLength + gateway.map(g -> " via " + g).orElse("");
    }
  }

  public InterfaceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(slaveOf, "slaveOf");
    Objects.requireNonNull(bridge, "bridge");
    Objects.requireNonNull(bond, "bond");
    Objects.requireNonNull(vlan, "vlan");
    Objects.requireNonNull(stp, "stp");
    Objects.requireNonNull(ipv4, "ipv4");
    if (slaveOf.isPresent() && (bridge.isPresent() || ipv4.isPresent())) {
      throw new IllegalArgumentException(name + ": a bond slave is neither a bridge port nor addressed itself");
    }
    if (bond.isPresent() != (kind == Kind.BOND)) {
      throw new IllegalArgumentException(name + ": bond options go with a bond and only with it");
    }
    if (vlan.isPresent() != (kind == Kind.VLAN)) {
      throw new IllegalArgumentException(name + ": VLAN parent and id go with a VLAN device and only with it");
    }
    if (stp.isPresent() != (kind == Kind.BRIDGE)) {
      throw new IllegalArgumentException(name + ": STP goes with a bridge and only with it");
    }
  }

  /** A NIC enslaved to {@code bond}. */
  public static InterfaceConfig bondSlave(InterfaceName nic, InterfaceName bond) {
    return new InterfaceConfig(nic, Kind.ETHERNET, Optional.of(bond), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), true);
  }

  /** A bond, port of {@code bridge}. */
  public static InterfaceConfig bond(InterfaceName bond, BondOptions options, Optional<InterfaceName> bridge) {
    return new InterfaceConfig(bond, Kind.BOND, Optional.empty(), bridge, Optional.of(options), Optional.empty(),
        Optional.empty(), Optional.empty(), true);
  }

  /** A bridge, with the host's address when it carries it. */
  public static InterfaceConfig bridge(InterfaceName bridge, boolean stp, Optional<Ipv4> ipv4) {
    return new InterfaceConfig(bridge, Kind.BRIDGE, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.of(stp), ipv4, true);
  }

  /** An 802.1Q device, port of {@code bridge}. */
  public static InterfaceConfig vlan(InterfaceName parent, int id, Optional<InterfaceName> bridge) {
    return new InterfaceConfig(InterfaceName.of(parent.value() + "." + id), Kind.VLAN, Optional.empty(), bridge,
        Optional.empty(), Optional.of(new Vlan(parent, id)), Optional.empty(), Optional.empty(), true);
  }
}
