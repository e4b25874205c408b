package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What one read of the host showed: devices, bridges with their ports, and addresses. */
record LiveState(Map<InterfaceName, Link> links, List<BridgeStatus> bridges, List<IfAddress> addresses) {
  LiveState {
    links = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(links));
    bridges = List.copyOf(bridges);
    addresses = List.copyOf(addresses);
  }

  /** From {@code ip -j -d addr show}: devices and addresses; bridges derived from masters. */
  static LiveState fromIp(String json) {
    return of(IpJson.links(json), IpJson.addresses(json));
  }

  /** Devices and addresses read some other way; bridges derived from masters. */
  static LiveState of(List<Link> list, List<IfAddress> addresses) {
    Map<InterfaceName, Link> links = new LinkedHashMap<>();
    list.forEach(l -> links.put(l.name(), l));
    return new LiveState(links, bridgesOf(list), addresses);
  }

  static List<BridgeStatus> bridgesOf(List<Link> links) {
    List<BridgeStatus> out = new ArrayList<>();
    for (Link l : links) {
      l.bridge().ifPresent(info -> out.add(new BridgeStatus(l.name(), info.bridgeId(), info.stp(),
          links.stream().filter(p -> p.master().equals(Optional.of(l.name())) && p.slaveKind().filter("bridge"::equals)
              .isPresent()).map(Link::name).toList())));
    }
    return out;
  }

  Optional<Link> link(InterfaceName name) {
    return Optional.ofNullable(links.get(name));
  }

  Optional<BridgeStatus> bridge(InterfaceName name) {
    return bridges.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  boolean isBond(InterfaceName name) {
    return link(name).flatMap(Link::bond).isPresent();
  }

  List<IfAddress> globalAddresses(InterfaceName device) {
    return addresses.stream().filter(a -> a.device().equals(device) && a.isGlobal()).toList();
  }

  boolean hasAddress(InterfaceName device, Ipv4Address address, int prefixLength) {
    return addresses.stream().anyMatch(a -> a.device().equals(device) && a.family().equals("inet")
        && a.address().equals(address.toString()) && a.prefixLength() == prefixLength);
  }

  /**
   * The devices whose traffic goes through {@code device}: its master (bridge or bond), the VLANs
   * on it, and theirs in turn, nearest first.
   */
  List<InterfaceName> uppers(InterfaceName device) {
    Set<InterfaceName> seen = new LinkedHashSet<>();
    Deque<InterfaceName> todo = new ArrayDeque<>(List.of(device));
    while (!todo.isEmpty()) {
      InterfaceName d = todo.removeFirst();
      link(d).flatMap(Link::master).filter(seen::add).ifPresent(todo::addLast);
      for (Link l : links.values()) {
        if (l.vlan().isPresent() && l.lower().equals(Optional.of(d)) && seen.add(l.name())) {
          todo.addLast(l.name());
        }
      }
    }
    seen.remove(device);
    return List.copyOf(seen);
  }

  /** The global addresses on {@code device} or on a device stacked on it: what losing it would cut. */
  List<IfAddress> managementThrough(InterfaceName device) {
    List<IfAddress> out = new ArrayList<>(globalAddresses(device));
    uppers(device).forEach(u -> out.addAll(globalAddresses(u)));
    return out;
  }
}
