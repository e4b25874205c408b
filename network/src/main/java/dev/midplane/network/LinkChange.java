package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One change to the kernel's devices, the unit of a network {@link dev.midplane.core.plan.Plan}:
 * each backend renders it as commands (or one {@code ip -batch} line, or sysfs writes), each can be
 * checked against a {@link LiveState} — bond options by reading them back — and each has an inverse
 * for rollback.
 */
sealed interface LinkChange {
  /** What it does, in words. */
  String description();

  /** The problem when {@code live} does not show this change in effect; empty when it does. */
  Optional<String> problem(LiveState live);

  /** What {@link Delete} removes: the tools differ per kind ({@code brctl delbr}, {@code -bond}). */
  enum DeviceKind {
    BRIDGE,
    BOND,
    OTHER
  }

  record CreateBridge(InterfaceName name, BridgeOptions options) implements LinkChange {
    @Override
    public String description() {
      return "create bridge " + name + (options.stp() ? " with STP" : "");
    }

    @Override
    public Optional<String> problem(LiveState live) {
      Optional<BridgeStatus> b = live.bridge(name);
      if (b.isEmpty()) {
        return Optional.of("there is no bridge " + name);
      }
      return b.get().stp() == options.stp() ? Optional.empty()
          : Optional.of("bridge " + name + " has STP " + (b.get().stp() ? "on" : "off"));
    }
  }

  /** A bond with its options; verified by reading every option back. */
  record CreateBond(InterfaceName name, BondOptions options) implements LinkChange {
    @Override
    public String description() {
      return "create bond " + name + " (" + options.bondingOpts() + ")";
    }

    @Override
    public Optional<String> problem(LiveState live) {
      Optional<Link.BondInfo> info = live.link(name).flatMap(Link::bond);
      if (info.isEmpty()) {
        return Optional.of("there is no bond " + name);
      }
      for (String kv : options.keyValues()) {
        int eq = kv.indexOf('=');
        Optional<String> p = BondOptionValues.mismatch(name, info.get(), kv.substring(0, eq), kv.substring(eq + 1));
        if (p.isPresent()) {
          return p;
        }
      }
      return Optional.empty();
    }
  }

  record CreateVlan(InterfaceName name, InterfaceName parent, int id) implements LinkChange {
    public CreateVlan {
      if (id < 1 || id > 4094) {
        throw new IllegalArgumentException("a VLAN id is 1..4094, not " + id);
      }
    }

    @Override
    public String description() {
      return "create VLAN " + name + " (id " + id + " on " + parent + ")";
    }

    @Override
    public Optional<String> problem(LiveState live) {
      Optional<Link> l = live.link(name);
      if (l.isEmpty() || l.get().vlan().isEmpty()) {
        return Optional.of("there is no VLAN device " + name);
      }
      boolean ok = l.get().vlan().get().id() == id && l.get().lower().equals(Optional.of(parent));
      return ok ? Optional.empty() : Optional.of(name + " is VLAN " + l.get().vlan().get().id() + " on "
          + l.get().lower().map(InterfaceName::value).orElse("?"));
    }
  }

  record Delete(InterfaceName name, DeviceKind kind) implements LinkChange {
    public Delete {
      Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String description() {
      return "delete " + switch (kind) {
        case BRIDGE -> "bridge ";
        case BOND -> "bond ";
        case OTHER -> "";
      } + name;
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.link(name).isPresent() || live.bridge(name).isPresent()
          ? Optional.of(name + " still exists") : Optional.empty();
    }
  }

  /** Makes {@code port} a port of {@code bridge}. */
  record Attach(InterfaceName port, InterfaceName master) implements LinkChange {
    @Override
    public String description() {
      return "attach " + port + " to " + master;
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.bridge(master).filter(b -> b.ports().contains(port)).isPresent()
          || live.link(port).flatMap(Link::master).filter(master::equals).isPresent()
          ? Optional.empty() : Optional.of(port + " is not a port of " + master);
    }
  }

  record Detach(InterfaceName port, InterfaceName master) implements LinkChange {
    @Override
    public String description() {
      return "detach " + port + " from " + master;
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.bridge(master).filter(b -> b.ports().contains(port)).isPresent()
          ? Optional.of(port + " is still a port of " + master) : Optional.empty();
    }
  }

  /** Makes {@code slave} a slave of {@code bond} (the kernel wants it down first, and opens it). */
  record Enslave(InterfaceName slave, InterfaceName bond) implements LinkChange {
    @Override
    public String description() {
      return "enslave " + slave + " to " + bond;
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.link(slave).flatMap(Link::master).filter(bond::equals).isPresent()
          && live.link(slave).flatMap(Link::bondSlave).isPresent()
          ? Optional.empty() : Optional.of(slave + " is not a slave of " + bond);
    }
  }

