package dev.midplane.network.antispoof;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random VMs and random frames for the property tests: honest frames from and to the VMs, the
 * same frames with one field forged, and frames with every field drawn at random.
 */
final class Scenarios {
  static final InterfaceName UPLINK = InterfaceName.of("eth0");
  static final InterfaceName UNLOCKED_VIF = InterfaceName.of("vif99.0");
  private static final Ipv4Address ZERO = Ipv4Address.fromBits(0);
  private static final Ipv4Address BCAST = Ipv4Address.fromBits(-1);

  /** A set of VMs and frames to push through their rules. */
  record Scenario(List<VifPolicy> vms, List<Frame> frames) {
    Map<InterfaceName, VifPolicy> byVif() {
      Map<InterfaceName, VifPolicy> m = new LinkedHashMap<>();
      vms.forEach(p -> m.put(p.vif(), p));
      return m;
    }

    @Override
    public String toString() {
      return vms.stream().map(p -> p.vif() + "=" + p.mac() + p.addresses() + (p.dhcp() ? "+dhcp" : ""))
          .collect(Collectors.joining(", ")) + " / " + frames.size() + " frames";
    }
  }

  private Scenarios() {}

  static Arbitrary<MacAddress> unicastMac() {
    return Arbitraries.longs().between(0, 0xffffffffffffL).map(b -> MacAddress.fromBits(b & ~0x010000000000L))
        .filter(m -> !m.isZero());
  }

