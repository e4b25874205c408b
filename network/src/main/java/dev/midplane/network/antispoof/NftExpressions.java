package dev.midplane.network.antispoof;

import dev.midplane.core.names.Ipv4Network;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns one nftables comparison — selector, operator, values — into a {@link Match}, the same way
 * whether it was read from {@code nft -j} JSON or from nft's text syntax, so a rule the SDK renders
 * and the rule the kernel lists back compare equal. Implicit protocol dependencies become explicit
 * {@link Match.EtherProto} matches.
 */
final class NftExpressions {
  private static final Map<String, Integer> ETHER_TYPES = Map.of(
      "ip", Frame.IPV4, "arp", Frame.ARP, "ip6", Frame.IPV6, "vlan", Frame.VLAN, "8021q", Frame.VLAN,
      "8021ad", 0x88a8);
  private static final Map<String, Integer> IP_PROTOCOLS = Map.of(
      "icmp", 1, "igmp", 2, "tcp", 6, "udp", 17, "gre", 47, "esp", 50, "ah", 51, "sctp", 132, "udplite", 136, "dccp", 33);
  private static final Map<String, Integer> ARP_OPS = Map.of(
      "request", 1, "reply", 2, "rrequest", 3, "rreply", 4, "inrequest", 8, "inreply", 9, "nak", 10);

