package dev.midplane.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midplane.core.InvalidNameException;
import dev.midplane.core.ParseException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsers for iproute2's JSON ({@code ip -j [-d] link show}, {@code ip -j [-d] addr show}).
 * Pure functions. A document that is not JSON, or an entry without a valid name or index, is an
 * error naming the entry; unknown fields are ignored, since newer kernels keep adding them.
 */
public final class IpJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IpJson() {}

  private static JsonNode array(String json, String src) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ParseException(src, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), "", "not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new ParseException(src, 0, "", "expected a JSON array of devices");
    }
    return root;
  }

  /** The devices of {@code ip -j [-d] link show} (or {@code addr show}, whose entries are supersets). */
  public static List<Link> links(String json) {
    return entries(json, "ip -j link output", "device", IpJson::link);
  }

  /** Reads each element of the array; a bad one is an error naming it. */
  private static <T> List<T> entries(String json, String src, String what, java.util.function.Function<JsonNode, T> read) {
    List<T> out = new ArrayList<>();
    int i = 0;
    for (JsonNode n : array(json, src)) {
      i++;
      try {
        out.add(read.apply(n));
      } catch (InvalidNameException | IllegalArgumentException | IllegalStateException e) {
        throw new ParseException(src, 0, 0, n.toString(), what + " " + i + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Link link(JsonNode n) {
    if (!n.hasNonNull("ifname") || !n.has("ifindex")) {
      throw new IllegalArgumentException("no ifname or ifindex");
    }
    Link.Builder b = Link.builder()
        .name(InterfaceName.of(n.get("ifname").asText()))
        .index(n.get("ifindex").asInt())
        .operState(n.path("operstate").asText("UNKNOWN"))
        .mtu(n.path("mtu").asInt(0));
    for (JsonNode f : n.path("flags")) {
      b.addFlags(f.asText());
    }
    name(n, "master").ifPresent(b::master);
    name(n, "link").ifPresent(b::lower);
    String addr = n.path("address").asText("");
    if (MacAddress.isValid(addr) && "ether".equals(n.path("link_type").asText("ether"))) {
      b.address(MacAddress.of(addr));
    }
    JsonNode info = n.path("linkinfo");
    if (info.hasNonNull("info_kind")) {
      String kind = info.get("info_kind").asText();
      b.kind(kind);
      JsonNode data = info.path("info_data");
      switch (kind) {
        case "bond" -> b.bond(bond(data));
        case "vlan" -> b.vlan(new Link.VlanInfo(data.path("protocol").asText("802.1Q"), data.path("id").asInt()));
        case "bridge" -> b.bridge(new Link.BridgeInfo(data.path("stp_state").asInt() != 0, data.path("ageing_time").asInt(),
            data.path("forward_delay").asInt(), bridgeId(data.path("bridge_id").asText("")),
            data.path("vlan_filtering").asInt() != 0));
        default -> {
          // veth, dummy, … carry nothing this SDK reads
        }
      }
    }
    if (info.hasNonNull("info_slave_kind")) {
      String sk = info.get("info_slave_kind").asText();
      b.slaveKind(sk);
      JsonNode sd = info.path("info_slave_data");
      if (sk.equals("bond")) {
        String perm = sd.path("perm_hwaddr").asText("");
        b.bondSlave(new Link.BondSlaveInfo(sd.path("state").asText(""), sd.path("mii_status").asText(""),
            sd.path("link_failure_count").asLong(), MacAddress.isValid(perm) ? Optional.of(MacAddress.of(perm))
            : Optional.empty()));
      } else if (sk.equals("bridge")) {
        b.bridgePort(new Link.BridgePortInfo(sd.path("state").asText(""), sd.path("learning").asBoolean(true),
            sd.path("flood").asBoolean(true)));
      }
    }
    return b.build();
  }

  private static Optional<InterfaceName> name(JsonNode n, String field) {
    String v = n.path(field).asText("");
    return InterfaceName.isValid(v) ? Optional.of(InterfaceName.of(v)) : Optional.empty();
  }

  private static Link.BondInfo bond(JsonNode d) {
    Map<String, String> options = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = d.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      options.put(e.getKey(), e.getValue().isNull() ? "none" : e.getValue().isArray() ? join(e.getValue()) : e.getValue().asText());
    }
    List<Ipv4Address> targets = new ArrayList<>();
    JsonNode t = d.path("arp_ip_target");
    if (t.isArray()) {
      t.forEach(x -> targets.add(Ipv4Address.of(x.asText())));
    } else if (t.isTextual()) {
      for (String s : t.asText().split(",")) {
        if (!s.isBlank()) {
          targets.add(Ipv4Address.of(s.strip()));
        }
      }
    }
    return new Link.BondInfo(d.path("mode").asText(""), name(d, "active_slave"), d.path("miimon").asInt(),
        d.path("updelay").asInt(), d.path("downdelay").asInt(), d.path("arp_interval").asInt(), targets,
        d.path("arp_validate").isNull() || d.path("arp_validate").isMissingNode() ? "none" : d.get("arp_validate").asText(),
        name(d, "primary"), d.path("fail_over_mac").asText("none"), options);
  }

  private static String join(JsonNode arr) {
    List<String> s = new ArrayList<>();
    arr.forEach(x -> s.add(x.asText()));
    return String.join(",", s);
  }

  /**
   * {@code brctl}'s spelling of a bridge id: iproute2 prints {@code 8000.e6:b:33:20:22:ef}, brctl
   * {@code 8000.e60b332022ef}.
   */
  static String bridgeId(String ip) {
    int dot = ip.indexOf('.');
    if (dot < 0) {
      return ip;
    }
    String mac = ip.substring(dot + 1);
    if (mac.indexOf(':') >= 0 && MacAddress.isValid(mac)) {
      mac = MacAddress.of(mac).toString().replace(":", "");
    }
    return ip.substring(0, dot).toLowerCase(Locale.ROOT) + "." + mac.toLowerCase(Locale.ROOT);
  }

  /** The addresses of {@code ip -j addr show}, device by device in listing order. */
  public static List<IfAddress> addresses(String json) {
    String src = "ip -j addr output";
    List<IfAddress> out = new ArrayList<>();
    for (JsonNode n : array(json, src)) {
      String name = n.path("ifname").asText("");
      if (!InterfaceName.isValid(name)) {
        throw new ParseException(src, 0, name, "device without a valid ifname");
      }
      for (JsonNode a : n.path("addr_info")) {
        if (!a.has("local") || !a.has("family")) {
          continue; // entries with only lifetimes, printed for some address states
        }
        out.add(new IfAddress(InterfaceName.of(name), a.get("family").asText(), a.get("local").asText(),
            a.path("prefixlen").asInt(), a.path("scope").asText("global")));
      }
    }
    return out;
  }

  /**
   * A bridge port as {@code bridge -j link} lists it.
   *
   * @param state the port's STP state: {@code forwarding}, {@code disabled} (port down),
   *     {@code listening}, {@code learning}, {@code blocking}
   */
  public record BridgePort(InterfaceName port, InterfaceName bridge, String state) {}

  /** The ports of every bridge, from {@code bridge -j link}. */
  public static List<BridgePort> bridgePorts(String json) {
    return entries(json, "bridge -j link output", "entry", n -> {
      Optional<InterfaceName> port = name(n, "ifname");
      Optional<InterfaceName> master = name(n, "master");
      if (port.isEmpty() || master.isEmpty()) {
        throw new IllegalArgumentException("no valid ifname or master");
      }
      return new BridgePort(port.get(), master.get(), n.path("state").asText(""));
    });
  }

  /** Devices carrying a global address. */
  static Set<InterfaceName> withGlobalAddress(List<IfAddress> addresses) {
    Set<InterfaceName> s = new LinkedHashSet<>();
    addresses.stream().filter(IfAddress::isGlobal).forEach(a -> s.add(a.device()));
    return s;
  }
}