  static Arbitrary<Ipv4Address> address() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1, 254).map(i -> Ipv4Address.of("192.0.2." + i)),
        Arbitraries.integers().between(1, 254).map(i -> Ipv4Address.of("198.51.100." + i)));
  }

  static Arbitrary<VifPolicy> vm(int domid) {
    return Combinators.combine(unicastMac(), address().set().ofMaxSize(3), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 3))
        .as((mac, addrs, dhcp, index) -> VifPolicy.builder().vif(InterfaceName.xenVif(domid, index)).mac(mac)
            .addresses(addrs).dhcp(dhcp).build());
  }

  static Arbitrary<List<VifPolicy>> vms() {
    return Arbitraries.integers().between(1, 5).flatMap(n -> {
      List<Arbitrary<VifPolicy>> each = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        each.add(vm(i + 1));
      }
      return Combinators.combine(each).as(l -> l).filter(l ->
          l.stream().map(VifPolicy::mac).distinct().count() == l.size());
    });
  }

  static Arbitrary<Scenario> scenarios() {
    return vms().flatMap(vms -> frame(vms).list().ofMinSize(30).ofMaxSize(80).map(fs -> new Scenario(vms, fs)));
  }

  static Arbitrary<Frame> frame(List<VifPolicy> vms) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, honestFromVm(vms).flatMap(f -> Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, Arbitraries.just(f)),
            net.jqwik.api.Tuple.of(3, forge(f, vms))))),
        net.jqwik.api.Tuple.of(2, towardVm(vms)),
        net.jqwik.api.Tuple.of(2, random(vms)));
  }

  private static List<Optional<InterfaceName>> ports(List<VifPolicy> vms) {
    List<Optional<InterfaceName>> ports = new ArrayList<>();
    vms.forEach(p -> ports.add(Optional.of(p.vif())));
    ports.add(Optional.of(UPLINK));
    ports.add(Optional.of(UNLOCKED_VIF));
    ports.add(Optional.empty());
    return ports;
  }

  private static Arbitrary<Optional<InterfaceName>> otherPort(List<VifPolicy> vms, Optional<InterfaceName> not) {
    // Never the ingress port itself, and never host to host.
    return Arbitraries.of(ports(vms)).filter(p -> !p.equals(not));
  }

  /** A frame the VM may send: IPv4 from its address, ARP about itself, or DHCP. */
  static Arbitrary<Frame> honestFromVm(List<VifPolicy> vms) {
    return Arbitraries.of(vms).flatMap(p -> otherPort(vms, Optional.of(p.vif())).flatMap(out -> {
      List<Arbitrary<Frame>> kinds = new ArrayList<>();
      Optional<InterfaceName> in = Optional.of(p.vif());
      Arbitrary<MacAddress> dst = destination(vms);
      if (!p.addresses().isEmpty()) {
        kinds.add(Combinators.combine(Arbitraries.of(p.addresses()), address(), dst, Arbitraries.of(Frame.UDP, Frame.TCP,
            Frame.ICMP), Arbitraries.integers().between(1, 65535))
            .as((src, ipDst, d, proto, port) -> Frame.ipv4(in, out, p.mac(), d,
                new Frame.Ipv4(src, ipDst, proto, proto == Frame.ICMP ? 0 : port, proto == Frame.ICMP ? 0 : 80, false))));
        kinds.add(Combinators.combine(Arbitraries.of(p.addresses()), address(), Arbitraries.of(1, 2), dst)
            .as((spa, tpa, op, d) -> Frame.arp(in, out, p.mac(), d, Frame.ARP,
                Frame.Arp.of(op, p.mac(), spa, op == 1 ? MacAddress.fromBits(0) : d, tpa))));
      }
      kinds.add(Arbitraries.just(Frame.ipv4(in, out, p.mac(), MacAddress.BROADCAST,
          new Frame.Ipv4(ZERO, BCAST, Frame.UDP, 68, 67, false))));
      kinds.add(address().map(tpa -> Frame.arp(in, out, p.mac(), MacAddress.BROADCAST, Frame.ARP,
          Frame.Arp.of(1, p.mac(), ZERO, MacAddress.fromBits(0), tpa))));
      return Arbitraries.oneOf(kinds);
    }));
  }

  /** The frame with one field changed the way an attacker would. */
  static Arbitrary<Frame> forge(Frame f, List<VifPolicy> vms) {
    List<Arbitrary<Frame>> ways = new ArrayList<>();
    ways.add(sourceMac(vms).map(m -> new Frame(f.inPort(), f.outPort(), m, f.destination(), f.etherType(), f.ipv4(), f.arp())));
    ways.add(Arbitraries.of(Frame.IPV6, Frame.RARP, Frame.VLAN, 0x88cc, 0x0806).map(t -> t == Frame.RARP || t == Frame.ARP
        ? Frame.arp(f.inPort(), f.outPort(), f.source(), f.destination(), t,
            f.arp().orElse(Frame.Arp.of(3, f.source(), ZERO, f.source(), ZERO)))
        : Frame.other(f.inPort(), f.outPort(), f.source(), f.destination(), t)));
    f.ipv4().ifPresent(ip -> {
      ways.add(ipAddress(vms).map(a -> withIp(f, new Frame.Ipv4(a, ip.destination(), ip.protocol(), ip.sourcePort(),
          ip.destinationPort(), ip.fragment()))));
      ways.add(Combinators.combine(Arbitraries.of(Frame.UDP, Frame.TCP, Frame.ICMP), Arbitraries.of(67, 68, 53),
          Arbitraries.of(67, 68, 53), Arbitraries.of(true, false), Arbitraries.of(ip.destination(), BCAST))
          .as((proto, sp, dp, frag, dst) -> withIp(f, new Frame.Ipv4(ip.source(), dst, proto, sp, dp, frag))));
    });
    f.arp().ifPresent(a -> {
      ways.add(sourceMac(vms).map(m -> withArp(f, new Frame.Arp(a.htype(), a.ptype(), a.hlen(), a.plen(), a.operation(),
          m, a.senderIp(), a.targetMac(), a.targetIp()))));
      ways.add(ipAddress(vms).map(ip -> withArp(f, new Frame.Arp(a.htype(), a.ptype(), a.hlen(), a.plen(),
          a.operation(), a.senderMac(), ip, a.targetMac(), a.targetIp()))));
      ways.add(Combinators.combine(Arbitraries.of(1, 6), Arbitraries.of(0x0800, 0x86dd), Arbitraries.of(6, 8),
          Arbitraries.of(4, 16)).as((ht, pt, hl, pl) -> withArp(f, new Frame.Arp(ht, pt, hl, pl, a.operation(),
          a.senderMac(), a.senderIp(), a.targetMac(), a.targetIp()))));
    });
    return Arbitraries.oneOf(ways);
  }

  private static Frame withIp(Frame f, Frame.Ipv4 ip) {
    return Frame.ipv4(f.inPort(), f.outPort(), f.source(), f.destination(), ip);
  }

  private static Frame withArp(Frame f, Frame.Arp a) {
    return Frame.arp(f.inPort(), f.outPort(), f.source(), f.destination(), f.etherType(), a);
  }

  /** Frames for a VM's port: its own unicast, broadcast, multicast, others' unicast. */
  static Arbitrary<Frame> towardVm(List<VifPolicy> vms) {
    return Arbitraries.of(vms).flatMap(p -> otherPort(vms, Optional.of(p.vif())).flatMap(in ->
        Combinators.combine(destination(vms), sourceMac(vms)).as((d, s) -> Frame.other(in, Optional.of(p.vif()), s, d,
            Frame.IPV6))));
  }

  /** Every field at random, from pools that include the VMs' own values. */
  static Arbitrary<Frame> random(List<VifPolicy> vms) {
    return Arbitraries.of(ports(vms)).flatMap(in -> otherPort(vms, in).flatMap(out ->
        Combinators.combine(sourceMac(vms), destination(vms), Arbitraries.of(Frame.IPV4, Frame.ARP, Frame.RARP,
            Frame.IPV6, Frame.VLAN, 0x0100), ipAddress(vms), ipAddress(vms), sourceMac(vms))
            .as((s, d, type, ip1, ip2, sha) -> switch (type) {
              case Frame.IPV4 -> Frame.ipv4(in, out, s, d, new Frame.Ipv4(ip1, ip2, Frame.UDP, 68, 67, false));
              case Frame.ARP, Frame.RARP -> Frame.arp(in, out, s, d, type, Frame.Arp.of(2, sha, ip1, d, ip2));
              default -> Frame.other(in, out, s, d, type);
            })));
  }

  static Arbitrary<MacAddress> sourceMac(List<VifPolicy> vms) {
    return Arbitraries.oneOf(Arbitraries.of(vms.stream().map(VifPolicy::mac).toList()), unicastMac());
  }

  static Arbitrary<MacAddress> destination(List<VifPolicy> vms) {
    return Arbitraries.oneOf(Arbitraries.of(vms.stream().map(VifPolicy::mac).toList()),
        Arbitraries.of(MacAddress.BROADCAST, MacAddress.of("01:00:5e:00:00:fb"), MacAddress.of("33:33:00:00:00:01")),
        unicastMac());
  }

  static Arbitrary<Ipv4Address> ipAddress(List<VifPolicy> vms) {
    List<Ipv4Address> own = vms.stream().flatMap(p -> p.addresses().stream()).toList();
    List<Arbitrary<Ipv4Address>> pools = new ArrayList<>();
    if (!own.isEmpty()) {
      pools.add(Arbitraries.of(own));
    }
    pools.add(Arbitraries.of(ZERO, BCAST));
    pools.add(address());
    return Arbitraries.oneOf(pools);
  }
}
