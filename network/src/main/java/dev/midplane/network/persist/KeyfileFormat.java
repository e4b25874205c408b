package dev.midplane.network.persist;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.network.BondOptions;
import dev.midplane.core.ParseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link InterfaceConfig} as a NetworkManager keyfile, following nm-settings-keyfile(5):
 * {@code [connection]} with {@code id}, {@code uuid}, {@code type} (ethernet, bond, bridge, vlan),
 * {@code interface-name}, {@code autoconnect}, and for a port {@code master} and {@code
 * slave-type} (read also as the newer {@code controller} and {@code port-type}); the bond options
 * as keys of {@code [bond]}; {@code [bridge]} with {@code stp};
 * {@code [vlan]} with {@code id} and {@code parent}; {@code [ipv4]} and {@code [ipv6]} methods, a
 * static address as {@code address1=a.b.c.d/len[,gateway]}.
 *
 * <p>The uuid is derived from the device name, so writing the same layout twice gives the same
 * file and NetworkManager keeps one connection per device.
 */
final class KeyfileFormat {
  private KeyfileFormat() {}

  static String fileName(InterfaceName device) {
    return device.value() + ".nmconnection";
  }

  static UUID uuid(InterfaceName device) {
    return UUID.nameUUIDFromBytes(("midplane:" + device.value()).getBytes(StandardCharsets.UTF_8));
  }

  static Keyfile render(InterfaceConfig c) {
    String type = switch (c.kind()) {
      case ETHERNET -> "ethernet";
      case BOND -> "bond";
      case BRIDGE -> "bridge";
      case VLAN -> "vlan";
    };
    Keyfile k = Keyfile.empty()
        .with("connection", "id", c.name().value())
        .with("connection", "uuid", uuid(c.name()).toString())
        .with("connection", "type", type)
        .with("connection", "interface-name", c.name().value())
        .with("connection", "autoconnect", c.onBoot() ? "true" : "false");
    Optional<InterfaceName> master = c.slaveOf().or(c::bridge);
    if (master.isPresent()) {
      k = k.with("connection", "master", master.get().value())
          .with("connection", "slave-type", c.slaveOf().isPresent() ? "bond" : "bridge");
    }
    switch (c.kind()) {
      case ETHERNET -> {
        // nothing beyond [connection]: NetworkManager takes an ethernet connection without [ethernet]
      }
      case BOND -> {
        for (String kv : c.bond().orElseThrow().keyValues()) {
          int eq = kv.indexOf('=');
          k = k.with("bond", kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
      // No forward-delay: without STP the kernel ignores it, and NetworkManager only takes 2..30.
      case BRIDGE -> k = k.with("bridge", "stp", c.stp().orElseThrow() ? "true" : "false");
      case VLAN -> k = k.with("vlan", "id", String.valueOf(c.vlan().orElseThrow().id()))
          .with("vlan", "parent", c.vlan().orElseThrow().parent().value());
      default -> throw new IllegalStateException();
    }
    if (master.isEmpty()) {
      if (c.ipv4().isPresent()) {
        InterfaceConfig.Ipv4 ip = c.ipv4().get();
        k = k.with("ipv4", "method", "manual").with("ipv4", "address1",
            ip.address() + "/" + ip.prefixLength() + ip.gateway().map(g -> "," + g).orElse(""));
      } else {
        k = k.with("ipv4", "method", "disabled");
      }
      k = k.with("ipv6", "method", "ignore");
    }
    return k;
  }

  static InterfaceConfig read(String file, Keyfile k) {
    try {
      Map<String, String> conn = k.group("connection");
      String name = Optional.ofNullable(conn.get("interface-name")).or(() -> Optional.ofNullable(conn.get("id")))
          .orElseThrow(() -> new IllegalArgumentException("no interface-name"));
      String type = Optional.ofNullable(conn.get("type")).orElseThrow(() -> new IllegalArgumentException("no type"));
      InterfaceConfig.Kind kind = switch (type) {
        case "ethernet", "802-3-ethernet" -> InterfaceConfig.Kind.ETHERNET;
        case "bond" -> InterfaceConfig.Kind.BOND;
        case "bridge" -> InterfaceConfig.Kind.BRIDGE;
        case "vlan" -> InterfaceConfig.Kind.VLAN;
        default -> throw new IllegalArgumentException("connection type " + type + " is not a bond, bridge, vlan or ethernet");
      };
      Optional<InterfaceName> master = Optional.ofNullable(conn.getOrDefault("master", conn.get("controller")))
          .map(InterfaceName::of);
      String slaveType = conn.getOrDefault("slave-type", conn.getOrDefault("port-type", ""));
      Optional<InterfaceName> slaveOf = slaveType.equals("bond") ? master : Optional.empty();
      Optional<InterfaceName> bridge = slaveType.equals("bridge") ? master : Optional.empty();
      Optional<BondOptions> bond = Optional.empty();
      if (kind == InterfaceConfig.Kind.BOND) {
        List<String> kv = new ArrayList<>();
        k.group("bond").forEach((key, value) -> kv.add(key + "=" + value));
        bond = Optional.of(BondOptions.parse(String.join(" ", kv)));
      }
      Optional<InterfaceConfig.Vlan> vlan = Optional.empty();
      if (kind == InterfaceConfig.Kind.VLAN) {
        vlan = Optional.of(new InterfaceConfig.Vlan(InterfaceName.of(k.get("vlan", "parent").orElseThrow(
            () -> new IllegalArgumentException("[vlan] has no parent"))), Integer.parseInt(k.get("vlan", "id").orElse("0"))));
      }
      Optional<Boolean> stp = kind == InterfaceConfig.Kind.BRIDGE
          ? Optional.of(!k.get("bridge", "stp").orElse("true").equals("false")) : Optional.empty();
      Optional<InterfaceConfig.Ipv4> ip = Optional.empty();
      Optional<String> a1 = k.get("ipv4", "address1");
      if (a1.isPresent() && k.get("ipv4", "method").orElse("").equals("manual")) {
        String[] parts = a1.get().split(",", 2);
        String[] ap = parts[0].split("/", 2);
        Optional<Ipv4Address> gw = parts.length > 1 ? Optional.of(Ipv4Address.of(parts[1].strip()))
            : k.get("ipv4", "gateway").map(Ipv4Address::of);
        ip = Optional.of(new InterfaceConfig.Ipv4(Ipv4Address.of(ap[0]), ap.length > 1 ? Integer.parseInt(ap[1]) : 32, gw));
      }
      boolean onBoot = !conn.getOrDefault("autoconnect", "true").equals("false");
      return new InterfaceConfig(InterfaceName.of(name), kind, slaveOf, bridge, bond, vlan, stp, ip, onBoot);
    } catch (RuntimeException e) {
      throw new ParseException(file, 0, 0, "", "not a connection NetworkManager can use this way: " + e.getMessage(), e);
    }
  }
}
