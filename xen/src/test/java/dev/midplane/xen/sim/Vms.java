package dev.midplane.xen.sim;

import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DomainConfig;

/** Domain configs of the kind this SDK runs: one disk on a multipath map named after the VM, one vif. */
final class Vms {
  private Vms() {}

  /** A PVH guest {@code name} with {@code /dev/mapper/<name>} as xvda and one vif on {@code bridge}. */
  static DomainConfig vm(String name, int n, String bridge) {
    return DomainConfig.parse("""
        name = "%s"
        type = "pvh"
        kernel = "/boot/vmlinuz-guest"
        extra = "console=hvc0"
        memory = 512
        vcpus = 2
        disk = [ 'phy:/dev/mapper/%s,xvda,w' ]
        vif = [ 'mac=00:16:3e:00:01:%02x, bridge=%s, ip=192.0.2.%d, vifname=%s-0' ]
        """.formatted(name, name, n, bridge, 10 + n, name), Dialect.XL, name + ".cfg");
  }

  /** The same guest as a PV one. */
  static DomainConfig pv(String name, int n, String bridge) {
    return vm(name, n, bridge).with("type", dev.midplane.xen.config.ConfigValue.string("pv"));
  }
}
