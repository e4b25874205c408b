package dev.midplane.xen.chassis;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.sysfs.BondDevice;
import dev.midplane.sysfs.BondMode;
import dev.midplane.sysfs.BondSlave;
import dev.midplane.sysfs.BridgeDevice;
import dev.midplane.sysfs.MultipathMap;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.HostInfo;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.config.VifSpec;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * What one Xen host offers its VMs, read in one go ({@link #collect}): the toolstack and what
 * {@code xl info} says (memory, version, paging modes), the bonds and the bridges with their
 * uplinks, the multipath maps by name with their WWID and size, the filter tool anti-spoofing
 * would use, and the guests running now. Migration preflights and the homogeneity report compare
 * these values between hosts instead of asking the hosts again.
 *
 * <p>A part that could not be read is empty and its problem is in {@link #problems()}: a host
 * without a working toolstack still reports its bridges and maps.
 */
@Value.Immutable
public abstract class HostFacts {
  /** A bond as the homogeneity report compares it: mode, MII interval and slaves. */
  public record Bond(InterfaceName name, BondMode mode, int miimon, List<InterfaceName> slaves) {
    public Bond {
      slaves = List.copyOf(slaves);
    }

    @Override
    public String toString() {
      return name + " " + mode + " miimon " + miimon + " " + slaves;
    }
  }

  /** A multipath map as a disk of a VM needs it: the LUN's WWID and size, and how many paths lead to it. */
  public record LunMap(String name, Wwid wwid, long sizeBytes, int paths) {
    @Override
    public String toString() {
      return name + " " + wwid + " " + sizeBytes + " bytes, " + paths + " paths";
    }
  }

  /** Where a host's multipath configuration is, under its root. */
  public static final String MULTIPATH_CONF = "/etc/multipath.conf";

  public abstract HostName host();

  /** The toolstack that works here; empty when none does (see {@link #problems()}). */
  public abstract Optional<Toolstack.Kind> toolstack();

  /** {@code xl info}; empty when no toolstack works. */
  public abstract Optional<HostInfo> info();

  /** Bridges by name, each with its uplinks (ports that are not VM interfaces), in name order. */
  public abstract Map<InterfaceName, List<InterfaceName>> bridges();

  /** Every network device's name (bridges, bonds, NICs, VM interfaces). */
  public abstract Set<InterfaceName> interfaces();

  /** Bonds by name. */
  public abstract Map<InterfaceName, Bond> bonds();

  /** Multipath maps by map name (the alias). */
  public abstract Map<String, LunMap> maps();

  /** The tool {@link AntiSpoofing} would lock vifs with here; empty when neither nft nor ebtables runs. */
  public abstract Optional<AntiSpoofing.Backend> filterBackend();

  /** The guests running now, as {@code xl list} shows them (Domain-0 and dying domains left out). */
  public abstract List<DomainInfo> domains();

  /** The guests' running configurations ({@code xl list -l}). */
  public abstract List<DomainDetails> details();

  /**
   * The host's {@code /etc/multipath.conf} as parsed; empty when the host has none or it could not
   * be read or parsed (then {@link #multipathConfigProblem()} says why).
   */
  public abstract Optional<MultipathConfig> multipathConfig();

  /** Why {@code /etc/multipath.conf} could not be read or parsed; empty when it could, or when there is none. */
  public abstract Optional<String> multipathConfigProblem();

  /** What could not be read, in words. */
  public abstract List<String> problems();

  /** The running configuration of guest {@code name}, if it runs here. */
  public Optional<DomainDetails> details(String name) {
    return details().stream().filter(d -> d.rawName().equals(name)).findFirst();
  }

  /** Whether a domain of this name (or a half-migrated copy of it) is here. */
  public Optional<DomainInfo> domain(String name) {
    return domains().stream().filter(d -> d.rawName().equals(name)).findFirst();
  }

  /**
   * Reads the facts of {@code host}: sysfs for bridges, bonds and maps; the toolstack for the rest.
   * Never throws for what the host lacks; a part that fails is recorded in {@link #problems()}.
   */
  public static HostFacts collect(Host host) {
    Builder b = builder().host(host.name());
    Toolstack ts = null;
    try {
      ts = Toolstack.detect(host);
      b.toolstack(ts.kind());
    } catch (MidplaneException e) {
      b.addProblems("no toolstack: " + firstLine(e));
    }
    Set<String> guestVifs = new HashSet<>();
    if (ts != null) {
      try {
        b.info(ts.info());
        List<DomainInfo> all = ts.list();
        b.domains(all.stream().filter(d -> !d.isDomain0() && !d.isDying()).toList());
        List<DomainDetails> details = ts.details().stream().filter(d -> d.domid().orElse(-1) != 0).toList();
        b.details(details);
        for (DomainDetails d : details) {
          for (int i = 0; i < d.nics().size(); i++) {
            VifSpec v = d.nics().get(i);
            guestVifs.add(v.vifname().map(InterfaceName::value).orElse("vif" + d.domid().orElse(-1) + "." + i));
          }
        }
      } catch (MidplaneException e) {
        b.addProblems(ts.kind().program() + ": " + firstLine(e));
      }
    }
    try {
      Topology t = Sysfs.on(host).discover().storage(true).network(true).call();
      t.netDevices().forEach(n -> b.addInterfaces(n.name()));
      Map<InterfaceName, List<InterfaceName>> bridges = new TreeMap<>();
      for (BridgeDevice br : t.bridges()) {
        bridges.put(br.name(), br.ports().stream().map(BridgeDevice.BridgePort::name)
            .filter(p -> !guestVifs.contains(p.value()) && !p.value().matches("vif[0-9]+\\.[0-9]+(-emu)?")).sorted().toList());
      }
      b.bridges(bridges);
      Map<InterfaceName, Bond> bonds = new TreeMap<>();
      for (BondDevice bond : t.bonds()) {
        bonds.put(bond.name(), new Bond(bond.name(), bond.mode(), bond.miimon(),
            bond.slaves().stream().map(BondSlave::name).sorted().toList()));
      }
      b.bonds(bonds);
      Map<String, LunMap> maps = new TreeMap<>();
      for (MultipathMap m : t.multipathMaps()) {
        maps.put(m.name(), new LunMap(m.name(), m.wwid(), m.sizeBytes(), m.paths().size()));
      }
      b.maps(maps);
    } catch (MidplaneException e) {
      b.addProblems("sysfs: " + firstLine(e));
    }
    Path conf = host.path(MULTIPATH_CONF);
    if (Files.exists(conf)) {
      try {
        b.multipathConfig(MultipathConfig.read(conf).config());
      } catch (MidplaneException | UncheckedIOException e) {
        b.multipathConfigProblem(firstLine(e));
        b.addProblems(MULTIPATH_CONF + ": " + firstLine(e));
      }
    }
    try {
      b.filterBackend(AntiSpoofing.on(host).backend());
    } catch (MidplaneException e) {
      // neither nft nor ebtables: recorded as no filter backend
    }
    return b.build();
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m);
  }

  /** The facts as a person reads them, one line per part. */
  @Override
  public String toString() {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("toolstack", toolstack().map(k -> k.program() + info().map(i -> " (Xen " + i.xenVersion() + ")").orElse(""))
        .orElse("none"));
    info().ifPresent(i -> parts.put("memory", i.freeMemoryMib() + " of " + i.totalMemoryMib() + " MiB free"));
    parts.put("bridges", bridges());
    parts.put("bonds", bonds().values());
    parts.put("maps", maps().values());
    parts.put("domains", domains().stream().map(DomainInfo::rawName).toList());
    StringBuilder s = new StringBuilder(host().value()).append(":");
    parts.forEach((k, v) -> s.append("\n  ").append(k).append(": ").append(v));
    problems().forEach(p -> s.append("\n  problem: ").append(p));
    return s.toString();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link HostFacts}. */
  public static final class Builder extends ImmutableHostFacts.Builder {}
}
