package dev.midplane.network.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.sysfs.BondDevice;
import dev.midplane.sysfs.BondMode;
import dev.midplane.sysfs.BondSlave;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedNet;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What iproute2 6.1 prints about links and addresses: JSON with its keys in its order (as captured
 * from {@code ip -j [-d] link|addr show} on Linux 6.1), the two-line text of {@code ip link show},
 * the one-line text of {@code ip -o addr show}, and {@code bridge [-j] link}.
 */
final class IpOutput {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final BigDecimal TIMER = new BigDecimal("0.00");

  private final SimulatedKernel kernel;
  private final Map<String, SimulatedNet.Link> byName;

  IpOutput(SimulatedKernel kernel, List<SimulatedNet.Link> links) {
    this.kernel = kernel;
    this.byName = links.stream().collect(Collectors.toMap(l -> l.name().value(), Function.identity()));
  }

  /** The flags as iproute2 prints them: the kernel's, plus {@code M-DOWN} when the device below is down. */
  List<String> flags(SimulatedNet.Link l) {
    List<String> f = new ArrayList<>(l.flags());
    l.link().map(n -> byName.get(n.value())).filter(x -> !x.up()).ifPresent(x -> f.add("M-DOWN"));
    return f;
  }

  private static String qdisc(SimulatedNet.Link l) {
    if (!l.up()) {
      return "noop";
    }
    return l.kind() == SimulatedNet.Kind.ETHERNET ? "fq_codel" : "noqueue";
  }

  private static int[] mtuRange(SimulatedNet.Link l) {
    return switch (l.kind()) {
      case LOOPBACK, DUMMY -> new int[] {0, 0};
      case VLAN -> new int[] {0, 65535};
      case ETHERNET -> new int[] {68, 9000};
      default -> new int[] {68, 65535};
    };
  }

