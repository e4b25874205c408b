package dev.midplane.xen.chassis;

import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.testkit.NetNs;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.sim.SimulatedChassis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Simulated blades for the chassis tests, optionally each with a real nftables: its {@code nft}
 * runs inside a network namespace of its own that the test made, so locks land in a real kernel.
 */
final class Blades implements AutoCloseable {
  final SimulatedChassis sim;
  private final List<NetNs> namespaces;

  private Blades(SimulatedChassis sim, List<NetNs> namespaces) {
    this.sim = sim;
    this.namespaces = namespaces;
  }

  /** {@code n} blades without filter tools. */
  static Blades of(Path dir, int n) {
    return of(dir, n, false, b -> { });
  }

  /** {@code n} blades; with {@code realNft} each gets nft in a namespace of its own. */
  static Blades of(Path dir, int n, boolean realNft, Consumer<SimulatedChassis.Builder> custom) {
    List<NetNs> namespaces = new ArrayList<>();
    SimulatedChassis.Builder b = SimulatedChassis.builder().blades(n);
    if (realNft) {
      b.onEachBlade(k -> {
        NetNs ns = NetNs.create("xen" + k.name().value());
        namespaces.add(ns);
        k.runner().register("nft", inv -> {
          CommandResult r = ns.runner().run(inv.command());
          return new Reply(r.exitCode(), r.stdout(), r.stderr());
        });
      });
    }
    custom.accept(b);
    try {
      return new Blades(b.build(dir), namespaces);
    } catch (RuntimeException e) {
      namespaces.forEach(NetNs::close);
      throw e;
    }
  }

  /** The chassis as it is now (decorators included), with a short per-host timeout. */
  XenChassis xc() {
    return XenChassis.of(sim.chassis(), sim.sharedDirectory()).withTimeout(Duration.ofSeconds(20));
  }

  @Override
  public void close() {
    namespaces.forEach(NetNs::close);
  }

  /** A PVH guest {@code name} on {@code /dev/mapper/<name>} with one vif on {@code bridge}, locked to 192.0.2.(10+n). */
  static DomainConfig vm(String name, int n, String bridge) {
    return guest(name, n, bridge, ", ip=192.0.2." + (10 + n));
  }

  /** The same guest without addresses: nothing to lock. */
  static DomainConfig unlocked(String name, int n, String bridge) {
    return guest(name, n, bridge, "");
  }

  private static DomainConfig guest(String name, int n, String bridge, String moreVifSettings) {
    return DomainConfig.parse("""
        name = "%s"
        type = "pvh"
        kernel = "/boot/vmlinuz-guest"
        memory = 512
        vcpus = 2
        disk = [ 'phy:/dev/mapper/%s,xvda,w' ]
        vif = [ 'mac=00:16:3e:00:01:%02x, bridge=%s%s' ]
        """.formatted(name, name, n, bridge, moreVifSettings), Dialect.XL, name + ".cfg");
  }
}
