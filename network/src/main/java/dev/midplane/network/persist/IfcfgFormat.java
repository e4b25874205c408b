package dev.midplane.network.persist;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.network.BondOptions;
import dev.midplane.core.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link InterfaceConfig} as initscripts' variables: {@code DEVICE}, {@code TYPE}
 * (Ethernet, Bond, Bridge), {@code ONBOOT}, {@code BOOTPROTO}, a slave's {@code MASTER} and
 * {@code SLAVE=yes}, a bond's {@code BONDING_MASTER=yes} and {@code BONDING_OPTS}, a port's
 * {@code BRIDGE}, a bridge's {@code STP} and {@code DELAY=0}, a VLAN's {@code VLAN=yes} and
 * {@code PHYSDEV}, and {@code IPADDR}/{@code PREFIX}/{@code GATEWAY}.
 */
final class IfcfgFormat {
  /** Keys this SDK writes; any other key of an existing file is left as it was. */
  static final List<String> MANAGED = List.of("DEVICE", "NAME", "TYPE", "ONBOOT", "BOOTPROTO", "NM_CONTROLLED", "MASTER",
      "SLAVE", "BONDING_MASTER", "BONDING_OPTS", "BRIDGE", "STP", "DELAY", "VLAN", "PHYSDEV", "VLAN_ID", "IPADDR",
      "PREFIX", "NETMASK", "GATEWAY");

  private IfcfgFormat() {}

  static String fileName(InterfaceName device) {
    return "ifcfg-" + device.value();
  }

  /**
   * {@code existing} (or an empty file) with the managed keys set for {@code c}; keys of other
   * tools (HWADDR, UUID, ETHTOOL_OPTS, comments) stay as they were.
   */
  static IfcfgFile render(InterfaceConfig c, IfcfgFile existing, boolean nmControlled) {
    IfcfgFile f = existing;
    for (String k : MANAGED) {
      f = f.without(k);
    }
    f = f.with("DEVICE", c.name().value()).with("NAME", c.name().value());
    switch (c.kind()) {
      case ETHERNET -> f = f.with("TYPE", "Ethernet");
      case BOND -> f = f.with("TYPE", "Bond").with("BONDING_MASTER", "yes")
          .with("BONDING_OPTS", c.bond().orElseThrow().bondingOpts());
      case BRIDGE -> f = f.with("TYPE", "Bridge").with("STP", c.stp().orElseThrow() ? "yes" : "no").with("DELAY", "0");
      case VLAN -> f = f.with("VLAN", "yes").with("PHYSDEV", c.vlan().orElseThrow().parent().value())
          .with("VLAN_ID", String.valueOf(c.vlan().orElseThrow().id()));
      default -> throw new IllegalStateException();
    }
    f = f.with("ONBOOT", c.onBoot() ? "yes" : "no").with("BOOTPROTO", c.ipv4().isPresent() ? "static" : "none");
    if (!nmControlled) {
      f = f.with("NM_CONTROLLED", "no");
    }
    if (c.slaveOf().isPresent()) {
      f = f.with("MASTER", c.slaveOf().get().value()).with("SLAVE", "yes");
    }
    if (c.bridge().isPresent()) {
      f = f.with("BRIDGE", c.bridge().get().value());
    }
    if (c.ipv4().isPresent()) {
      InterfaceConfig.Ipv4 ip = c.ipv4().get();
      f = f.with("IPADDR", ip.address().toString()).with("PREFIX", String.valueOf(ip.prefixLength()));
      if (ip.gateway().isPresent()) {
        f = f.with("GATEWAY", ip.gateway().get().toString());
      }
    }
    return f;
  }

  /**
   * Reads the configuration an ifcfg file describes, as initscripts would understand it.
   *
   * @throws ParseException naming the file and the variable when a value makes no sense
   */
  static InterfaceConfig read(String file, IfcfgFile f) {
    try {
      String dev = f.get("DEVICE").orElseGet(() -> file.startsWith("ifcfg-") ? file.substring(6) : file);
      InterfaceName name = InterfaceName.of(dev);
      String type = f.get("TYPE").orElse("").toLowerCase(Locale.ROOT);
      boolean vlan = yes(f, "VLAN");
      InterfaceConfig.Kind kind;
      if (vlan) {
        kind = InterfaceConfig.Kind.VLAN;
      } else if (type.equals("bond") || yes(f, "BONDING_MASTER") || f.get("BONDING_OPTS").isPresent()) {
        kind = InterfaceConfig.Kind.BOND;
      } else if (type.equals("bridge")) {
        kind = InterfaceConfig.Kind.BRIDGE;
      } else {
        kind = InterfaceConfig.Kind.ETHERNET;
      }
      Optional<InterfaceName> master = yes(f, "SLAVE") ? f.get("MASTER").map(InterfaceName::of) : Optional.empty();
      Optional<InterfaceName> bridge = f.get("BRIDGE").filter(s -> !s.isEmpty()).map(InterfaceName::of);
      Optional<BondOptions> bond = kind == InterfaceConfig.Kind.BOND
          ? Optional.of(BondOptions.parse(f.get("BONDING_OPTS").orElse(""))) : Optional.empty();
      Optional<InterfaceConfig.Vlan> v = Optional.empty();
      if (vlan) {
        int dot = dev.lastIndexOf('.');
        String parent = f.get("PHYSDEV").orElse(dot > 0 ? dev.substring(0, dot) : "");
        String id = f.get("VLAN_ID").orElse(dot > 0 ? dev.substring(dot + 1) : "");
        v = Optional.of(new InterfaceConfig.Vlan(InterfaceName.of(parent), Integer.parseInt(id)));
      }
      Optional<Boolean> stp = kind == InterfaceConfig.Kind.BRIDGE
          ? Optional.of(f.get("STP").map(s -> s.equalsIgnoreCase("yes") || s.equals("on")).orElse(false)) : Optional.empty();
      Optional<InterfaceConfig.Ipv4> ip = Optional.empty();
      String proto = f.get("BOOTPROTO").orElse("none").toLowerCase(Locale.ROOT);
      if (f.get("IPADDR").isPresent() && (proto.equals("static") || proto.equals("none"))) {
        int prefix = f.get("PREFIX").map(Integer::parseInt)
            .orElseGet(() -> f.get("NETMASK").map(m -> Integer.bitCount(Ipv4Address.of(m).bits())).orElse(24));
        ip = Optional.of(new InterfaceConfig.Ipv4(Ipv4Address.of(f.get("IPADDR").get()), prefix,
            f.get("GATEWAY").map(Ipv4Address::of)));
      }
      boolean onBoot = f.get("ONBOOT").map(s -> !s.equalsIgnoreCase("no")).orElse(true);
      return new InterfaceConfig(name, kind, master, bridge, bond, v, stp, ip, onBoot);
    } catch (RuntimeException e) {
      throw new ParseException(file, 0, 0, "", "not a configuration initscripts can use: " + e.getMessage(), e);
    }
  }

  private static boolean yes(IfcfgFile f, String key) {
    return f.get(key).filter(s -> s.equalsIgnoreCase("yes")).isPresent();
  }
}
