package dev.midplane.network.antispoof;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.Ipv4Network;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads one ebtables rule specification ({@code -p ARP -i vif1.0 --arp-ip-src 192.0.2.10 -j
 * RETURN}) as ebtables 1.8 (nf_tables) and 2.0 (legacy) print it and accept it. Known options
 * become typed {@link Match}es; an option this model does not know is kept whole as
 * {@link Match.Opaque}; a known option with a malformed value is an error.
 */
final class EbtablesRuleParser {
  /** EtherType names from ebtables' {@code /etc/ethertypes}. */
  static final Map<String, Integer> ETHERTYPES = Map.ofEntries(
      Map.entry("IPV4", 0x0800), Map.entry("X25", 0x0805), Map.entry("ARP", 0x0806), Map.entry("FR_ARP", 0x0808),
      Map.entry("BPQ", 0x08ff), Map.entry("DEC", 0x6000), Map.entry("DNA_DL", 0x6001), Map.entry("DNA_RC", 0x6002),
      Map.entry("DNA_RT", 0x6003), Map.entry("LAT", 0x6004), Map.entry("DIAG", 0x6005), Map.entry("CUST", 0x6006),
      Map.entry("SCA", 0x6007), Map.entry("TEB", 0x6558), Map.entry("RAW_FR", 0x6559), Map.entry("RARP", 0x8035),
      Map.entry("AARP", 0x80f3), Map.entry("ATALK", 0x809b), Map.entry("802_1Q", 0x8100), Map.entry("IPX", 0x8137),
      Map.entry("NETBEUI", 0x8191), Map.entry("IPV6", 0x86dd), Map.entry("PPP", 0x880b), Map.entry("ATMMPOA", 0x884c),
      Map.entry("PPP_DISC", 0x8863), Map.entry("PPP_SES", 0x8864), Map.entry("ATMFATE", 0x8884), Map.entry("LOOP", 0x9000));

  private static final Map<String, Integer> IP_PROTOCOLS = Map.of(
      "icmp", 1, "igmp", 2, "tcp", 6, "udp", 17, "gre", 47, "esp", 50, "ah", 51, "sctp", 132, "udplite", 136, "dccp", 33);

  private static final Map<String, Integer> ARP_OPCODES = Map.of(
      "request", 1, "reply", 2, "request_reverse", 3, "reply_reverse", 4, "drarp_request", 5, "drarp_reply", 6,
      "drarp_error", 7, "inarp_request", 8, "arp_nak", 10);

  /** Watcher options: they log, they never change which frames match. Value: argument count. */
  private static final Map<String, Integer> WATCHERS = Map.ofEntries(
      Map.entry("--log", 0), Map.entry("--log-level", 1), Map.entry("--log-prefix", 1), Map.entry("--log-ip", 0),
      Map.entry("--log-arp", 0), Map.entry("--log-ip6", 0), Map.entry("--nflog", 0), Map.entry("--nflog-group", 1),
      Map.entry("--nflog-prefix", 1), Map.entry("--nflog-range", 1), Map.entry("--nflog-threshold", 1),
      Map.entry("--ulog", 0), Map.entry("--ulog-prefix", 1), Map.entry("--ulog-nlgroup", 1),
      Map.entry("--ulog-cprange", 1), Map.entry("--ulog-qthreshold", 1));

  private static final Set<String> STANDARD_TARGETS = Set.of("ACCEPT", "DROP", "RETURN", "CONTINUE");

