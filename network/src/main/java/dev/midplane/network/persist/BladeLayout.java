package dev.midplane.network.persist;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.network.BondOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * The network of a blade: per VLAN a bond of two NICs (one on each midplane), active-backup,
 * under a Xen bridge; optionally 802.1Q VLANs on a bond, each under a bridge of its own; and the
 * host's address on one bridge.
 *
 * <pre>{@code
 * BladeLayout.standard()        // bond0 (eth0+eth1) under xenbr0, bond1 (eth2+eth3) under xenbr1
 * BladeLayout.builder().from(BladeLayout.standard())
 *     .management(new Management(InterfaceName.of("xenbr0"),
 *         new InterfaceConfig.Ipv4(Ipv4Address.of("192.0.2.10"), 24, Optional.of(Ipv4Address.of("192.0.2.1")))))
 *     .build()
 * }</pre>
 */
@Value.Immutable
public abstract class BladeLayout {
  /** A bond over NICs, under a bridge. */
  public record Uplink(InterfaceName bond, List<InterfaceName> nics, InterfaceName bridge) {
    public Uplink {
      nics = List.copyOf(nics);
      if (nics.isEmpty()) {
        throw new IllegalArgumentException(bond + " needs at least one NIC");
      }
    }
  }

  /** An 802.1Q device on a bond, under a bridge. */
  public record VlanBridge(InterfaceName bond, int id, InterfaceName bridge) {}

  /** The host's own address, on a bridge. */
  public record Management(InterfaceName bridge, InterfaceConfig.Ipv4 ipv4) {}

  public abstract List<Uplink> uplinks();

  public abstract List<VlanBridge> vlans();

  /** The bond options of every bond. */
  @Value.Default
  public BondOptions bondOptions() {
    return BondOptions.activeBackup(100);
  }

  @Value.Default
  public boolean stp() {
    return false;
  }

  public abstract Optional<Management> management();

  @Value.Check
  protected void check() {
    Set<InterfaceName> names = new HashSet<>();
    List<String> problems = new ArrayList<>();
    Set<InterfaceName> bridges = new HashSet<>();
    for (Uplink u : uplinks()) {
      for (InterfaceName n : concat(List.of(u.bond(), u.bridge()), u.nics())) {
        if (!names.add(n)) {
          problems.add(n + " is used twice");
        }
      }
      bridges.add(u.bridge());
    }
    for (VlanBridge v : vlans()) {
      if (uplinks().stream().noneMatch(u -> u.bond().equals(v.bond()))) {
        problems.add("VLAN " + v.id() + " is on " + v.bond() + ", which is not one of the bonds");
      }
      InterfaceName dev = InterfaceName.of(v.bond().value() + "." + v.id());
      if (!names.add(dev) || !names.add(v.bridge())) {
        problems.add("VLAN " + v.id() + " on " + v.bond() + " reuses a name");
      }
      bridges.add(v.bridge());
    }
    management().filter(m -> !bridges.contains(m.bridge()))
        .ifPresent(m -> problems.add("the management address is on " + m.bridge() + ", which is not one of the bridges"));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  private static List<InterfaceName> concat(List<InterfaceName> a, List<InterfaceName> b) {
    List<InterfaceName> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }

  /** bond0 (eth0+eth1) under xenbr0 and bond1 (eth2+eth3) under xenbr1, active-backup, miimon 100. */
  public static BladeLayout standard() {
    return builder()
        .addUplinks(new Uplink(InterfaceName.of("bond0"), List.of(InterfaceName.of("eth0"), InterfaceName.of("eth1")),
            InterfaceName.of("xenbr0")))
        .addUplinks(new Uplink(InterfaceName.of("bond1"), List.of(InterfaceName.of("eth2"), InterfaceName.of("eth3")),
            InterfaceName.of("xenbr1")))
        .build();
  }

  /** Every device's configuration: NICs, bonds, VLANs, bridges. */
  public List<InterfaceConfig> interfaces() {
    List<InterfaceConfig> out = new ArrayList<>();
    for (Uplink u : uplinks()) {
      u.nics().forEach(n -> out.add(InterfaceConfig.bondSlave(n, u.bond())));
      out.add(InterfaceConfig.bond(u.bond(), bondOptions(), Optional.of(u.bridge())));
      out.add(bridge(u.bridge()));
    }
    for (VlanBridge v : vlans()) {
      out.add(InterfaceConfig.vlan(v.bond(), v.id(), Optional.of(v.bridge())));
      out.add(bridge(v.bridge()));
    }
    return out;
  }

  private InterfaceConfig bridge(InterfaceName name) {
    return InterfaceConfig.bridge(name, stp(),
        management().filter(m -> m.bridge().equals(name)).map(Management::ipv4));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link BladeLayout}. */
  public static final class Builder extends ImmutableBladeLayout.Builder {}
}
