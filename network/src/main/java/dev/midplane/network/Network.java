package dev.midplane.network;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.ParseException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.network.antispoof.AntiSpoofing;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A host's devices: read them, get a {@link Bridge} handle, and change them through plans.
 *
 * <pre>{@code
 * Network net = Network.on(host);                 // iproute2 if `ip -j` works, else bridge-utils
 * net.bridges();                                  // [xenbr0 [bond0, vif3.0], xenbr1 [bond1]]
 * net.bridge("xenbr0").attach(InterfaceName.of("vif7.0"));
 * net.change("two bridges").createBridge("xenbr0", BridgeOptions.xen()).up("xenbr0").apply();
 * }</pre>
 *
 * <p>Reads are one process each ({@code ip -j -d addr show}, or {@code brctl show}); every change
 * is a {@link dev.midplane.core.plan.Plan} (see {@link NetworkChange}).
 */
public final class Network {
  /** Which tools change the devices. */
  public enum Backend {
    /** {@code ip} with JSON output and {@code -batch}: everything, many changes in one process. */
    IPROUTE2,
    /** {@code brctl} for bridges (one process per command), {@code ip} for the rest. */
    BRIDGE_UTILS
  }

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
  private final Host host;
  private final LinkBackend backend;

  private Network(Host host, LinkBackend backend) {
    this.host = Objects.requireNonNull(host, "host");
    this.backend = backend;
  }

  /** The host's network with iproute2 when {@code ip -j} works there, otherwise bridge-utils. */
  public static Network on(Host host) {
    return on(host, detect(host));
  }

  public static Network on(Host host, Backend backend) {
    return new Network(host, switch (backend) {
      case IPROUTE2 -> new Iproute2Backend();
      case BRIDGE_UTILS -> new BrctlBackend();
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
    throw new NotFoundException("program", "ip (with -j) or brctl", "neither works on " + host.name());
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

  /** Every device, with details ({@code ip -j -d addr show}). */
  public List<Link> links() {
    return List.copyOf(LiveState.fromIp(host.execute(Iproute2Backend.readCommand()).stdout()).links().values());
  }

  public Optional<Link> link(InterfaceName name) {
    return links().stream().filter(l -> l.name().equals(name)).findFirst();
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
    return IpJson.addresses(host.execute(Iproute2Backend.readCommand()).stdout());
  }

  /** Devices carrying a global address: what a management connection can depend on. */
  public Set<InterfaceName> managementDevices() {
    return IpJson.withGlobalAddress(addresses());
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
