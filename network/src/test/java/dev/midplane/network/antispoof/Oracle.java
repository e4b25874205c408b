package dev.midplane.network.antispoof;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.util.Map;
import java.util.Optional;

/**
 * What the anti-spoofing rules must do, written from the policy alone, without any rule: the
 * reference the rendered rulesets are checked against. No admin rule drops anything in the
 * scenarios it is used with, so every frame that is not from or to a locked vif passes.
 */
final class Oracle {
  private static final Ipv4Address ZERO = Ipv4Address.fromBits(0);
  private static final Ipv4Address BROADCAST = Ipv4Address.fromBits(-1);

  private Oracle() {}

  static boolean accepts(Map<InterfaceName, VifPolicy> locked, Frame f) {
    Optional<VifPolicy> from = f.inPort().map(locked::get);
    if (from.isPresent() && !fromVmAllowed(from.get(), f)) {
      return false;
    }
    Optional<VifPolicy> to = f.outPort().map(locked::get);
    return to.isEmpty() || f.destination().equals(to.get().mac()) || f.destination().isMulticast();
  }

  static boolean fromVmAllowed(VifPolicy p, Frame f) {
    if (!f.source().equals(p.mac())) {
      return false;
    }
    if (f.etherType() == Frame.IPV4) {
      Frame.Ipv4 ip = f.ipv4().orElseThrow();
      if (p.addresses().contains(ip.source())) {
        return true;
      }
      return p.dhcp() && ip.source().equals(ZERO) && ip.destination().equals(BROADCAST) && ip.protocol() == Frame.UDP
          && !ip.fragment() && ip.sourcePort() == 68 && ip.destinationPort() == 67;
    }
    if (f.etherType() == Frame.ARP) {
      Frame.Arp a = f.arp().orElseThrow();
      return a.wellFormed() && a.senderMac().equals(p.mac())
          && (p.addresses().contains(a.senderIp()) || (p.dhcp() && a.senderIp().equals(ZERO)));
    }
    return false;
  }
}
