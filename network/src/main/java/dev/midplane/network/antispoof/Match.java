package dev.midplane.network.antispoof;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.Ipv4Network;
import dev.midplane.core.names.MacAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * One condition of a bridge filter rule, in a form both ebtables and nftables rules translate to.
 * Each match knows how the kernel evaluates it ({@link #test(Frame)}), including the corner cases
 * the two tools treat differently: ebtables' ARP match ignores packets with unexpected lengths,
 * nftables reads fixed offsets; a negated match on a protocol the frame does not carry is false in
 * both.
 *
 * <p>nftables' implicit dependencies ({@code ip saddr} implies {@code ether type ip}) are explicit
 * {@link EtherProto} matches here, so an ebtables rule and the nftables rule that means the same
 * thing have equal match sets.
 */
public sealed interface Match {
  /** Source or destination; sender or target for ARP. */
  enum Field {
    SOURCE,
    DESTINATION
  }

  /** Ingress or egress bridge port. */
  enum Direction {
    IN,
    OUT
  }

  /** True when the frame satisfies the condition, negation included. */
  boolean test(Frame frame);

  /**
   * The bridge port the frame entered on ({@code -i}, {@code iifname}) or leaves by ({@code -o},
   * {@code oifname}). A frame from or to the host has no port there, which never equals a name.
   *
   * @param name the interface name, without the wildcard
   * @param wildcard true for a prefix match ({@code vif+}, {@code "vif*"})
   */
  record Iface(Direction direction, String name, boolean wildcard, boolean negated) implements Match {
    public Iface {
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(name, "name");
    }

    @Override
    public boolean test(Frame frame) {
      Optional<InterfaceName> port = direction == Direction.IN ? frame.inPort() : frame.outPort();
      String actual = port.map(InterfaceName::value).orElse("");
      boolean raw = port.isPresent() && (wildcard ? actual.startsWith(name) : actual.equals(name));
      return raw != negated;
    }

    @Override
    public String toString() {
      return (direction == Direction.IN ? "iifname " : "oifname ") + (negated ? "!= " : "") + name + (wildcard ? "*" : "");
    }
  }

  /** Ethernet source or destination address under a mask ({@code ff:ff:ff:ff:ff:ff} for exact). */
  record EtherAddr(Field field, MacAddress value, MacAddress mask, boolean negated) implements Match {
    public static final MacAddress EXACT = MacAddress.BROADCAST;
    public static final MacAddress GROUP_BIT = MacAddress.fromBits(0x010000000000L);

    public EtherAddr {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(mask, "mask");
      value = MacAddress.fromBits(value.bits() & mask.bits());
    }

    @Override
    public boolean test(Frame frame) {
      MacAddress a = field == Field.SOURCE ? frame.source() : frame.destination();
      return ((a.bits() & mask.bits()) == value.bits()) != negated;
    }

    @Override
    public String toString() {
      return "ether " + (field == Field.SOURCE ? "saddr " : "daddr ") + (negated ? "!= " : "") + value
          + (mask.equals(EXACT) ? "" : "/" + mask);
    }
  }

  /** The EtherType; {@link #LENGTH} stands for an 802.3 length field (below 0x0600). */
  record EtherProto(int type, boolean negated) implements Match {
    public static final int LENGTH = -1;

    @Override
    public boolean test(Frame frame) {
      boolean raw = type == LENGTH ? frame.etherType() < 0x0600 : frame.etherType() == type;
      return raw != negated;
    }

    @Override
    public String toString() {
      return "ether type " + (negated ? "!= " : "") + (type == LENGTH ? "length" : String.format("0x%04x", type));
    }
  }

  /** IPv4 source or destination within any of the networks; false for frames without IPv4. */
  record Ip(Field field, List<Ipv4Network> anyOf, boolean negated) implements Match {
    public Ip {
      Objects.requireNonNull(field, "field");
      anyOf = List.copyOf(anyOf);
      if (anyOf.isEmpty()) {
        throw new IllegalArgumentException("an IP match needs at least one network");
      }
    }

    @Override
    public boolean test(Frame frame) {
      if (frame.ipv4().isEmpty()) {
        return false;
      }
      Ipv4Address a = field == Field.SOURCE ? frame.ipv4().get().source() : frame.ipv4().get().destination();
      return anyOf.stream().anyMatch(n -> n.contains(a)) != negated;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ip other && other.field == field && other.negated == negated && sameSet(other.anyOf, anyOf);
    }

    @Override
    public int hashCode() {
      return Objects.hash(field, java.util.Set.copyOf(anyOf), negated);
    }

    @Override
    public String toString() {
      return "ip " + (field == Field.SOURCE ? "saddr " : "daddr ") + (negated ? "!= " : "") + networks(anyOf);
    }
  }

  /** The IPv4 protocol number; false for frames without IPv4. */
  record IpProto(int protocol, boolean negated) implements Match {
    @Override
    public boolean test(Frame frame) {
      return frame.ipv4().isPresent() && (frame.ipv4().get().protocol() == protocol) != negated;
    }

    @Override
    public String toString() {
      return "ip protocol " + (negated ? "!= " : "") + protocol;
    }
  }

  /**
   * A transport port range. False (negated or not) for frames without IPv4, for protocols
   * without ports, and when {@code protocol} is given and differs — the way both ebtables'
   * {@code --ip-sport} and nftables' {@code udp sport} behave. For a non-first fragment they
   * differ: ebtables ({@code strict}) never matches, while nftables in the bridge family (seen on
   * Linux 6.18) compares whatever bytes sit where the ports would be.
   */
  record Port(Field field, int from, int to, OptionalInt protocol, boolean negated, boolean strict) implements Match {
    public Port {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(protocol, "protocol");
      if (from < 0 || to > 0xffff || from > to) {
        throw new IllegalArgumentException("bad port range " + from + ":" + to);
      }
    }

    @Override
    public boolean test(Frame frame) {
      if (frame.ipv4().isEmpty() || !frame.ipv4().get().hasPorts()) {
        return false;
      }
      Frame.Ipv4 ip = frame.ipv4().get();
      if ((strict && ip.fragment()) || (protocol.isPresent() && protocol.getAsInt() != ip.protocol())) {
        return false;
      }
      int p = field == Field.SOURCE ? ip.sourcePort() : ip.destinationPort();
      return (p >= from && p <= to) != negated;
    }

    @Override
    public String toString() {
      String proto = protocol.isPresent() ? (protocol.getAsInt() == Frame.UDP ? "udp" : protocol.getAsInt() == Frame.TCP ? "tcp"
          : "l4proto " + protocol.getAsInt()) : "th";
      return proto + (field == Field.SOURCE ? " sport " : " dport ") + (negated ? "!= " : "") + from
          + (from == to ? "" : "-" + to) + (strict ? " (not in fragments)" : "");
    }
  }

  /**
   * The IPv4 fragment offset is zero: an unfragmented packet or a first fragment, whose transport
   * header is real ({@code ip frag-off & 0x1fff == 0}); negated, a non-first fragment.
   */
  record FirstFragment(boolean negated) implements Match {
    @Override
    public boolean test(Frame frame) {
      return frame.ipv4().isPresent() && frame.ipv4().get().fragment() == negated;
    }

    @Override
    public String toString() {
      return "ip frag-off & 0x1fff " + (negated ? "!=" : "==") + " 0";
    }
  }

  /** A fixed ARP header field; false for frames that are not ARP or RARP. */
  record ArpHeader(Kind kind, int value, boolean negated) implements Match {
    /** The field. */
    public enum Kind {
      HTYPE,
      PTYPE,
      HLEN,
      PLEN,
      OPERATION
    }

    public ArpHeader {
      Objects.requireNonNull(kind, "kind");
    }

    @Override
    public boolean test(Frame frame) {
      if (frame.arp().isEmpty()) {
        return false;
      }
      Frame.Arp a = frame.arp().get();
      int actual = switch (kind) {
        case HTYPE -> a.htype();
        case PTYPE -> a.ptype();
        case HLEN -> a.hlen();
        case PLEN -> a.plen();
        case OPERATION -> a.operation();
      };
      return (actual == value) != negated;
    }

    @Override
    public String toString() {
      return "arp " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + (negated ? "!= " : "") + value;
    }
  }

  /**
   * ARP sender or target hardware address. With {@code strict} (ebtables' ARP match) a packet
   * whose hardware type is not Ethernet or whose hardware length is not 6 never matches; without
   * it (nftables) the six bytes at the Ethernet/IPv4 offset are compared whatever the header says.
   */
  record ArpMac(Field field, MacAddress value, MacAddress mask, boolean negated, boolean strict) implements Match {
    public ArpMac {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(mask, "mask");
      value = MacAddress.fromBits(value.bits() & mask.bits());
    }

    @Override
    public boolean test(Frame frame) {
      if (frame.arp().isEmpty()) {
        return false;
      }
      Frame.Arp a = frame.arp().get();
      if (strict && (a.htype() != 1 || a.hlen() != 6)) {
        return false;
      }
      MacAddress m = field == Field.SOURCE ? a.senderMac() : a.targetMac();
      return ((m.bits() & mask.bits()) == value.bits()) != negated;
    }

    @Override
    public String toString() {
      return "arp " + (field == Field.SOURCE ? "saddr" : "daddr") + " ether " + (negated ? "!= " : "") + value
          + (mask.equals(EtherAddr.EXACT) ? "" : "/" + mask) + (strict ? " (checked lengths)" : "");
    }
  }

  /**
   * ARP sender or target protocol address within any of the networks. With {@code strict}
   * (ebtables) a packet whose protocol type is not IPv4 or whose protocol length is not 4 never
   * matches; without it (nftables) the four bytes at the Ethernet/IPv4 offset are compared.
   */
  record ArpIp(Field field, List<Ipv4Network> anyOf, boolean negated, boolean strict) implements Match {
    public ArpIp {
      Objects.requireNonNull(field, "field");
      anyOf = List.copyOf(anyOf);
      if (anyOf.isEmpty()) {
        throw new IllegalArgumentException("an ARP IP match needs at least one network");
      }
    }

    @Override
    public boolean test(Frame frame) {
      if (frame.arp().isEmpty()) {
        return false;
      }
      Frame.Arp a = frame.arp().get();
      if (strict && (a.ptype() != Frame.IPV4 || a.plen() != 4)) {
        return false;
      }
      Ipv4Address ip = field == Field.SOURCE ? a.senderIp() : a.targetIp();
      return anyOf.stream().anyMatch(n -> n.contains(ip)) != negated;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ArpIp other && other.field == field && other.negated == negated && other.strict == strict
          && sameSet(other.anyOf, anyOf);
    }

    @Override
    public int hashCode() {
      return Objects.hash(field, java.util.Set.copyOf(anyOf), negated, strict);
    }

    @Override
    public String toString() {
      return "arp " + (field == Field.SOURCE ? "saddr" : "daddr") + " ip " + (negated ? "!= " : "") + networks(anyOf)
          + (strict ? " (checked lengths)" : "");
    }
  }

  /**
   * A condition this model does not understand (a VLAN id, a mark, a named set, an xt match). It
   * is kept, not dropped, so a rule is never read as broader than it is; evaluating it throws
   * {@link UnsupportedRuleException}.
   */
  record Opaque(String text) implements Match {
    public Opaque {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public boolean test(Frame frame) {
      throw new UnsupportedRuleException("cannot evaluate the condition '" + text + "'");
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** Sets of networks compare without order: {@code { a, b }} and {@code { b, a }} are one match. */
  private static boolean sameSet(List<Ipv4Network> a, List<Ipv4Network> b) {
    return java.util.Set.copyOf(a).equals(java.util.Set.copyOf(b));
  }

  private static String networks(List<Ipv4Network> nets) {
    List<String> s = nets.stream().map(n -> n.prefixLength() == 32 ? n.network().toString() : n.toString()).toList();
    return s.size() == 1 ? s.get(0) : s.stream().collect(Collectors.joining(", ", "{ ", " }"));
  }
}