  /** Raised for a malformed option; the caller adds the line. */
  static final class BadRule extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRule(String message) {
      super(message);
    }
  }

  private EbtablesRuleParser() {}

  /**
   * Parses a rule specification.
   *
   * @param userChains the user chains of the table, so {@code -j name} is read as a jump
   * @param counters counters from the listing, if any
   */
  static Rule parse(String spec, Set<String> userChains, Optional<Rule.Counters> counters) {
    List<String> t = tokenize(spec);
    List<Match> matches = new ArrayList<>();
    Action action = Action.CONTINUE;
    boolean sawTarget = false;
    Optional<Rule.Counters> c = counters;
    int i = 0;
    boolean pendingNot = false;
    while (i < t.size()) {
      String opt = t.get(i++);
      if (opt.equals("!")) {
        if (pendingNot) {
          throw new BadRule("'!' twice");
        }
        pendingNot = true;
        continue;
      }
      if (!opt.startsWith("-")) {
        throw new BadRule("expected an option, found '" + opt + "'");
      }
      if (opt.equals("-j") || opt.equals("--jump")) {
        if (pendingNot || i >= t.size()) {
          throw new BadRule("-j needs a target");
        }
        String target = t.get(i++);
        List<String> rest = new ArrayList<>();
        while (i < t.size() && !(t.get(i).equals("-c") || WATCHERS.containsKey(t.get(i)))) {
          rest.add(t.get(i++));
        }
        action = target(target, rest, userChains);
        sawTarget = true;
        continue;
      }
      if (opt.equals("-c") || opt.equals("--set-counters")) {
        if (i + 1 >= t.size()) {
          throw new BadRule("-c needs packet and byte counts");
        }
        c = Optional.of(new Rule.Counters(number(t.get(i++), "packet count"), number(t.get(i++), "byte count")));
        continue;
      }
      if (WATCHERS.containsKey(opt)) {
        i += WATCHERS.get(opt);
        if (i > t.size()) {
          throw new BadRule(opt + " needs a value");
        }
        continue;
      }
      boolean neg = pendingNot;
      pendingNot = false;
      if (i < t.size() && t.get(i).equals("!")) {
        if (neg) {
          throw new BadRule("'!' twice for " + opt);
        }
        neg = true;
        i++;
      }
      Optional<Match> m = known(opt, t, i, neg);
      if (m.isPresent()) {
        matches.add(m.get());
        i++;
        continue;
      }
      StringBuilder opaque = new StringBuilder(neg ? "! " : "").append(opt);
      while (i < t.size() && !t.get(i).startsWith("-") && !t.get(i).equals("!")) {
        opaque.append(' ').append(t.get(i++));
      }
      matches.add(new Match.Opaque(opaque.toString()));
    }
    if (pendingNot) {
      throw new BadRule("'!' at the end");
    }
    if (!sawTarget) {
      action = Action.CONTINUE;
    }
    return new Rule(matches, action, c, spec.strip());
  }

  private static Optional<Match> known(String opt, List<String> t, int i, boolean neg) {
    String key = switch (opt) {
      case "-i", "--in-interface", "--in-if" -> "-i";
      case "-o", "--out-interface", "--out-if" -> "-o";
      case "-s", "--source", "--src" -> "-s";
      case "-d", "--destination", "--dst" -> "-d";
      case "-p", "--protocol" -> "-p";
      case "--ip-src", "--ip-source" -> "--ip-src";
      case "--ip-dst", "--ip-destination" -> "--ip-dst";
      case "--ip-proto", "--ip-protocol" -> "--ip-proto";
      case "--ip-sport", "--ip-source-port" -> "--ip-sport";
      case "--ip-dport", "--ip-destination-port" -> "--ip-dport";
      case "--arp-op", "--arp-opcode" -> "--arp-op";
      case "--arp-htype", "--arp-ptype", "--arp-ip-src", "--arp-ip-dst", "--arp-mac-src", "--arp-mac-dst" -> opt;
      default -> null;
    };
    if (key == null) {
      return Optional.empty();
    }
    if (i >= t.size()) {
      throw new BadRule(opt + " needs a value");
    }
    String v = t.get(i);
    Match m = switch (key) {
      case "-i" -> iface(Match.Direction.IN, v, neg);
      case "-o" -> iface(Match.Direction.OUT, v, neg);
      case "-s" -> ether(Match.Field.SOURCE, v, neg);
      case "-d" -> ether(Match.Field.DESTINATION, v, neg);
      case "-p" -> new Match.EtherProto(etherType(v), neg);
      case "--ip-src" -> new Match.Ip(Match.Field.SOURCE, List.of(network(v)), neg);
      case "--ip-dst" -> new Match.Ip(Match.Field.DESTINATION, List.of(network(v)), neg);
      case "--ip-proto" -> new Match.IpProto(protocol(v), neg);
      case "--ip-sport" -> port(Match.Field.SOURCE, v, neg);
      case "--ip-dport" -> port(Match.Field.DESTINATION, v, neg);
      case "--arp-op" -> new Match.ArpHeader(Match.ArpHeader.Kind.OPERATION, arpOpcode(v), neg);
      case "--arp-htype" -> new Match.ArpHeader(Match.ArpHeader.Kind.HTYPE,
          v.equalsIgnoreCase("Ethernet") ? 1 : (int) number(v, "hardware type"), neg);
      case "--arp-ptype" -> new Match.ArpHeader(Match.ArpHeader.Kind.PTYPE, etherType(v), neg);
      case "--arp-ip-src" -> new Match.ArpIp(Match.Field.SOURCE, List.of(network(v)), neg, true);
      case "--arp-ip-dst" -> new Match.ArpIp(Match.Field.DESTINATION, List.of(network(v)), neg, true);
      case "--arp-mac-src" -> arpMac(Match.Field.SOURCE, v, neg);
      case "--arp-mac-dst" -> arpMac(Match.Field.DESTINATION, v, neg);
      default -> throw new IllegalStateException(key);
    };
    return Optional.of(m);
  }

  private static Action target(String target, List<String> options, Set<String> userChains) {
    if (STANDARD_TARGETS.contains(target) && options.isEmpty()) {
      return switch (target) {
        case "ACCEPT" -> Action.ACCEPT;
        case "DROP" -> Action.DROP;
        case "RETURN" -> Action.RETURN;
        default -> Action.CONTINUE;
      };
    }
    if (userChains.contains(target) && options.isEmpty()) {
      return new Action.Jump(target);
    }
    if (!options.isEmpty() || !target.matches("[A-Za-z0-9_.+-]+")) {
      return new Action.Opaque(String.join(" ", prepend(target, options)));
    }
    // A word that is neither a standard target nor a known chain: an extension target without
    // options, or a jump to a chain this listing did not declare. Either way, not evaluable.
    return new Action.Opaque(target);
  }

  private static List<String> prepend(String first, List<String> rest) {
    List<String> l = new ArrayList<>(rest.size() + 1);
    l.add(first);
    l.addAll(rest);
    return l;
  }

  static Match.Iface iface(Match.Direction d, String v, boolean neg) {
    boolean wildcard = v.endsWith("+");
    String name = wildcard ? v.substring(0, v.length() - 1) : v;
    if (name.isEmpty() && !wildcard || name.length() > 15 || name.chars().anyMatch(ch -> ch <= ' ' || ch == '/')) {
      throw new BadRule("not an interface name: '" + v + "'");
    }
    return new Match.Iface(d, name, wildcard, neg);
  }

  private static Match.EtherAddr ether(Match.Field f, String v, boolean neg) {
    MacAddress[] vm = macAndMask(v);
    return new Match.EtherAddr(f, vm[0], vm[1], neg);
  }

  private static Match.ArpMac arpMac(Match.Field f, String v, boolean neg) {
    MacAddress[] vm = macAndMask(v);
    return new Match.ArpMac(f, vm[0], vm[1], neg, true);
  }

  /** {@code mac}, {@code mac/mask}, or one of ebtables' names Unicast, Multicast, Broadcast, BGA. */
  static MacAddress[] macAndMask(String v) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "unicast":
        return new MacAddress[] {MacAddress.fromBits(0), Match.EtherAddr.GROUP_BIT};
      case "multicast":
        return new MacAddress[] {Match.EtherAddr.GROUP_BIT, Match.EtherAddr.GROUP_BIT};
      case "broadcast":
        return new MacAddress[] {MacAddress.BROADCAST, MacAddress.BROADCAST};
      case "bga":
        return new MacAddress[] {MacAddress.of("01:80:c2:00:00:00"), MacAddress.of("ff:ff:ff:ff:ff:f0")};
      default:
        break;
    }
    int slash = v.indexOf('/');
    try {
      MacAddress mac = MacAddress.of(slash < 0 ? v : v.substring(0, slash));
      MacAddress mask = slash < 0 ? MacAddress.BROADCAST : MacAddress.of(v.substring(slash + 1));
      return new MacAddress[] {mac, mask};
    } catch (InvalidNameException e) {
      throw new BadRule("not a MAC address: '" + v + "' (" + e.rule() + ")");
    }
  }

  static int etherType(String v) {
    Integer named = ETHERTYPES.get(v.toUpperCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    if (v.equalsIgnoreCase("LENGTH")) {
      return Match.EtherProto.LENGTH;
    }
    String hex = v.startsWith("0x") || v.startsWith("0X") ? v.substring(2) : v;
    try {
      int x = Integer.parseInt(hex, 16);
      if (x < 0x0600 || x > 0xffff) {
        throw new BadRule("EtherType out of range 0x0600..0xffff: '" + v + "'");
      }
      return x;
    } catch (NumberFormatException e) {
      throw new BadRule("not an EtherType: '" + v + "'");
    }
  }

  /** {@code a.b.c.d}, {@code a.b.c.d/len} or {@code a.b.c.d/m.m.m.m}, host bits masked off. */
  static Ipv4Network network(String v) {
    int slash = v.indexOf('/');
    try {
      Ipv4Address a = Ipv4Address.of(slash < 0 ? v : v.substring(0, slash));
      if (slash < 0) {
        return Ipv4Network.containing(a, 32);
      }
      String m = v.substring(slash + 1);
      int len;
      if (m.indexOf('.') >= 0) {
        int bits = Ipv4Address.of(m).bits();
        len = Integer.bitCount(bits);
        if (bits != (len == 0 ? 0 : -1 << (32 - len))) {
          throw new BadRule("not a contiguous netmask: '" + v + "'");
        }
      } else {
        len = Integer.parseInt(m);
        if (len < 0 || len > 32) {
          throw new BadRule("prefix length out of range: '" + v + "'");
        }
      }
      return Ipv4Network.containing(a, len);
    } catch (InvalidNameException | NumberFormatException e) {
      throw new BadRule("not an IPv4 address or network: '" + v + "'");
    }
  }

  private static int protocol(String v) {
    Integer named = IP_PROTOCOLS.get(v.toLowerCase(Locale.ROOT));
    if (named != null) {
      return named;
    }
    long n = number(v, "IP protocol");
    if (n > 255) {
      throw new BadRule("IP protocol out of range: '" + v + "'");
    }
    return (int) n;
  }

  private static Match.Port port(Match.Field f, String v, boolean neg) {
    int colon = v.indexOf(':');
    int from = (int) number(colon < 0 ? v : v.substring(0, colon), "port");
    int to = colon < 0 ? from : (int) number(v.substring(colon + 1), "port");
    if (from > 0xffff || to > 0xffff || from > to) {
      throw new BadRule("bad port range: '" + v + "'");
    }
    return new Match.Port(f, from, to, OptionalInt.empty(), neg, true);
  }

  private static int arpOpcode(String v) {
    Integer named = ARP_OPCODES.get(v.toLowerCase(Locale.ROOT));
    return named != null ? named : (int) number(v, "ARP opcode");
  }

  static long number(String v, String what) {
    try {
      long n = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRule("not a " + what + ": '" + v + "'");
    }
  }

  /** Splits on blanks; a double-quoted word (a log prefix) stays one token, quotes kept. */
  static List<String> tokenize(String spec) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inQuote = false;
    boolean any = false;
    for (int k = 0; k < spec.length(); k++) {
      char ch = spec.charAt(k);
      if (ch == '"') {
        inQuote = !inQuote;
        cur.append(ch);
        any = true;
      } else if (!inQuote && (ch == ' ' || ch == '\t')) {
        if (any) {
          out.add(cur.toString());
          cur.setLength(0);
          any = false;
        }
      } else {
        cur.append(ch);
        any = true;
      }
    }
    if (inQuote) {
      throw new BadRule("unterminated quote");
    }
    if (any) {
      out.add(cur.toString());
    }
    return out;
  }
}
