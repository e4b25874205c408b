package dev.midplane.xen.chassis;

import dev.midplane.core.chassis.ChassisResults;
import dev.midplane.core.chassis.HostResult;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.xen.DomainDetails;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What differs between the hosts of a chassis that live migration needs to be the same — the
 * toolstack and Xen version, the hypervisor's paging modes, the bonds, the bridges and their
 * uplinks, the multipath maps (by name: LUN and size), the filter tool — and, for each VM running
 * now, which hosts it could not move to and why (the {@link Blocker}s a preflight would find from
 * the same facts; ssh and xend reachability are left to the preflight).
 *
 * <p>When the chassis knows the shared LUN inventory ({@link XenChassis#withInventory}), the report
 * also holds each host's {@code /etc/multipath.conf} against it: every inventoried WWID must pass
 * the blacklist and have its map named with the inventory's alias, and no other WWID may take that
 * alias. Each shortfall is an {@link InventoryGap} naming the host and the VMs it keeps from there;
 * a running VM gets a {@link Blocker.Kind#MULTIPATH_CONFIG} blocker for every other host with a gap
 * on one of its LUNs.
 *
 * @param facts the facts of every host that answered, in chassis order
 * @param unreadable the hosts that did not answer, and why
 * @param differences every subject whose value is not the same on every host that answered
 * @param vms every VM running on a host that answered, with where it could and could not go
 * @param inventoryGaps where a host's {@code multipath.conf} falls short of the inventory, by host
 *     then LUN; empty when every configuration admits every LUN or no inventory was given
 */
public record HomogeneityReport(Map<HostName, HostFacts> facts, Map<HostName, String> unreadable, List<Difference> differences,
    List<VmMobility> vms, List<InventoryGap> inventoryGaps) {
  /**
   * One subject whose value differs between hosts.
   *
   * @param subject what is compared ({@code "bridge xenbr1"}, {@code "map vm1"}, {@code "toolstack"})
   * @param values each host's value ({@code "(none)"} where the host lacks it)
   */
  public record Difference(String subject, Map<HostName, String> values) {
    public Difference {
      Objects.requireNonNull(subject, "subject");
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(subject).append(':');
      values.forEach((h, v) -> b.append("\n    ").append(h).append(": ").append(v));
      return b.toString();
    }
  }

  /**
   * Where one VM could go.
   *
   * @param vm the VM
   * @param runsOn its host
   * @param blocked the hosts it cannot move to, each with every blocker
   */
  public record VmMobility(DomainName vm, HostName runsOn, Map<HostName, List<Blocker>> blocked) {
    public VmMobility {
      Map<HostName, List<Blocker>> b = new LinkedHashMap<>();
      blocked.forEach((h, l) -> b.put(h, List.copyOf(l)));
      blocked = Collections.unmodifiableMap(b);
    }

    @Override
    public String toString() {
      if (blocked.isEmpty()) {
        return vm + " (on " + runsOn + "): can move to every other host";
      }
      StringBuilder s = new StringBuilder(vm + " (on " + runsOn + "):");
      blocked.forEach((h, l) -> s.append("\n    not to ").append(h).append(": ").append(l.stream().map(Blocker::detail).toList()));
      return s.toString();
    }
  }

  public HomogeneityReport {
    facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    unreadable = Collections.unmodifiableMap(new LinkedHashMap<>(unreadable));
    differences = List.copyOf(differences);
    vms = List.copyOf(vms);
    inventoryGaps = List.copyOf(inventoryGaps);
  }

  /** A report without inventory comparison. */
  public HomogeneityReport(Map<HostName, HostFacts> facts, Map<HostName, String> unreadable, List<Difference> differences,
      List<VmMobility> vms) {
    this(facts, unreadable, differences, vms, List.of());
  }

  /** Compares the facts of a chassis's hosts (without the LUN inventory). */
  public static HomogeneityReport of(ChassisResults<HostFacts> results) {
    return of(results, java.util.Optional.empty());
  }

  /**
   * Compares the facts of a chassis's hosts and, when {@code inventory} is present, each host's
   * {@code multipath.conf} against it.
   */
  public static HomogeneityReport of(ChassisResults<HostFacts> results, java.util.Optional<LunInventory> inventory) {
    Map<HostName, HostFacts> facts = new LinkedHashMap<>();
    Map<HostName, String> unreadable = new LinkedHashMap<>();
    for (HostResult<HostFacts> r : results) {
      if (r.succeeded() && r.value().isPresent()) {
        facts.put(r.host(), r.value().get());
      } else {
        unreadable.put(r.host(), r.error().map(XenChassis::firstLine).orElse("no answer"));
      }
    }
    return of(facts, unreadable, inventory);
  }

  static HomogeneityReport of(Map<HostName, HostFacts> facts, Map<HostName, String> unreadable,
      java.util.Optional<LunInventory> inventory) {
    List<InventoryGap> gaps = inventory.map(i -> InventoryGap.find(i, facts)).orElse(List.of());
    List<Difference> diffs = new ArrayList<>();
    compare(diffs, "toolstack", facts, f -> f.toolstack().map(k -> k.program() + f.info().map(i -> " (Xen " + i.xenVersion() + ")")
        .orElse("")).orElse("(none)"));
    compare(diffs, "paging modes (virt_caps)", facts, f -> f.info().flatMap(i -> i.virtCaps())
        .map(c -> String.join(" ", new TreeSet<>(c.stream().filter(x -> x.equals("hap") || x.equals("shadow")).toList())))
        .orElse("(unknown)"));
    compare(diffs, "filter tool", facts, f -> f.filterBackend().map(b -> b.name().toLowerCase(java.util.Locale.ROOT))
        .orElse("(none)"));
    for (InterfaceName bond : union(facts, f -> f.bonds().keySet())) {
      compare(diffs, "bond " + bond, facts, f -> java.util.Optional.ofNullable(f.bonds().get(bond))
          .map(b -> b.mode() + ", miimon " + b.miimon() + ", " + b.slaves().size() + " slaves").orElse("(none)"));
    }
    for (InterfaceName br : union(facts, f -> f.bridges().keySet())) {
      compare(diffs, "bridge " + br, facts, f -> java.util.Optional.ofNullable(f.bridges().get(br))
          .map(u -> u.isEmpty() ? "no uplink" : "uplinks " + u).orElse("(none)"));
    }
    for (String map : union(facts, f -> f.maps().keySet())) {
      compare(diffs, "map " + map, facts, f -> java.util.Optional.ofNullable(f.maps().get(map))
          .map(m -> m.wwid() + ", " + m.sizeBytes() + " bytes").orElse("(none)"));
    }
    List<VmMobility> vms = new ArrayList<>();
    for (HostFacts here : facts.values()) {
      for (DomainDetails d : here.details()) {
        if (d.name().isEmpty() || !here.domain(d.rawName()).map(Whereabouts::isLive).orElse(false)) {
          continue;
        }
        Map<HostName, List<Blocker>> blocked = new LinkedHashMap<>();
        for (HostFacts there : facts.values()) {
          if (there.host().equals(here.host())) {
            continue;
          }
          List<Blocker> b = MigrationChecks.check(d, here, there).blockers();
          b = new ArrayList<>(b);
          for (InventoryGap g : gaps) {
            if (g.host().equals(there.host()) && g.blocks().contains(d.name().get())) {
              b.add(new Blocker(Blocker.Kind.MULTIPATH_CONFIG, g.detail()));
            }
          }
          if (!b.isEmpty()) {
            blocked.put(there.host(), b);
          }
        }
        vms.add(new VmMobility(d.name().get(), here.host(), blocked));
      }
    }
    return new HomogeneityReport(facts, unreadable, diffs, vms, gaps);
  }

  private static <T extends Comparable<T>> Set<T> union(Map<HostName, HostFacts> facts, Function<HostFacts, Set<T>> keys) {
    Set<T> all = new TreeSet<>();
    facts.values().forEach(f -> all.addAll(keys.apply(f)));
    return all;
  }

  private static void compare(List<Difference> out, String subject, Map<HostName, HostFacts> facts,
      Function<HostFacts, String> value) {
    Map<HostName, String> values = new LinkedHashMap<>();
    facts.forEach((h, f) -> values.put(h, value.apply(f)));
    if (values.values().stream().distinct().count() > 1) {
      out.add(new Difference(subject, values));
    }
  }

  /** Whether every host answered, nothing differs and every host's configuration admits the whole inventory. */
  public boolean isHomogeneous() {
    return unreadable.isEmpty() && differences.isEmpty() && inventoryGaps.isEmpty();
  }

  /** The VMs that cannot move to at least one other host. */
  public List<VmMobility> constrained() {
    return vms.stream().filter(v -> !v.blocked().isEmpty()).toList();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("homogeneity of ").append(facts.keySet()).append(": ")
        .append(isHomogeneous() ? "the same everywhere" : differences.size() + " difference(s)"
            + (inventoryGaps.isEmpty() ? "" : ", " + inventoryGaps.size() + " gap(s) against the LUN inventory"));
    unreadable.forEach((h, why) -> b.append("\n  ").append(h).append(" did not answer: ").append(why));
    differences.forEach(d -> b.append("\n  ").append(d));
    inventoryGaps.forEach(g -> b.append("\n  ").append(g));
    vms.forEach(v -> b.append("\n  ").append(v));
    return b.toString();
  }
}