  /** One device as {@code ip -j [-d] link show} (or, with addresses, {@code addr show}) lists it. */
  ObjectNode json(SimulatedNet.Link l, boolean details, Optional<List<SimulatedNet.Address>> addresses) {
    ObjectNode n = F.objectNode();
    n.put("ifindex", l.ifindex());
    l.link().ifPresent(p -> n.put("link", p.value()));
    n.put("ifname", l.name().value());
    ArrayNode flags = n.putArray("flags");
    flags(l).forEach(flags::add);
    n.put("mtu", l.mtu()).put("qdisc", qdisc(l));
    l.master().ifPresent(m -> n.put("master", m.value()));
    n.put("operstate", l.operstate().toUpperCase(Locale.ROOT));
    if (addresses.isEmpty()) {
      n.put("linkmode", "DEFAULT");
    }
    n.put("group", "default").put("txqlen", 1000);
    boolean loopback = l.kind() == SimulatedNet.Kind.LOOPBACK;
    n.put("link_type", loopback ? "loopback" : "ether").put("address", l.address().toString())
        .put("broadcast", loopback ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff");
    if (details) {
      boolean port = l.master().map(m -> byName.get(m.value())).filter(m -> m.kind() == SimulatedNet.Kind.BRIDGE)
          .isPresent();
      n.put("promiscuity", port ? 1 : 0).put("allmulti", port ? 1 : 0);
      int[] range = mtuRange(l);
      n.put("min_mtu", range[0]).put("max_mtu", range[1]);
      ObjectNode info = linkinfo(l);
      if (info.size() > 0) {
        n.set("linkinfo", info);
      }
      if (addresses.isEmpty()) {
        n.put("inet6_addr_gen_mode", "eui64");
      }
      int queues = l.kind() == SimulatedNet.Kind.BOND ? 16 : 1;
      n.put("num_tx_queues", queues).put("num_rx_queues", queues).put("gso_max_size", 65536).put("gso_max_segs", 65535)
          .put("tso_max_size", 65536).put("tso_max_segs", 65535).put("gro_max_size", 65536);
    }
    addresses.ifPresent(list -> {
      ArrayNode a = n.putArray("addr_info");
      for (SimulatedNet.Address x : list) {
        a.addObject().put("family", "inet").put("local", x.address().toString()).put("prefixlen", x.prefixLength())
            .put("scope", x.scope()).put("label", l.name().value()).put("valid_life_time", 4294967295L)
            .put("preferred_life_time", 4294967295L);
      }
    });
    return n;
  }

  private ObjectNode linkinfo(SimulatedNet.Link l) {
    ObjectNode info = F.objectNode();
    String kind = switch (l.kind()) {
      case BOND -> "bond";
      case BRIDGE -> "bridge";
      case VLAN -> "vlan";
      case VETH -> "veth";
      case DUMMY -> "dummy";
      default -> null;
    };
    if (kind != null) {
      info.put("info_kind", kind);
    }
    if (l.kind() == SimulatedNet.Kind.BOND) {
      info.set("info_data", bondData(l.bond().orElseThrow()));
    } else if (l.kind() == SimulatedNet.Kind.BRIDGE) {
      info.set("info_data", bridgeData(l));
    } else if (l.kind() == SimulatedNet.Kind.VLAN) {
      ObjectNode d = info.putObject("info_data");
      d.put("protocol", "802.1Q").put("id", l.vlanId().orElseThrow());
      d.putArray("flags").add("REORDER_HDR");
    }
    l.bondSlave().ifPresent(s -> {
      info.put("info_slave_kind", "bond");
      info.set("info_slave_data", slaveData(s));
    });
    l.bridgePortState().ifPresent(state -> {
      info.put("info_slave_kind", "bridge");
      info.set("info_slave_data", portData(l, state.text()));
    });
    return info;
  }

  private static ObjectNode bondData(BondDevice b) {
    ObjectNode d = F.objectNode();
    d.put("mode", b.mode().option());
    b.activeSlave().ifPresent(a -> d.put("active_slave", a.value()));
    d.put("miimon", b.miimon()).put("updelay", b.updelay()).put("downdelay", b.downdelay()).put("peer_notify_delay", 0)
        .put("use_carrier", 1).put("arp_interval", b.arpInterval()).put("arp_missed_max", 2);
    if (!b.arpIpTargets().isEmpty()) {
      ArrayNode t = d.putArray("arp_ip_target");
      b.arpIpTargets().forEach(a -> t.add(a.toString()));
    }
    if (b.arpValidate() == dev.midplane.sysfs.ArpValidate.NONE) {
      d.putNull("arp_validate");
    } else {
      d.put("arp_validate", b.arpValidate().option());
    }
    d.put("arp_all_targets", "any");
    b.primary().ifPresent(p -> d.put("primary", p.value()));
    d.put("primary_reselect", b.primaryReselect().option()).put("fail_over_mac", b.failOverMac().option())
        .put("xmit_hash_policy", "layer2").put("resend_igmp", 1).put("num_peer_notif", 1).put("all_slaves_active", 0)
        .put("min_links", 0).put("lp_interval", 1).put("packets_per_slave", 1).put("ad_lacp_active", "on")
        .put("ad_lacp_rate", "slow").put("ad_select", "stable");
    if (b.mode() == BondMode.IEEE_802_3AD) {
      d.put("ad_actor_sys_prio", 65535).put("ad_user_port_key", 0).put("ad_actor_system", "00:00:00:00:00:00");
    }
    d.put("tlb_dynamic_lb", 1);
    return d;
  }

  private static ObjectNode slaveData(BondSlave s) {
    ObjectNode d = F.objectNode();
    d.put("state", s.active() ? "ACTIVE" : "BACKUP").put("mii_status", s.miiStatus().name())
        .put("link_failure_count", s.linkFailureCount());
    s.permanentAddress().ifPresent(p -> d.put("perm_hwaddr", p.toString()));
    d.put("queue_id", 0).put("prio", 0);
    return d;
  }

  /** {@code 8000.e6:b:33:20:22:ef}: iproute2 prints a bridge id's address bytes without padding. */
  static String bridgeId(MacAddress mac) {
    List<String> bytes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bytes.add(Integer.toHexString(mac.octet(i)));
    }
    return "8000." + String.join(":", bytes);
  }

  private int bridgeAttribute(InterfaceName bridge, String attribute) {
    try {
      return Integer.parseInt(Files.readString(kernel.host().path("/sys/class/net/" + bridge.value() + "/bridge/"
          + attribute)).strip());
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("the simulated kernel has no readable " + attribute + " for " + bridge, e);
    }
  }

  private ObjectNode bridgeData(SimulatedNet.Link l) {
    ObjectNode d = F.objectNode();
    String id = bridgeId(l.address());
    d.put("forward_delay", bridgeAttribute(l.name(), "forward_delay")).put("hello_time", 200).put("max_age", 2000)
        .put("ageing_time", bridgeAttribute(l.name(), "ageing_time"))
        .put("stp_state", l.bridge().map(b -> b.stpEnabled() ? 1 : 0).orElse(0)).put("priority", 32768)
        .put("vlan_filtering", 0).put("vlan_protocol", "802.1Q").put("bridge_id", id).put("root_id", id)
        .put("root_port", 0).put("root_path_cost", 0).put("topology_change", 0).put("topology_change_detected", 0)
        .put("hello_timer", TIMER).put("tcn_timer", TIMER).put("topology_change_timer", TIMER).put("gc_timer", TIMER)
        .put("vlan_default_pvid", 1).put("vlan_stats_enabled", 0).put("vlan_stats_per_port", 0)
        .put("group_fwd_mask", "0").put("group_addr", "01:80:c2:00:00:00").put("mcast_snooping", 1)
        .put("no_linklocal_learn", 0).put("mcast_vlan_snooping", 0).put("mcast_router", 1)
        .put("mcast_query_use_ifaddr", 0).put("mcast_querier", 0).put("mcast_hash_elasticity", 16)
        .put("mcast_hash_max", 4096).put("mcast_last_member_cnt", 2).put("mcast_startup_query_cnt", 2)
        .put("mcast_last_member_intvl", 100).put("mcast_membership_intvl", 26000).put("mcast_querier_intvl", 25500)
        .put("mcast_query_intvl", 12500).put("mcast_query_response_intvl", 1000).put("mcast_startup_query_intvl", 3124)
        .put("mcast_stats_enabled", 0).put("mcast_igmp_version", 2).put("mcast_mld_version", 1)
        .put("nf_call_iptables", 0).put("nf_call_ip6tables", 0).put("nf_call_arptables", 0);
    return d;
  }

