package dev.midplane.network.antispoof;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.Ipv4Network;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads a vif's lock out of a live ruleset: which policy the chains implement, whether they are
 * exactly what that policy renders to, whether the way into them is intact, and — through
 * {@link BridgeFilter} — whether spoofed frames really are dropped.
 */
final class Verifier {
  /** A port name no vif has, standing for the uplink in probe frames. */
  static final InterfaceName UPLINK = InterfaceName.of("mp-probe-up");
  private static final MacAddress PEER = MacAddress.of("02:00:5e:00:53:01");
  private static final Ipv4Address PEER_IP = Ipv4Address.of("198.51.100.1");

  private Verifier() {}

  static VifStatus status(FilterBackend b, InterfaceName vif, Ruleset live) {
    String family = "bridge";
    Optional<Table> table = live.table(family, b.table());
    Optional<Chain> in = table.flatMap(t -> t.chain(FilterBackend.inChain(vif)));
    Optional<Chain> out = table.flatMap(t -> t.chain(FilterBackend.outChain(vif)));
    if (in.isEmpty() && out.isEmpty() && !b.vifsIn(live).contains(vif)) {
      return new VifStatus(vif, VifStatus.State.NOT_LOCKED, Optional.empty(), List.of(), 0, 0);
    }
    List<String> problems = new ArrayList<>();
    Optional<VifPolicy> policy = in.flatMap(c -> policyOf(vif, c));
    if (in.isEmpty() || out.isEmpty()) {
      problems.add("chain " + (in.isEmpty() ? FilterBackend.inChain(vif) : FilterBackend.outChain(vif)) + " is missing");
    }
    if (policy.isEmpty()) {
      problems.add("the chains hold no recognisable policy");
    } else {
      Ruleset expected = b.simulate(Ruleset.EMPTY, b.lockScript(List.of(policy.get()), Ruleset.EMPTY));
      Table et = expected.table(family, b.table()).orElseThrow();
      for (Optional<Chain> live1 : List.of(in, out)) {
        live1.ifPresent(c -> {
          List<Rule> want = et.chain(c.name()).orElseThrow().rules();
          if (!c.rules().equals(want)) {
            problems.add("chain " + c.name() + " differs from the policy: live " + c.rules() + ", expected " + want);
          }
        });
      }
      problems.addAll(b.hookProblems(vif, live));
      if (problems.isEmpty()) {
        problems.addAll(probe(b, policy.get(), live));
      }
    }
    long droppedFrom = in.map(Verifier::dropped).orElse(0L);
    long droppedTo = out.map(Verifier::dropped).orElse(0L);
    return new VifStatus(vif, problems.isEmpty() ? VifStatus.State.LOCKED : VifStatus.State.DRIFTED, policy, problems,
        droppedFrom, droppedTo);
  }

  private static long dropped(Chain c) {
    return c.rules().stream().filter(r -> r.action() instanceof Action.Drop)
        .mapToLong(r -> r.counters().map(Rule.Counters::packets).orElse(0L)).sum();
  }

