package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import java.util.Optional;

/**
 * One change to the kernel's devices, the unit of a network {@link dev.midplane.core.plan.Plan}:
 * each backend renders it as commands (or one {@code ip -batch} line), each can be checked
 * against a {@link LiveState}, each has an inverse for rollback.
 */
sealed interface LinkChange {
  /** What it does, in words. */
  String description();

  /** The problem when {@code live} does not show this change in effect; empty when it does. */
  Optional<String> problem(LiveState live);

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

  record CreateBond(InterfaceName name, BondOptions options) implements LinkChange {
    @Override
    public String description() {
      return "create bond " + name + " (" + options.bondingOpts() + ")";
    }

    @Override
    public Optional<String> problem(LiveState live) {
      Optional<Link> l = live.link(name);
      if (l.isEmpty() || l.get().bond().isEmpty()) {
        return Optional.of("there is no bond " + name);
      }
      String mode = l.get().bond().get().mode();
      return mode.equals(options.mode().kernelName()) ? Optional.empty()
          : Optional.of("bond " + name + " is in mode " + mode + ", not " + options.mode().kernelName());
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

  record Delete(InterfaceName name, boolean bridge) implements LinkChange {
    @Override
    public String description() {
      return "delete " + (bridge ? "bridge " : "") + name;
    }

    @Override
    public Optional<String> problem(LiveState live) {
      return live.link(name).isPresent() || live.bridge(name).isPresent()
          ? Optional.of(name + " still exists") : Optional.empty();
    }
  }

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

}
