package dev.midplane.network.sim;

import dev.midplane.network.antispoof.BridgeFilter;
import dev.midplane.network.antispoof.Frame;
import dev.midplane.network.antispoof.Ruleset;
import dev.midplane.sysfs.sim.SimulatedKernel;
import java.time.Clock;
import java.util.Objects;

/**
 * The network tools of a simulated host, registered on its kernel's runner:
 *
 * <pre>{@code
 * SimulatedKernel blade = SimulatedKernel.bareBlade(dir, HostName.of("blade1"), san);
 * SimulatedNetworkTools tools = SimulatedNetworkTools.install(blade);
 * Network net = Network.on(blade.host());                  // finds a working `ip -j`
 * net.change("blade").layout(BladeLayout.standard()).apply();
 * AntiSpoofing.on(blade.host()).lock(policy);               // nft -f - on the simulated nf_tables
 * tools.decide(frame);                                     // what that frame meets in the bridge filter
 * }</pre>
 *
 * <p>Installed: {@code ip} and {@code bridge} (iproute2 6.1), {@code brctl} (bridge-utils 1.7),
 * {@code ebtables}, {@code ebtables-save}, {@code ebtables-restore} (ebtables-nft 1.8.9, also as
 * {@code ebtables-nft*}) and {@code nft} (nftables 1.0.6). Links, bonds, bridges, VLANs and
 * addresses live in the kernel's {@link dev.midplane.sysfs.sim.SimulatedNet}, so sysfs reads and
 * writes and the tools see one state; the bridge filter's tables live here, one set per host.
 *
 * <p>Known differences from the real tools: output without {@code -j} is the plain listing only
 * ({@code ip link show}, {@code ip [-o] addr show}, {@code bridge link}); {@code nft list ruleset}
 * is JSON only; bond options the kernel simulation does not model (LACP, hashing) are refused;
 * rule counters stay zero; {@code ebtables-save} keeps a rule's spelling as it was given.
 */
public final class SimulatedNetworkTools {
  private final SimulatedKernel kernel;
  private final FilterTools filter;

  private SimulatedNetworkTools(SimulatedKernel kernel, Clock clock) {
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.filter = new FilterTools(clock);
  }

  /** Registers the tools on {@code kernel}'s runner (replacing any registered under these names). */
  public static SimulatedNetworkTools install(SimulatedKernel kernel) {
    SimulatedNetworkTools t = new SimulatedNetworkTools(kernel, Clock.systemDefaultZone());
    IpTool ip = new IpTool(kernel);
    BridgeTools bridge = new BridgeTools(kernel);
    kernel.runner().register("ip", ip::handle)
        .register("bridge", bridge::bridge)
        .register("brctl", bridge::brctl);
    for (String flavour : new String[] {"", "-nft"}) {
      kernel.runner().register("ebtables" + flavour, t.filter::ebtables)
          .register("ebtables" + flavour + "-save", t.filter::ebtablesSave)
          .register("ebtables" + flavour + "-restore", t.filter::ebtablesRestore);
    }
    kernel.runner().register("nft", t.filter::nft);
    return t;
  }

  public SimulatedKernel kernel() {
    return kernel;
  }

  /** Everything the host's bridge filter holds now: ebtables' tables and nft's, as one ruleset. */
  public Ruleset ruleset() {
    return filter.ruleset();
  }

  /** What the host's bridge filter does to {@code frame} now, with the rules that decided it. */
  public BridgeFilter.Decision decide(Frame frame) {
    return BridgeFilter.of(ruleset()).decide(frame);
  }
}
