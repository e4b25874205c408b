package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.Ipv4Network;
import dev.midplane.core.plan.Plan;
import dev.midplane.network.persist.ConfigStore;
import dev.midplane.network.persist.InterfaceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reviews how a blade's bonds watch their links, and proposes ARP monitoring where they cannot see
 * what matters.
 *
 * <p>Why: a blade's NICs are wired across the midplane to switch modules in the chassis, so a NIC's
 * carrier is the link to its switch module's internal port, which stays up when that module loses
 * its uplink to the network. A bond with MII monitoring ({@code miimon}) then keeps sending into a
 * dead switch; only the ARP monitor ({@code arp_interval} with {@code arp_ip_target}s) notices,
 * because the targets stop answering through that slave.
 *
 * <pre>{@code
 * ArpAdvisor.Advice advice = Network.on(host).arpAdvisor()
 *     .target(InterfaceName.of("xenbr0"), Ipv4Address.of("192.0.2.1"))      // the gateway of xenbr0's VLAN
 *     .target(InterfaceName.of("br100"), Ipv4Address.of("198.51.100.1"))    // bond0.100's VLAN
 *     .review();
 * advice.findings().forEach(System.out::println);
 * advice.plan().apply();                         // each option read back; rolled back on failure
 * }</pre>
 *
 * <p>Targets are given per device: the bond, or a bridge or VLAN stacked on it — per VLAN, so a bond
 * carrying several VLANs probes a target on each (the kernel tags each probe for the VLAN its route
 * goes through). A target is usable only where the host has an address in the target's subnet on
 * the bond or a device stacked on it: the kernel sends the probes from that address, and when the
 * route to a target leaves through another device it sends none at all — every slave is then
 * marked down. The advisor never proposes a target it cannot see used that way.
 *
 * <p>The proposal is {@code arp_interval} (default 1000 ms), the usable targets and {@code
 * arp_validate} (default {@code all}: backups are then checked too, by whether the active slave's
 * probes reach them through the network, so a dead standby path is seen before it is needed). What
 * Linux 6.1 did in the lab: an upstream cut behind the active slave failed over within half a
 * second with every {@code arp_validate}. A cut standby counts whatever its own segment still
 * carries (the switch port's own frames) wherever {@code arp_validate} does not validate backups:
 * with {@code none} or {@code active} any frame brought it up for a few intervals, with {@code
 * filter} or {@code filter_active} any ARP packet, so it flaps and a dead standby path looks alive;
 * with {@code backup}, {@code all} or {@code filter_backup} it stayed down (one frame of each kind
 * sent from the cut standby's segment, for each value). Applying the proposal to a running bond takes every slave down once (each counts a link
 * failure) until the first replies arrive, within one or two intervals: on Linux 6.1 in the lab,
 * with {@code arp_validate} none or active the first slave was active again, with backup or all the
 * second one was, so the traffic moved. The simulated kernel does the same.
 */
public final class ArpAdvisor {
  private static final int MAX_TARGETS = 16;
  private final Network network;
  private final Map<InterfaceName, List<Ipv4Address>> targets = new LinkedHashMap<>();
  private Duration interval = Duration.ofMillis(1000);
  private String validate = "all";

  ArpAdvisor(Network network) {
    this.network = network;
  }

  /** ARP targets reachable on {@code device}'s network: the bond itself or a bridge or VLAN on it. */
  public ArpAdvisor target(InterfaceName device, Ipv4Address... addresses) {
    targets.computeIfAbsent(Objects.requireNonNull(device), k -> new ArrayList<>()).addAll(List.of(addresses));
    return this;
  }

  /** The proposed {@code arp_interval} (whole milliseconds, at least 1). */
  public ArpAdvisor interval(Duration d) {
    if (d.toMillis() < 1) {
      throw new IllegalArgumentException("arp_interval is at least 1 ms, not " + d);
    }
    this.interval = d;
    return this;
  }

  /** The proposed {@code arp_validate} ({@code none}, {@code active}, {@code backup}, {@code all}, …). */
  public ArpAdvisor validate(String v) {
    BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).arpValidate(v).build(); // checks the value
    this.validate = v;
    return this;
  }

  /** What one finding is about. */
  public enum Kind {
    /** MII monitoring only: an upstream failure behind the blade switch is invisible. */
    MII_ONLY(true),
    /** No link monitoring at all: no failure is ever seen. */
    NO_MONITORING(true),
    /** ARP monitoring without targets: every slave is marked down. */
    ARP_WITHOUT_TARGETS(true),
    /** A target the ARP monitor cannot use from this bond (no address in its subnet on the bond or above). */
    TARGET_NOT_ON_LINK(true),
    /** The bond needs targets, but none usable were given for it or the devices on it. */
    NO_TARGETS_GIVEN(true),
    /** The mode has no ARP monitor (802.3ad, balance-tlb, balance-alb). */
    NO_ARP_IN_MODE(true),
    /** Fewer than two slaves have link: there is no standby to fail over to. */
    NO_STANDBY(true),
    /** ARP monitoring with usable targets. */
    ARP_MONITORED(false);

    private final boolean problem;

    Kind(boolean problem) {
      this.problem = problem;
    }

    public boolean problem() {
      return problem;
    }
  }

  /** One thing the review found about one bond. */
  public record Finding(InterfaceName bond, Kind kind, String detail) {
    @Override
    public String toString() {
      return bond + ": " + kind + ": " + detail;
    }
  }

  /**
   * Reads the host once and reviews every bond.
   *
   * @throws IllegalArgumentException when a device given targets is neither a bond nor stacked on one
   */
  public Advice review() {
    LiveState live = network.linkBackend().read(network.host());
    List<Link> all = List.copyOf(live.links().values());
    Map<InterfaceName, List<InterfaceName>> stacks = new LinkedHashMap<>();
    for (Link l : all) {
      if (l.bond().isPresent()) {
        List<InterfaceName> stack = new ArrayList<>(List.of(l.name()));
        stack.addAll(live.uppers(l.name()));
        stacks.put(l.name(), stack);
      }
    }
    for (InterfaceName d : targets.keySet()) {
      if (stacks.values().stream().noneMatch(s -> s.contains(d))) {
        throw new IllegalArgumentException(d + " is neither a bond nor a bridge or VLAN on one, on " + network.host().name());
      }
    }
    List<Finding> findings = new ArrayList<>();
    Map<InterfaceName, BondOptions> proposals = new LinkedHashMap<>();
    for (Map.Entry<InterfaceName, List<InterfaceName>> e : stacks.entrySet()) {
      InterfaceName bond = e.getKey();
      BondStatus s = BondStatus.of(live.link(bond).orElseThrow(), all);
      review(live, bond, e.getValue(), s, findings, proposals);
    }
    return new Advice(network, findings, proposals);
  }

  private void review(LiveState live, InterfaceName bond, List<InterfaceName> stack, BondStatus s, List<Finding> findings,
      Map<InterfaceName, BondOptions> proposals) {
    if (s.slavesWithLink().size() < 2) {
      findings.add(new Finding(bond, Kind.NO_STANDBY, s.slavesWithLink().size() + " of " + s.slaves().size()
          + " slaves have link " + s.slavesWithLink() + ": a failure of the path in use cannot fail over"));
    }
    boolean arpMode = !List.of(BondOptions.Mode.IEEE_802_3AD, BondOptions.Mode.BALANCE_TLB, BondOptions.Mode.BALANCE_ALB)
        .contains(s.mode());
    Set<Ipv4Address> given = new LinkedHashSet<>();
    stack.forEach(d -> given.addAll(targets.getOrDefault(d, List.of())));
    if (s.monitor() == BondStatus.Monitor.ARP) {
      if (s.arpIpTargets().isEmpty()) {
        findings.add(new Finding(bond, Kind.ARP_WITHOUT_TARGETS, "arp_interval " + s.arpInterval()
            + " without arp_ip_target: the ARP monitor sees every slave down"));
      } else {
        List<Ipv4Address> bad = unusable(live, stack, s.arpIpTargets(), bond, findings);
        if (bad.isEmpty()) {
          findings.add(new Finding(bond, Kind.ARP_MONITORED, "arp_interval " + s.arpInterval() + ", arp_ip_target "
              + s.arpIpTargets() + ", arp_validate " + s.arpValidate()));
          return;
        }
      }
    } else {
      String why = s.monitor() == BondStatus.Monitor.MII
          ? "miimon " + s.miimon() + " only: a blade NIC keeps its carrier to the chassis switch when that switch loses "
              + "its uplink, so the bond would keep sending into it"
          : "neither miimon nor arp_interval: no failure of a slave is ever seen";
      findings.add(new Finding(bond, s.monitor() == BondStatus.Monitor.MII ? Kind.MII_ONLY : Kind.NO_MONITORING, why));
    }
    if (!arpMode) {
      findings.add(new Finding(bond, Kind.NO_ARP_IN_MODE, "mode " + s.mode().kernelName()
          + " has no ARP monitor; only an active-backup bond can be proposed one"));
      return;
    }
    List<Ipv4Address> candidates = new ArrayList<>(given);
    List<Ipv4Address> bad = unusable(live, stack, candidates, bond, findings);
    candidates.removeAll(bad);
    if (candidates.isEmpty()) {
      findings.add(new Finding(bond, Kind.NO_TARGETS_GIVEN, "no usable ARP target was given for " + bond
          + " or the devices on it " + stack.subList(1, stack.size()) + "; give the gateway (or another always-answering "
          + "address) of each VLAN it carries"));
      return;
    }
    if (candidates.size() > MAX_TARGETS) {
      candidates = candidates.subList(0, MAX_TARGETS);
    }
    BondOptions.Builder b = BondOptions.builder().mode(s.mode()).miimon(0).arpInterval(Math.toIntExact(interval.toMillis()))
        .arpIpTargets(candidates).arpValidate(validate);
    proposals.put(bond, b.build());
  }

  /** The targets the ARP monitor cannot use from {@code bond}'s stack, each with a finding. */
  private static List<Ipv4Address> unusable(LiveState live, List<InterfaceName> stack, List<Ipv4Address> candidates,
      InterfaceName bond, List<Finding> findings) {
    List<Ipv4Address> bad = new ArrayList<>();
    for (Ipv4Address t : candidates) {
      Optional<IfAddress> own = onLink(live, t, stack::contains);
      if (own.isPresent()) {
        continue;
      }
      Optional<IfAddress> elsewhere = onLink(live, t, d -> !stack.contains(d));
      findings.add(new Finding(bond, Kind.TARGET_NOT_ON_LINK, t + ": the host has no address in its subnet on "
          + String.join(", ", stack.stream().map(InterfaceName::value).toList())
          + elsewhere.map(a -> "; its subnet is on " + a.device() + " (" + a + "), so the probes would leave there, not "
              + "through " + bond).orElse("; the probes would have no source address and no route")));
      bad.add(t);
    }
    return bad;
  }

  private static Optional<IfAddress> onLink(LiveState live, Ipv4Address target,
      java.util.function.Predicate<InterfaceName> where) {
    return live.addresses().stream().filter(a -> a.family().equals("inet") && where.test(a.device()))
        .filter(a -> Ipv4Network.containing(Ipv4Address.of(a.address()), a.prefixLength()).contains(target)
            && !a.address().equals(target.toString()))
        .findFirst();
  }

  /**
   * The review's outcome: what was found, and the ARP monitoring proposed for the bonds that need
   * it and have usable targets.
   */
  public static final class Advice {
    private final Network network;
    private final List<Finding> findings;
    private final Map<InterfaceName, BondOptions> proposals;

    Advice(Network network, List<Finding> findings, Map<InterfaceName, BondOptions> proposals) {
      this.network = network;
      this.findings = List.copyOf(findings);
      this.proposals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(proposals));
    }

    public List<Finding> findings() {
      return findings;
    }

    public List<Finding> findings(InterfaceName bond) {
      return findings.stream().filter(f -> f.bond().equals(bond)).toList();
    }

    /** Whether any finding is a problem. */
    public boolean healthy() {
      return findings.stream().noneMatch(f -> f.kind().problem());
    }

    /** Bond to the options proposed for it. */
    public Map<InterfaceName, BondOptions> proposals() {
      return proposals;
    }

    /** The live change: each proposed bond reconfigured, every option read back from the kernel. */
    public Plan plan() {
      NetworkChange c = network.change("ARP monitoring for " + String.join(", ",
          proposals.keySet().stream().map(InterfaceName::value).toList()));
      proposals.forEach(c::reconfigureBond);
      return c.plan();
    }

    /**
     * The live change, then the same options written to {@code store} for the next boot (the
     * bonds' configurations as the store has them, with the new options).
     *
     * @throws dev.midplane.core.NotFoundException when the store has no configuration for a proposed bond
     */
    public Plan plan(ConfigStore store) {
      List<InterfaceConfig> changed = new ArrayList<>();
      List<InterfaceConfig> stored = store.interfaces();
      for (Map.Entry<InterfaceName, BondOptions> p : proposals.entrySet()) {
        InterfaceConfig c = stored.stream().filter(x -> x.name().equals(p.getKey()) && x.bond().isPresent()).findFirst()
            .orElseThrow(() -> new dev.midplane.core.NotFoundException("bond configuration", p.getKey().value(),
                "the store has none to update; write the blade's layout first"));
        changed.add(new InterfaceConfig(c.name(), c.kind(), c.slaveOf(), c.bridge(), Optional.of(p.getValue()), c.vlan(),
            c.stp(), c.ipv4(), c.onBoot()));
      }
      return Plan.builder("ARP monitoring, live and persisted").then(plan()).then(store.plan(changed)).build();
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      findings.forEach(f -> b.append(f).append('\n'));
      proposals.forEach((k, v) -> b.append("propose ").append(k).append(": ").append(v).append('\n'));
      return b.toString();
    }
  }
}
