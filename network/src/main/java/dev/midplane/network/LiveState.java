package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What one read of the host showed: devices, bridges with their ports, and addresses. */
record LiveState(Map<InterfaceName, Link> links, List<BridgeStatus> bridges, List<IfAddress> addresses) {
  LiveState {
    links = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(links));
    bridges = List.copyOf(bridges);
    addresses = List.copyOf(addresses);
  }

  /** From {@code ip -j -d addr show}: devices and addresses; bridges derived from masters. */
  static LiveState fromIp(String json) {
    List<Link> list = IpJson.links(json);
    Map<InterfaceName, Link> links = new LinkedHashMap<>();
    list.forEach(l -> links.put(l.name(), l));
    return new LiveState(links, bridgesOf(list), IpJson.addresses(json));
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

  List<IfAddress> globalAddresses(InterfaceName device) {
    return addresses.stream().filter(a -> a.device().equals(device) && a.isGlobal()).toList();
  }
}