  /**
   * The policy an ingress chain implements: the MAC from its {@code ether saddr != MAC drop} rule,
   * the addresses from its returning IPv4 source matches, DHCP from a returning 0.0.0.0 match.
   */
  static Optional<VifPolicy> policyOf(InterfaceName vif, Chain in) {
    MacAddress mac = null;
    TreeSet<Ipv4Address> addrs = new TreeSet<>();
    boolean dhcp = false;
    for (Rule r : in.rules()) {
      for (Match m : r.matches()) {
        if (r.action() instanceof Action.Drop && m instanceof Match.EtherAddr e && e.field() == Match.Field.SOURCE
            && e.negated() && e.mask().equals(Match.EtherAddr.EXACT)) {
          mac = e.value();
        }
        if (r.action() instanceof Action.Return && m instanceof Match.Ip ip && ip.field() == Match.Field.SOURCE
            && !ip.negated()) {
          for (Ipv4Network n : ip.anyOf()) {
            if (n.prefixLength() == 32 && n.network().isUnspecified()) {
              dhcp = true;
            } else if (n.prefixLength() == 32) {
              addrs.add(n.network());
            }
          }
        }
      }
    }
    if (mac == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(VifPolicy.builder().vif(vif).mac(mac).addresses(addrs).dhcp(dhcp).build());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A frame the lock must stop, or one it must let through its own chain. */
  record Probe(String what, Frame frame, boolean passes, String chain) {}

  static List<Probe> probes(VifPolicy p) {
    Optional<InterfaceName> vif = Optional.of(p.vif());
    Optional<InterfaceName> up = Optional.of(UPLINK);
    String in = FilterBackend.inChain(p.vif());
    String out = FilterBackend.outChain(p.vif());
    MacAddress mac = p.mac();
    MacAddress otherMac = MacAddress.fromBits(mac.bits() ^ 1);
    Ipv4Address foreign = foreignAddress(p);
    List<Probe> list = new ArrayList<>();
    Ipv4Address own = p.addresses().isEmpty() ? null : p.addresses().first();
    if (own != null) {
      list.add(new Probe("IPv4 from its own MAC and address", Frame.ipv4(vif, up, mac, PEER, udp(own)), true, in));
      list.add(new Probe("ARP with its own MAC and address", Frame.arp(vif, up, mac, MacAddress.BROADCAST, Frame.ARP,
          Frame.Arp.of(1, mac, own, MacAddress.fromBits(0), PEER_IP)), true, in));
      list.add(new Probe("IPv4 from another MAC", Frame.ipv4(vif, up, otherMac, PEER, udp(own)), false, in));
      list.add(new Probe("ARP naming another MAC as sender", Frame.arp(vif, up, mac, MacAddress.BROADCAST, Frame.ARP,
          Frame.Arp.of(2, otherMac, own, PEER, PEER_IP)), false, in));
    }
    list.add(new Probe("IPv4 from a foreign address", Frame.ipv4(vif, up, mac, PEER, udp(foreign)), false, in));
    list.add(new Probe("ARP naming a foreign address as sender", Frame.arp(vif, up, mac, MacAddress.BROADCAST, Frame.ARP,
        Frame.Arp.of(2, mac, foreign, PEER, PEER_IP)), false, in));
    list.add(new Probe("IPv4 to the host from a foreign address", Frame.ipv4(vif, Optional.empty(), mac, PEER,
        udp(foreign)), false, in));
    list.add(new Probe("IPv6", Frame.other(vif, up, mac, PEER, Frame.IPV6), false, in));
    list.add(new Probe("RARP", Frame.arp(vif, up, mac, MacAddress.BROADCAST, Frame.RARP,
        Frame.Arp.of(3, mac, Ipv4Address.fromBits(0), mac, Ipv4Address.fromBits(0))), false, in));
    list.add(new Probe("unicast for it", Frame.other(up, vif, PEER, mac, Frame.IPV6), true, out));
    list.add(new Probe("broadcast", Frame.other(up, vif, PEER, MacAddress.BROADCAST, Frame.IPV6), true, out));
    list.add(new Probe("unicast for another MAC", Frame.other(up, vif, PEER, otherMac, Frame.IPV6), false, out));
    list.add(new Probe("the host's unicast for another MAC", Frame.other(Optional.empty(), vif, PEER, otherMac,
        Frame.IPV6), false, out));
    return list;
  }

  private static Frame.Ipv4 udp(Ipv4Address src) {
    return new Frame.Ipv4(src, PEER_IP, Frame.UDP, 40000, 53, false);
  }

  private static Ipv4Address foreignAddress(VifPolicy p) {
    for (String c : List.of("203.0.113.254", "198.51.100.254", "192.0.2.254", "203.0.113.253")) {
      Ipv4Address a = Ipv4Address.of(c);
      if (!p.addresses().contains(a)) {
        return a;
      }
    }
    throw new IllegalStateException("unreachable: a policy cannot own all four probe addresses");
  }

  /** Runs the probes; each wrong answer, or a rule the model cannot evaluate on the way, is a problem. */
  static List<String> probe(FilterBackend b, VifPolicy p, Ruleset live) {
    List<String> problems = new ArrayList<>();
    BridgeFilter filter = BridgeFilter.of(live);
    for (Probe probe : probes(p)) {
      try {
        if (probe.passes()) {
          BridgeFilter.Outcome o = filter.evaluate("bridge", b.table(), probe.chain(), probe.frame());
          if (o != BridgeFilter.Outcome.RETURN) {
            problems.add(probe.what() + " is not passed on by " + probe.chain() + " (" + o + ")");
          }
        } else if (filter.decide(probe.frame()).accepted()) {
          problems.add(probe.what() + " is let through: " + filter.decide(probe.frame()).trace());
        }
      } catch (UnsupportedRuleException e) {
        problems.add("cannot prove that " + probe.what() + " is " + (probe.passes() ? "passed on" : "dropped") + ": "
            + e.getMessage());
      }
    }
    return problems;
  }
}
