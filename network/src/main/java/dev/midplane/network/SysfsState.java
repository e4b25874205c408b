package dev.midplane.network;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.sysfs.BondDevice;
import dev.midplane.sysfs.BondSlave;
import dev.midplane.sysfs.BridgeDevice;
import dev.midplane.sysfs.NetDevice;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.VlanDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live state where iproute2 has no JSON: devices, bonds, bridges and VLANs from sysfs (the
 * sysfs module's network discovery), addresses from {@code ip -o addr show}. sysfs cannot tell a
 * veth from a dummy, so such devices have no {@link Link#kind()}.
 */
final class SysfsState {
  private SysfsState() {}

  static Command addressCommand() {
    return Command.builder("ip", "-o", "addr", "show").timeout(IpCommands.TIMEOUT).build();
  }

  static LiveState read(Host host) {
    Topology t = Sysfs.on(host).discover().storage(false).call();
    return LiveState.of(links(host, t), IpText.addresses(host.execute(addressCommand()).stdout()));
  }

  static List<Link> links(Host host, Topology t) {
    Map<InterfaceName, BondDevice> bonds = new LinkedHashMap<>();
    t.bonds().forEach(b -> bonds.put(b.name(), b));
    Map<InterfaceName, BridgeDevice> bridges = new LinkedHashMap<>();
    t.bridges().forEach(b -> bridges.put(b.name(), b));
    Map<InterfaceName, VlanDevice> vlans = new LinkedHashMap<>();
    t.vlans().forEach(v -> vlans.put(v.name(), v));
    List<Link> out = new ArrayList<>();
    for (NetDevice d : t.netDevices()) {
      boolean carrier = d.carrier().orElse(false);
      Link.Builder b = Link.builder().name(d.name()).index(d.ifindex()).operState(d.operstate().toUpperCase(Locale.ROOT))
          .mtu(d.mtu()).address(d.address());
      if (d.adminUp()) {
        b.addFlags("UP");
      }
      if (d.adminUp() && carrier) {
        b.addFlags("LOWER_UP");
      }
      switch (d.kind()) {
        case BOND -> b.kind("bond").addFlags("MASTER").bond(bondInfo(bonds.get(d.name())));
        case BRIDGE -> b.kind("bridge").bridge(bridgeInfo(host, d.name(), bridges.get(d.name())));
        case VLAN -> {
          VlanDevice v = vlans.get(d.name());
          b.kind("vlan");
          if (v != null) {
            b.vlan(new Link.VlanInfo("802.1Q", v.id())).lower(v.parent());
          }
        }
        default -> {
          // NICs, vifs, loopback and other virtual devices carry no kind sysfs can name
        }
      }
      d.master().ifPresent(m -> {
        b.master(m);
        BondDevice bond = bonds.get(m);
        if (bond != null) {
          b.addFlags("SLAVE").slaveKind("bond");
          bond.slave(d.name()).ifPresent(s -> b.bondSlave(slaveInfo(s)));
        } else if (bridges.containsKey(m)) {
          b.slaveKind("bridge");
          bridges.get(m).ports().stream().filter(p -> p.name().equals(d.name())).findFirst()
              .ifPresent(p -> b.bridgePort(new Link.BridgePortInfo(p.state().text(), true, true)));
        }
      });
      out.add(b.build());
    }
    return out;
  }

  private static Link.BondSlaveInfo slaveInfo(BondSlave s) {
    return new Link.BondSlaveInfo(s.active() ? "ACTIVE" : "BACKUP", s.miiStatus().name(), s.linkFailureCount(),
        s.permanentAddress());
  }

  /** The same values {@code ip -j -d link} gives, keyed as its {@code info_data} is. */
  static Link.BondInfo bondInfo(BondDevice b) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("mode", b.mode().option());
    b.activeSlave().ifPresent(a -> options.put("active_slave", a.value()));
    options.put("miimon", String.valueOf(b.miimon()));
    options.put("updelay", String.valueOf(b.updelay()));
    options.put("downdelay", String.valueOf(b.downdelay()));
    options.put("arp_interval", String.valueOf(b.arpInterval()));
    if (!b.arpIpTargets().isEmpty()) {
      options.put("arp_ip_target", BondOptionValues.join(b.arpIpTargets()));
    }
    options.put("arp_validate", b.arpValidate().option());
    b.primary().ifPresent(p -> options.put("primary", p.value()));
    options.put("primary_reselect", b.primaryReselect().option());
    options.put("fail_over_mac", b.failOverMac().option());
    return new Link.BondInfo(b.mode().option(), b.activeSlave(), b.miimon(), b.updelay(), b.downdelay(), b.arpInterval(),
        b.arpIpTargets(), b.arpValidate().option(), b.primary(), b.failOverMac().option(), options);
  }

  private static Link.BridgeInfo bridgeInfo(Host host, InterfaceName name, BridgeDevice d) {
    String dir = "/sys/class/net/" + name.value() + "/bridge/";
    return new Link.BridgeInfo(d != null && d.stpEnabled(), number(host, dir + "ageing_time"),
        number(host, dir + "forward_delay"), read(host, dir + "bridge_id"), false);
  }

  private static int number(Host host, String path) {
    try {
      return Integer.parseInt(read(host, path));
    } catch (NumberFormatException e) {
      throw new MidplaneException(path + " on " + host.name() + " is not a number: " + e.getMessage(), e);
    }
  }

  private static String read(Host host, String path) {
    try {
      return Files.readString(host.path(path)).strip();
    } catch (IOException e) {
      throw new MidplaneException("reading " + path + " on " + host.name() + " failed: " + e.getMessage(), e);
    }
  }
}
