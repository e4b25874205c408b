package dev.midplane.network.antispoof;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An Ethernet frame as the bridge filter sees it: the bridge port it entered on, the port it
 * leaves by, its Ethernet header and, for IPv4 and ARP, the header fields the anti-spoofing rules
 * look at. A frame that enters from the bridge device itself (the host sending) has no
 * {@link #inPort()}; one delivered to the bridge device (the host receiving) has no
 * {@link #outPort()}.
 *
 * <p>ARP fields are the values at the fixed offsets of an Ethernet/IPv4 ARP packet, whatever
 * {@code hlen} and {@code plen} say, because that is what nftables' {@code arp saddr ether}
 * reads; ebtables' ARP match instead refuses to look at packets whose lengths are not 6 and 4.
 *
 * @param inPort the port the frame entered on; empty when the bridge device sends it
 * @param outPort the port the frame leaves by; empty when it is delivered to the bridge device
 * @param source Ethernet source address
 * @param destination Ethernet destination address
 * @param etherType the outer EtherType (0x8100 for a VLAN-tagged frame)
 * @param ipv4 the IPv4 header fields, present only when {@code etherType} is 0x0800
 * @param arp the ARP fields, present only when {@code etherType} is 0x0806 or 0x8035
 */
public record Frame(
    Optional<InterfaceName> inPort,
    Optional<InterfaceName> outPort,
    MacAddress source,
    MacAddress destination,
    int etherType,
    Optional<Ipv4> ipv4,
    Optional<Arp> arp) {
  public static final int IPV4 = 0x0800;
  public static final int ARP = 0x0806;
  public static final int RARP = 0x8035;
  public static final int IPV6 = 0x86dd;
  public static final int VLAN = 0x8100;
  public static final int UDP = 17;
  public static final int TCP = 6;
  public static final int ICMP = 1;

  /**
   * IPv4 header fields. Ports are 0 for protocols without ports.
   *
   * @param fragment true for a non-first fragment: no transport header, so no port matches
   */
  public record Ipv4(Ipv4Address source, Ipv4Address destination, int protocol, int sourcePort,
      int destinationPort, boolean fragment) {
    public Ipv4 {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(destination, "destination");
      check(protocol, 0xff, "protocol");
      check(sourcePort, 0xffff, "sourcePort");
      check(destinationPort, 0xffff, "destinationPort");
    }

    /**
     * True when the protocol carries 16-bit ports at the start of its header (TCP, UDP, SCTP,
     * DCCP, UDP-Lite). In a non-first fragment the bytes there are payload, not ports.
     */
    public boolean hasPorts() {
      return protocol == TCP || protocol == UDP || protocol == 132 || protocol == 33 || protocol == 136;
    }
  }

  /** ARP fields (see the class comment for how malformed lengths are modelled). */
  public record Arp(int htype, int ptype, int hlen, int plen, int operation, MacAddress senderMac,
      Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
    public Arp {
      check(htype, 0xffff, "htype");
      check(ptype, 0xffff, "ptype");
      check(hlen, 0xff, "hlen");
      check(plen, 0xff, "plen");
      check(operation, 0xffff, "operation");
      Objects.requireNonNull(senderMac, "senderMac");
      Objects.requireNonNull(senderIp, "senderIp");
      Objects.requireNonNull(targetMac, "targetMac");
      Objects.requireNonNull(targetIp, "targetIp");
    }

    /** A well-formed Ethernet/IPv4 ARP packet ({@code operation} 1 request, 2 reply). */
    public static Arp of(int operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac,
        Ipv4Address targetIp) {
      return new Arp(1, IPV4, 6, 4, operation, senderMac, senderIp, targetMac, targetIp);
    }

    /** Ethernet hardware, IPv4 protocol, lengths 6 and 4. */
    public boolean wellFormed() {
      return htype == 1 && ptype == IPV4 && hlen == 6 && plen == 4;
    }
  }

  public Frame {
    Objects.requireNonNull(inPort, "inPort");
    Objects.requireNonNull(outPort, "outPort");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(ipv4, "ipv4");
    Objects.requireNonNull(arp, "arp");
    check(etherType, 0xffff, "etherType");
    if (inPort.isEmpty() && outPort.isEmpty()) {
      throw new IllegalArgumentException("a bridged frame enters or leaves by a port");
    }
    if (inPort.isPresent() && inPort.equals(outPort)) {
      throw new IllegalArgumentException("a bridge never sends a frame back out of its ingress port: " + inPort.get());
    }
    if (ipv4.isPresent() != (etherType == IPV4)) {
      throw new IllegalArgumentException("IPv4 fields go with EtherType 0x0800 and only with it");
    }
    if (arp.isPresent() != (etherType == ARP || etherType == RARP)) {
      throw new IllegalArgumentException("ARP fields go with EtherType 0x0806/0x8035 and only with them");
    }
  }

  private static void check(int value, int max, String what) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(what + " out of range 0.." + max + ": " + value);
    }
  }

  /** An IPv4 frame between two ports (either may be empty for the host). */
  public static Frame ipv4(Optional<InterfaceName> in, Optional<InterfaceName> out, MacAddress src, MacAddress dst,
      Ipv4 header) {
    return new Frame(in, out, src, dst, IPV4, Optional.of(header), Optional.empty());
  }

  /** An ARP (or, with {@code etherType} 0x8035, RARP) frame. */
  public static Frame arp(Optional<InterfaceName> in, Optional<InterfaceName> out, MacAddress src, MacAddress dst,
      int etherType, Arp arp) {
    return new Frame(in, out, src, dst, etherType, Optional.empty(), Optional.of(arp));
  }

  /** A frame of any other EtherType (IPv6, VLAN-tagged, LLDP, …) whose payload the rules never read. */
  public static Frame other(Optional<InterfaceName> in, Optional<InterfaceName> out, MacAddress src, MacAddress dst,
      int etherType) {
    return new Frame(in, out, src, dst, etherType, Optional.empty(), Optional.empty());
  }

  /** The filter hook the frame passes: FORWARD between ports, INPUT to the host, OUTPUT from it. */
  public Hook filterHook() {
    if (inPort.isEmpty()) {
      return Hook.OUTPUT;
    }
    return outPort.isEmpty() ? Hook.INPUT : Hook.FORWARD;
  }

  /**
   * Every hook the frame passes, in order: PREROUTING when it entered on a port, then its
   * {@link #filterHook()}, then POSTROUTING when it leaves by a port.
   */
  public java.util.List<Hook> hooks() {
    java.util.List<Hook> h = new java.util.ArrayList<>(3);
    if (inPort.isPresent()) {
      h.add(Hook.PREROUTING);
    }
    h.add(filterHook());
    if (outPort.isPresent()) {
      h.add(Hook.POSTROUTING);
    }
    return java.util.List.copyOf(h);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(inPort.map(InterfaceName::value).orElse("(host)")).append(" -> ")
        .append(outPort.map(InterfaceName::value).orElse("(host)"))
        .append(' ').append(source).append(" > ").append(destination)
        .append(String.format(" type 0x%04x", etherType));
    ipv4.ifPresent(ip -> b.append(" ip ").append(ip.source()).append(" > ").append(ip.destination())
        .append(" proto ").append(ip.protocol())
        .append(ip.hasPorts() ? " " + ip.sourcePort() + ">" + ip.destinationPort() : "")
        .append(ip.fragment() ? " frag" : ""));
    arp.ifPresent(a -> b.append(" arp op ").append(a.operation()).append(' ').append(a.senderMac()).append('/')
        .append(a.senderIp()).append(" > ").append(a.targetMac()).append('/').append(a.targetIp())
        .append(a.wellFormed() ? "" : String.format(" htype %d ptype 0x%04x hlen %d plen %d",
            a.htype(), a.ptype(), a.hlen(), a.plen())));
    return b.toString();
  }
}
