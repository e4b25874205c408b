package dev.midplane.network.antispoof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.midplane.core.names.Ipv4Network;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A ruleset written the way {@code nft -j list ruleset} (nftables 1.0.6) prints it: per table the
 * table, its verdict maps, its chains, then their rules chain by chain, each rule's matches in its
 * order with nft's implicit dependencies left out ({@code ip saddr} implies {@code ether type ip}),
 * a counter before the verdict when the rule counts. Tables made by ebtables-nft list their
 * extension matches ({@code --ip-src}, {@code --arp-ip-src}, …) as {@code xt} expressions, which
 * nft does not decode, as the real listing does. Handles are numbered per table in listing order.
 */
final class NftJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private NftJson() {}

  static String render(Ruleset ruleset, Set<String> ebtablesTables) {
    ObjectNode root = F.objectNode();
    ArrayNode items = root.putArray("nftables");
    ObjectNode meta = items.addObject().putObject("metainfo");
    meta.put("version", "1.0.6").put("release_name", "Lester Gooch #5").put("json_schema_version", 1);
    int tableHandle = 0;
    for (Table t : ruleset.tables()) {
      if (!t.family().equals(Nft.FAMILY)) {
        continue;
      }
      boolean compat = ebtablesTables.contains(t.name());
      int handle = 0;
      items.addObject().putObject("table").put("family", t.family()).put("name", t.name()).put("handle", ++tableHandle);
      for (Map.Entry<String, Map<String, Action>> m : t.verdictMaps().entrySet()) {
        if (m.getKey().startsWith("(anonymous")) {
          continue;
        }
        ObjectNode map = items.addObject().putObject("map");
        map.put("family", t.family()).put("name", m.getKey()).put("table", t.name()).put("type", "ifname")
            .put("handle", ++handle).put("map", "verdict");
        if (!m.getValue().isEmpty()) {
          ArrayNode elem = map.putArray("elem");
          m.getValue().forEach((k, v) -> elem.addArray().add(k).add(verdict(v)));
        }
      }
      for (Chain c : t.chains()) {
        ObjectNode chain = items.addObject().putObject("chain");
        chain.put("family", t.family()).put("table", t.name()).put("name", c.name()).put("handle", ++handle);
        c.hook().ifPresent(h -> chain.put("type", "filter").put("hook", h.nftName()).put("prio", c.priority())
            .put("policy", c.policy() instanceof Action.Drop ? "drop" : "accept"));
      }
      for (Chain c : t.chains()) {
        for (Rule r : c.rules()) {
          ObjectNode rule = items.addObject().putObject("rule");
          rule.put("family", t.family()).put("table", t.name()).put("chain", c.name()).put("handle", ++handle);
          rule.set("expr", expressions(r, t, compat));
        }
      }
    }
    return root.toString();
  }

  private static ArrayNode expressions(Rule r, Table t, boolean compat) {
    ArrayNode expr = F.arrayNode();
    boolean ipLayer = r.matches().stream().anyMatch(m -> m instanceof Match.Ip || m instanceof Match.IpProto
        || m instanceof Match.FirstFragment);
    boolean arpLayer = r.matches().stream().anyMatch(m -> m instanceof Match.ArpHeader || m instanceof Match.ArpMac
        || m instanceof Match.ArpIp);
    Set<String> xt = new LinkedHashSet<>();
    for (Match m : r.matches()) {
      if (m instanceof Match.EtherProto p && !p.negated() && !compat
          && (p.type() == Frame.IPV4 && ipLayer || p.type() == Frame.ARP && arpLayer)) {
        continue; // nft's implicit dependency, not listed
      }
      String module = compat ? xtModule(m) : null;
      if (module != null) {
        if (xt.add(module)) {
          expr.addObject().putObject("xt").put("type", "match").put("name", module);
        }
        continue;
      }
      expr.add(match(m));
    }
    if (compat || r.counters().isPresent()) {
      Rule.Counters c = r.counters().orElse(new Rule.Counters(0, 0));
      expr.addObject().putObject("counter").put("packets", c.packets()).put("bytes", c.bytes());
    }
    Action a = r.action();
    if (a instanceof Action.MapLookup ml) {
      ObjectNode vmap = expr.addObject().putObject("vmap");
      vmap.putObject("key").putObject("meta").put("key", ml.key() == Match.Direction.IN ? "iifname" : "oifname");
      Map<String, Action> anonymous = t.verdictMaps().get(ml.map());
      if (ml.map().startsWith("(anonymous") && anonymous != null) {
        ArrayNode set = vmap.putObject("data").putArray("set");
        anonymous.forEach((k, v) -> set.addArray().add(k).add(verdict(v)));
      } else {
        vmap.put("data", "@" + ml.map());
      }
    } else if (!(a instanceof Action.Continue)) {
      expr.add(verdict(a));
    }
    return expr;
  }

  /** The ebtables extension a match of an ebtables-made table belongs to; null for native ones. */
  private static String xtModule(Match m) {
    if (m instanceof Match.Ip || m instanceof Match.IpProto || m instanceof Match.Port || m instanceof Match.FirstFragment) {
      return "ip";
    }
    if (m instanceof Match.ArpHeader || m instanceof Match.ArpMac || m instanceof Match.ArpIp) {
      return "arp";
    }
    return m instanceof Match.Opaque ? "unknown" : null;
  }

  private static ObjectNode verdict(Action a) {
    ObjectNode v = F.objectNode();
    if (a instanceof Action.Accept) {
      v.putNull("accept");
    } else if (a instanceof Action.Drop) {
      v.putNull("drop");
    } else if (a instanceof Action.Return) {
      v.putNull("return");
    } else if (a instanceof Action.Continue) {
      v.putNull("continue");
    } else if (a instanceof Action.Jump j) {
      v.putObject("jump").put("target", j.chain());
    } else if (a instanceof Action.Goto g) {
      v.putObject("goto").put("target", g.chain());
    } else {
      v.putObject("xt").put("type", "target").put("name", a.toString());
    }
    return v;
  }

  private static ObjectNode match(Match m) {
    if (m instanceof Match.Iface i) {
      return cmp(meta(i.direction() == Match.Direction.IN ? "iifname" : "oifname"), i.negated(),
          F.textNode(i.name() + (i.wildcard() ? "*" : "")));
    }
    if (m instanceof Match.EtherAddr e) {
      JsonNode left = payload("ether", e.field() == Match.Field.SOURCE ? "saddr" : "daddr");
      return cmp(masked(left, e.mask(), Match.EtherAddr.EXACT), e.negated(), F.textNode(e.value().toString()));
    }
    if (m instanceof Match.EtherProto p) {
      return cmp(payload("ether", "type"), p.negated(), etherType(p.type()));
    }
    if (m instanceof Match.Ip ip) {
      return cmp(payload("ip", ip.field() == Match.Field.SOURCE ? "saddr" : "daddr"), ip.negated(), networks(ip.anyOf()));
    }
    if (m instanceof Match.IpProto p) {
      return cmp(payload("ip", "protocol"), p.negated(), p.protocol() == Frame.UDP ? F.textNode("udp")
          : p.protocol() == Frame.TCP ? F.textNode("tcp") : p.protocol() == Frame.ICMP ? F.textNode("icmp")
          : F.numberNode(p.protocol()));
    }
    if (m instanceof Match.FirstFragment f) {
      ObjectNode and = F.objectNode();
      and.putArray("&").add(payload("ip", "frag-off")).add(8191);
      return cmp(and, f.negated(), F.numberNode(0));
    }
    if (m instanceof Match.Port p && p.protocol().isPresent()) {
      String proto = p.protocol().getAsInt() == Frame.UDP ? "udp" : "tcp";
      JsonNode right = p.from() == p.to() ? F.numberNode(p.from()) : F.arrayNode().add(p.from()).add(p.to());
      if (p.from() != p.to()) {
        ObjectNode range = F.objectNode();
        range.set("range", right);
        right = range;
      }
      return cmp(payload(proto, p.field() == Match.Field.SOURCE ? "sport" : "dport"), p.negated(), right);
    }
    if (m instanceof Match.ArpHeader h) {
      JsonNode right = switch (h.kind()) {
        case PTYPE -> etherType(h.value());
        case OPERATION -> h.value() == 1 ? F.textNode("request") : h.value() == 2 ? F.textNode("reply") : F.numberNode(h.value());
        default -> F.numberNode(h.value());
      };
      return cmp(payload("arp", h.kind().name().toLowerCase(java.util.Locale.ROOT)), h.negated(), right);
    }
    if (m instanceof Match.ArpMac a) {
      JsonNode left = payload("arp", (a.field() == Match.Field.SOURCE ? "saddr" : "daddr") + " ether");
      return cmp(masked(left, a.mask(), Match.EtherAddr.EXACT), a.negated(), F.textNode(a.value().toString()));
    }
    if (m instanceof Match.ArpIp a) {
      return cmp(payload("arp", (a.field() == Match.Field.SOURCE ? "saddr" : "daddr") + " ip"), a.negated(),
          networks(a.anyOf()));
    }
    if (m instanceof Match.Opaque o) {
      try {
        JsonNode n = JSON.readTree(o.text());
        if (n != null && n.isObject()) {
          return (ObjectNode) n;
        }
      } catch (JsonProcessingException e) {
        // not JSON: fall through to an xt expression
      }
    }
    ObjectNode x = F.objectNode();
    x.putObject("xt").put("type", "match").put("name", "unknown");
    return x;
  }

  private static ObjectNode cmp(JsonNode left, boolean negated, JsonNode right) {
    ObjectNode n = F.objectNode();
    ObjectNode match = n.putObject("match");
    match.put("op", negated ? "!=" : "==");
    match.set("left", left);
    match.set("right", right);
    return n;
  }

  private static JsonNode masked(JsonNode left, MacAddress mask, MacAddress exact) {
    if (mask.equals(exact)) {
      return left;
    }
    ObjectNode and = F.objectNode();
    and.putArray("&").add(left).add(mask.toString());
    return and;
  }

  private static ObjectNode meta(String key) {
    ObjectNode n = F.objectNode();
    n.putObject("meta").put("key", key);
    return n;
  }

  private static ObjectNode payload(String protocol, String field) {
    ObjectNode n = F.objectNode();
    n.putObject("payload").put("protocol", protocol).put("field", field);
    return n;
  }

  private static JsonNode etherType(int type) {
    return switch (type) {
      case Frame.IPV4 -> F.textNode("ip");
      case Frame.ARP -> F.textNode("arp");
      case Frame.IPV6 -> F.textNode("ip6");
      case Frame.VLAN -> F.textNode("vlan");
      default -> F.numberNode(type);
    };
  }

  private static JsonNode networks(List<Ipv4Network> nets) {
    List<JsonNode> values = new ArrayList<>();
    for (Ipv4Network n : nets) {
      if (n.prefixLength() == 32) {
        values.add(F.textNode(n.network().toString()));
      } else {
        ObjectNode p = F.objectNode();
        p.putObject("prefix").put("addr", n.network().toString()).put("len", n.prefixLength());
        values.add(p);
      }
    }
    if (values.size() == 1) {
      return values.get(0);
    }
    ObjectNode set = F.objectNode();
    ArrayNode a = set.putArray("set");
    values.forEach(a::add);
    return set;
  }
}