  /** Raised for a value a known selector cannot take; the caller adds where. */
  static final class BadExpression extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadExpression(String message) {
      super(message);
    }
  }

  private NftExpressions() {}

  /**
   * The matches for {@code <protocol> <field> [& mask] (==|!=) values}. {@code protocol} is
   * {@code meta} for {@code iifname}/{@code oifname}. Unknown selectors give {@link Match.Opaque}.
   */
  static List<Match> match(String protocol, String field, boolean negated, Optional<String> mask, List<String> values,
      String text) {
    List<Match> out = new ArrayList<>(2);
    String sel = protocol + " " + field;
    if (values.isEmpty()) {
      throw new BadExpression(sel + " without a value");
    }
    switch (sel) {
      case "meta iifname", "meta oifname" -> {
        if (values.size() != 1 || mask.isPresent()) {
          out.add(new Match.Opaque(text));
        } else {
          String v = values.get(0);
          boolean wild = v.endsWith("*") && !v.endsWith("\\*");
          out.add(EbtablesRuleParser.iface(field.equals("iifname") ? Match.Direction.IN : Match.Direction.OUT,
              (wild ? v.substring(0, v.length() - 1) : v) + (wild ? "+" : ""), negated));
        }
      }
      case "ether saddr", "ether daddr" -> {
        if (values.size() != 1) {
          out.add(new Match.Opaque(text));
        } else {
          MacAddress m = mac(mask.orElse("ff:ff:ff:ff:ff:ff"));
          out.add(new Match.EtherAddr(field.equals("saddr") ? Match.Field.SOURCE : Match.Field.DESTINATION,
              mac(values.get(0)), m, negated));
        }
      }
      case "ether type" -> {
        if (values.size() != 1 || mask.isPresent()) {
          out.add(new Match.Opaque(text));
        } else {
          out.add(new Match.EtherProto(etherType(values.get(0)), negated));
        }
      }
      case "ip saddr", "ip daddr" -> {
        out.add(new Match.EtherProto(Frame.IPV4, false));
        if (mask.isPresent() || values.stream().anyMatch(v -> v.indexOf('-') >= 0)) {
          out.add(new Match.Opaque(text));
        } else {
          out.add(new Match.Ip(field.equals("saddr") ? Match.Field.SOURCE : Match.Field.DESTINATION, networks(values),
              negated));
        }
      }
      case "ip protocol" -> {
        out.add(new Match.EtherProto(Frame.IPV4, false));
        if (values.size() != 1 || mask.isPresent()) {
          out.add(new Match.Opaque(text));
        } else {
          out.add(new Match.IpProto(named(IP_PROTOCOLS, values.get(0), 255, "IP protocol"), negated));
        }
      }
      case "ip frag-off" -> {
        out.add(new Match.EtherProto(Frame.IPV4, false));
        boolean offsetMask = mask.filter(m -> m.equals("8191") || m.equalsIgnoreCase("0x1fff")).isPresent();
        if (offsetMask && values.size() == 1 && values.get(0).equals("0")) {
          out.add(new Match.FirstFragment(negated));
        } else {
          out.add(new Match.Opaque(text));
        }
      }
      case "udp sport", "udp dport", "tcp sport", "tcp dport" -> {
        if (values.size() != 1 || mask.isPresent()) {
          out.add(new Match.Opaque(text));
        } else {
          int proto = protocol.equals("udp") ? Frame.UDP : Frame.TCP;
          String v = values.get(0);
          int dash = v.indexOf('-');
          int from = (int) num(dash < 0 ? v : v.substring(0, dash), 0xffff, "port");
          int to = dash < 0 ? from : (int) num(v.substring(dash + 1), 0xffff, "port");
          if (from > to) {
            throw new BadExpression("bad port range " + v);
          }
          out.add(new Match.Port(field.equals("sport") ? Match.Field.SOURCE : Match.Field.DESTINATION, from, to,
              OptionalInt.of(proto), negated, false));
        }
      }
      case "arp htype", "arp ptype", "arp hlen", "arp plen", "arp operation" -> {
        out.add(new Match.EtherProto(Frame.ARP, false));
        if (values.size() != 1 || mask.isPresent()) {
          out.add(new Match.Opaque(text));
        } else {
          String v = values.get(0);
          Match.ArpHeader.Kind k = Match.ArpHeader.Kind.valueOf(field.toUpperCase(Locale.ROOT));
          int value = switch (k) {
            case PTYPE -> etherType(v);
            case OPERATION -> named(ARP_OPS, v, 0xffff, "ARP operation");
            case HTYPE -> (int) num(v, 0xffff, "hardware type");
            default -> (int) num(v, 0xff, "length");
          };
          out.add(new Match.ArpHeader(k, value, negated));
        }
      }
      case "arp saddr ether", "arp daddr ether" -> {
        out.add(new Match.EtherProto(Frame.ARP, false));
        if (values.size() != 1) {
          out.add(new Match.Opaque(text));
        } else {
          out.add(new Match.ArpMac(field.startsWith("saddr") ? Match.Field.SOURCE : Match.Field.DESTINATION,
              mac(values.get(0)), mac(mask.orElse("ff:ff:ff:ff:ff:ff")), negated, false));
        }
      }
      case "arp saddr ip", "arp daddr ip" -> {
        out.add(new Match.EtherProto(Frame.ARP, false));
        if (mask.isPresent() || values.stream().anyMatch(v -> v.indexOf('-') >= 0)) {
          out.add(new Match.Opaque(text));
        } else {
          out.add(new Match.ArpIp(field.startsWith("saddr") ? Match.Field.SOURCE : Match.Field.DESTINATION,
              networks(values), negated, false));
        }
      }
      default -> out.add(new Match.Opaque(text));
    }
    return out;
  }

  private static MacAddress mac(String v) {
    try {
      return MacAddress.of(v);
    } catch (RuntimeException e) {
      throw new BadExpression("not a MAC address: " + v);
    }
  }

  private static List<Ipv4Network> networks(List<String> values) {
    List<Ipv4Network> nets = new ArrayList<>(values.size());
    for (String v : values) {
      try {
        nets.add(EbtablesRuleParser.network(v));
      } catch (EbtablesRuleParser.BadRule e) {
        throw new BadExpression(e.getMessage());
      }
    }
    return nets;
  }

  static int etherType(String v) {
    Integer named = ETHER_TYPES.get(v.toLowerCase(Locale.ROOT));
    return named != null ? named : (int) num(v, 0xffff, "EtherType");
  }

  private static int named(Map<String, Integer> names, String v, int max, String what) {
    Integer n = names.get(v.toLowerCase(Locale.ROOT));
    return n != null ? n : (int) num(v, max, what);
  }

  static long num(String v, long max, String what) {
    try {
      long n = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
      if (n < 0 || n > max) {
        throw new BadExpression(what + " out of range: " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadExpression("not a " + what + ": " + v);
    }
  }
}