  private static int cost(SimulatedNet.Link port) {
    return port.kind() == SimulatedNet.Kind.ETHERNET || port.kind() == SimulatedNet.Kind.VETH
        || port.kind() == SimulatedNet.Kind.BOND ? 2 : 100;
  }

  private ObjectNode portData(SimulatedNet.Link l, String state) {
    SimulatedNet.Link br = byName.get(l.master().orElseThrow().value());
    String id = bridgeId(br.address());
    ObjectNode d = F.objectNode();
    d.put("state", state).put("priority", 32).put("cost", cost(l)).put("hairpin", false).put("guard", false)
        .put("root_block", false).put("fastleave", false).put("learning", true).put("flood", true).put("id", "0x8001")
        .put("no", "0x1").put("designated_port", 32769).put("designated_cost", 0).put("bridge_id", id).put("root_id", id)
        .put("hold_timer", TIMER).put("message_age_timer", TIMER).put("forward_delay_timer", TIMER)
        .put("topology_change_ack", 0).put("config_pending", 0).put("proxy_arp", false).put("proxy_arp_wifi", false)
        .put("multicast_router", 1).put("mcast_flood", true).put("bcast_flood", true).put("mcast_to_unicast", false)
        .put("neigh_suppress", false).put("group_fwd_mask", "0").put("group_fwd_mask_str", "0x0")
        .put("vlan_tunnel", false).put("isolated", false).put("locked", false);
    return d;
  }

  private String nameWithLink(SimulatedNet.Link l) {
    return l.name().value() + l.link().map(p -> "@" + p.value()).orElse("");
  }

  /** {@code ip link show}'s two lines for one device. */
  String text(SimulatedNet.Link l) {
    boolean loopback = l.kind() == SimulatedNet.Kind.LOOPBACK;
    return l.ifindex() + ": " + nameWithLink(l) + ": <" + String.join(",", flags(l)) + "> mtu " + l.mtu() + " qdisc "
        + qdisc(l) + l.master().map(m -> " master " + m.value()).orElse("") + " state "
        + l.operstate().toUpperCase(Locale.ROOT) + " mode DEFAULT group default qlen 1000\n    link/"
        + (loopback ? "loopback " : "ether ") + l.address() + " brd " + (loopback ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff")
        + "\n";
  }

  /** {@code ip -o addr show}'s line for one address. */
  static String oneLine(SimulatedNet.Link l, SimulatedNet.Address a) {
    return l.ifindex() + ": " + l.name().value() + "    inet " + a.address() + "/" + a.prefixLength() + " scope "
        + a.scope() + " " + l.name().value() + "\\       valid_lft forever preferred_lft forever\n";
  }

  /** {@code bridge -j link}'s entry for a bridge port. */
  ObjectNode bridgePortJson(SimulatedNet.Link l) {
    ObjectNode n = F.objectNode();
    n.put("ifindex", l.ifindex());
    l.link().ifPresent(p -> n.put("link", p.value()));
    n.put("ifname", l.name().value());
    ArrayNode flags = n.putArray("flags");
    flags(l).forEach(flags::add);
    n.put("mtu", l.mtu()).put("master", l.master().orElseThrow().value())
        .put("state", l.bridgePortState().orElseThrow().text()).put("priority", 32).put("cost", cost(l));
    return n;
  }

  /** {@code bridge link}'s line for a bridge port. */
  String bridgePortText(SimulatedNet.Link l) {
    return l.ifindex() + ": " + nameWithLink(l) + ": <" + String.join(",", flags(l)) + "> mtu " + l.mtu() + " master "
        + l.master().orElseThrow().value() + " state " + l.bridgePortState().orElseThrow().text() + " priority 32 cost "
        + cost(l) + " \n";
  }
}