  /** Releases {@code slave} from {@code bond} (the kernel closes it and gives its address back). */
  record Release(InterfaceName slave, InterfaceName bond) implements LinkChange {
    @Override
    public String description() {
      return "release " + slave + " from " + bond;
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.link(slave).flatMap(Link::master).filter(bond::equals).isPresent()
          ? Optional.of(slave + " is still a slave of " + bond) : Optional.empty();
    }
  }

  record SetUp(InterfaceName name, boolean up) implements LinkChange {
    @Override
    public String description() {
      return "set " + name + (up ? " up" : " down");
    }

    @Override
    public Optional<String> problem(LiveState live) {
      Optional<Link> l = live.link(name);
      if (l.isEmpty()) {
        return Optional.of("there is no device " + name);
      }
      return l.get().isUp() == up ? Optional.empty() : Optional.of(name + " is " + (up ? "down" : "up"));
    }
  }

  /**
   * One bonding option by its kernel name ({@code miimon}, {@code arp_validate}, {@code primary},
   * …), verified by reading the option back from the kernel.
   */
  record SetBondOption(InterfaceName bond, String option, String value) implements LinkChange {
    public SetBondOption {
      Objects.requireNonNull(option, "option");
      Objects.requireNonNull(value, "value");
      if (option.equals("arp_ip_target") || option.equals("active_slave")) {
        throw new IllegalArgumentException(option + " has a change of its own");
      }
    }

    @Override
    public String description() {
      return "set " + option + " of " + bond + " to " + (value.isEmpty() ? "nothing" : value);
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.link(bond).flatMap(Link::bond).map(b -> BondOptionValues.mismatch(bond, b, option, value))
          .orElse(Optional.of("there is no bond " + bond));
    }
  }

  /**
   * The bond's ARP targets become exactly {@code targets}, in this order; {@code previous} are the
   * targets it had when the change was planned (what a dry run of sysfs writes removes, and what
   * the rollback puts back).
   */
  record SetArpTargets(InterfaceName bond, List<Ipv4Address> targets, List<Ipv4Address> previous) implements LinkChange {
    public SetArpTargets {
      targets = List.copyOf(targets);
      previous = List.copyOf(previous);
    }

    @Override
    public String description() {
      return "set the ARP targets of " + bond + " to " + (targets.isEmpty() ? "none" : BondOptionValues.join(targets));
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.link(bond).flatMap(Link::bond)
          .map(b -> b.arpIpTargets().equals(targets) ? Optional.<String>empty()
              : Optional.of(bond + " has ARP targets " + b.arpIpTargets() + ", not " + targets))
          .orElse(Optional.of("there is no bond " + bond));
    }
  }

  /** Makes {@code slave} the active slave of {@code bond}. */
  record SetActiveSlave(InterfaceName bond, InterfaceName slave) implements LinkChange {
    @Override
    public String description() {
      return "make " + slave + " the active slave of " + bond;
    }

    @Override
    public Optional<String> problem(LiveState live) {
      Optional<Link.BondInfo> b = live.link(bond).flatMap(Link::bond);
      if (b.isEmpty()) {
        return Optional.of("there is no bond " + bond);
      }
      return b.get().activeSlave().equals(Optional.of(slave)) ? Optional.empty()
          : Optional.of("the active slave of " + bond + " is " + b.get().activeSlave().map(InterfaceName::value).orElse("none")
              + ", not " + slave);
    }
  }

  /** An IPv4 address on a device. */
  record AddAddress(InterfaceName device, Ipv4Address address, int prefixLength) implements LinkChange {
    public AddAddress {
      checkPrefix(prefixLength);
    }

    @Override
    public String description() {
      return "add " + address + "/" + prefixLength + " to " + device;
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.hasAddress(device, address, prefixLength) ? Optional.empty()
          : Optional.of(device + " does not have " + address + "/" + prefixLength);
    }
  }

  record DeleteAddress(InterfaceName device, Ipv4Address address, int prefixLength) implements LinkChange {
    public DeleteAddress {
      checkPrefix(prefixLength);
    }

    @Override
    public String description() {
      return "delete " + address + "/" + prefixLength + " from " + device;
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.hasAddress(device, address, prefixLength)
          ? Optional.of(device + " still has " + address + "/" + prefixLength) : Optional.empty();
    }
  }

  private static void checkPrefix(int prefixLength) {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("an IPv4 prefix length is 0..32, not " + prefixLength);
    }
  }
}
