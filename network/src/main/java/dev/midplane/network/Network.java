package dev.midplane.network;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.ParseException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.Plan;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.network.persist.BladeLayout;
import dev.midplane.network.persist.ConfigStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A host's network devices: read them, get handles on bridges, bonds, VLANs and devices, and
 * change them through plans.
 *
 * <pre>{@code
 * Network net = Network.on(host);                 // iproute2 if `ip -j` works, else bridge-utils, else sysfs
 * net.bridges();                                  // [xenbr0 [bond0, vif3.0], xenbr1 [bond1]]
 * net.bond("bond0").status().activeSlave();       // eth0
 * net.bond("bond0").failoverTo(InterfaceName.of("eth1"));
 * net.change("two bridges").createBridge("xenbr0", BridgeOptions.xen()).up("xenbr0").apply();
 * net.arpAdvisor().target(InterfaceName.of("xenbr0"), Ipv4Address.of("192.0.2.1")).review();
 * }</pre>
 *
 * <p>Reads are one process each with iproute2 ({@code ip -j -d addr show}); every change is a
 * {@link dev.midplane.core.plan.Plan} (see {@link NetworkChange}).
 */
public final class Network {
  /** Which tools change the devices; all three pass the same contract. */
  public enum Backend {
    /** {@code ip} with JSON output and {@code -batch}: everything, many changes in one process. */
    IPROUTE2,
    /**
     * As initscripts do it: bridges with {@code brctl} (one process per command), bonds through the
     * bonding driver's sysfs files, the rest with {@code ip}.
     */
    BRIDGE_UTILS,
    /**
     * Bonds through the bonding driver's sysfs files (the only interface of old kernels), the rest
     * with one {@code ip} process per change; read with {@code ip -j}, or from sysfs where iproute2
     * has no JSON.
     */
    SYSFS
  }

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
  private final Host host;
  private final LinkBackend backend;

  private Network(Host host, LinkBackend backend) {
    this.host = Objects.requireNonNull(host, "host");
    this.backend = backend;
  }

  /**
   * The host's network with the backend its tools allow: iproute2 when {@code ip -j} works there,
   * else bridge-utils when {@code brctl} runs, else sysfs (one or two probe processes).
   */
  public static Network on(Host host) {
    return on(host, detect(host));
  }

  public static Network on(Host host, Backend backend) {
    return new Network(host, switch (backend) {
      case IPROUTE2 -> new Iproute2Backend();
      case BRIDGE_UTILS -> new BrctlBackend();
      case SYSFS -> new SysfsBackend();
    });
  }

  private static Backend detect(Host host) {
    try {
      String out = host.run(Command.builder("ip", "-j", "link", "show", "lo").timeout(PROBE_TIMEOUT).build()).stdout();
      IpJson.links(out);
      return Backend.IPROUTE2;
    } catch (CommandFailedException | ParseException e) {
      // no ip, or one too old for JSON
    }
    try {
      if (host.run(BrctlBackend.showCommand()).isSuccess()) {
        return Backend.BRIDGE_UTILS;
      }
    } catch (CommandFailedException e) {
      // no brctl either
    }
    if (java.nio.file.Files.isDirectory(host.path("/sys/class/net"))) {
      return Backend.SYSFS;
    }
    throw new NotFoundException("program", "ip (with -j) or brctl", "neither works on " + host.name()
        + ", and it has no /sys/class/net");
  }

  public Host host() {
    return host;
  }

  public Backend backend() {
    return backend.kind();
  }

  LinkBackend linkBackend() {
    return backend;
  }

  /** Every device, with details, in one read. */
  public List<Link> links() {
    return List.copyOf(backend.read(host).links().values());
  }

  public Optional<Link> link(InterfaceName name) {
    return Optional.ofNullable(backend.read(host).links().get(name));
  }

  /** Every bridge with its ports, as the backend reads them. */
  public List<BridgeStatus> bridges() {
    if (backend.kind() == Backend.BRIDGE_UTILS) {
      return Brctl.parseShow(host.execute(BrctlBackend.showCommand()).stdout());
    }
    return backend.read(host).bridges();
  }

  /** A handle on the bridge called {@code name}, which need not exist yet. */
  public Bridge bridge(InterfaceName name) {
    return new Bridge(this, name);
  }

  public Bridge bridge(String name) {
    return bridge(InterfaceName.of(name));
  }

  /** Every configured address. */
  public List<IfAddress> addresses() {
    return backend.read(host).addresses();
  }

  /** Devices carrying a global address: what a management connection can depend on. */
  public Set<InterfaceName> managementDevices() {
    return IpJson.withGlobalAddress(addresses());
  }

  /** A handle on the bond called {@code name}, which need not exist yet. */
  public Bond bond(InterfaceName name) {
    return new Bond(this, name);
  }

  public Bond bond(String name) {
    return bond(InterfaceName.of(name));
  }

  /** Every bond with its slaves, in one read. */
  public List<BondStatus> bonds() {
    LiveState live = backend.read(host);
    List<Link> all = List.copyOf(live.links().values());
    return all.stream().filter(l -> l.bond().isPresent()).map(l -> BondStatus.of(l, all)).toList();
  }

  /** A handle on 802.1Q device {@code parent.id}, which need not exist yet. */
  public Vlan vlan(InterfaceName parent, int id) {
    return new Vlan(this, parent, id);
  }

  /** A handle on any device. */
  public NetDevice device(InterfaceName name) {
    return new NetDevice(this, name);
  }

  public NetDevice device(String name) {
    return device(InterfaceName.of(name));
  }

  /** Reviews the bonds' link monitoring for a blade, where miimon cannot see an upstream failure. */
  public ArpAdvisor arpAdvisor() {
    return new ArpAdvisor(this);
  }

  /**
   * The blade's whole network as one plan: {@code layout} built live (see {@link
   * NetworkChange#layout}), then written to {@code store} so it survives a reboot. With the
   * iproute2 backend the live part costs two processes whatever its size.
   */
  public Plan layoutPlan(BladeLayout layout, ConfigStore store) {
    Plan live = change("blade network on " + host.name()).layout(layout).plan();
    return Plan.builder("blade network on " + host.name() + ", live and persisted").then(live).then(store.plan(layout))
        .build();
  }

  /** Starts collecting changes for one plan. */
  public NetworkChange change(String title) {
    return new NetworkChange(this, title);
  }

  /** Anti-spoofing for this host's VM interfaces (nftables when available, else ebtables). */
  public AntiSpoofing antiSpoofing() {
    return AntiSpoofing.on(host);
  }
}
