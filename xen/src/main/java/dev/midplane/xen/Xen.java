package dev.midplane.xen;

import dev.midplane.core.Host;
import dev.midplane.core.names.DomainName;
import dev.midplane.xen.config.DomainConfig;
import java.util.List;
import java.util.Objects;

/**
 * Xen on one host: the entry point of this module. The toolstack ({@code xl} or {@code xm}) is
 * detected on first use ({@link Toolstack#detect}) unless given.
 *
 * <p>Commands run through the host's runner, decorators included (logging, audit, dry run).
 * Migration progress streams through them too ({@link dev.midplane.core.exec.CommandRunner#run(
 * dev.midplane.core.exec.Command, dev.midplane.core.exec.OutputListener)}): a local or SSH host
 * delivers {@code xl migrate}'s lines as they are printed, a runner that cannot stream replays them
 * when the command has finished.
 *
 * <pre>{@code
 * Xen xen = Xen.on(host);
 * XenDomain vm1 = xen.create(DomainConfig.read(Path.of("/etc/xen/vm1.cfg"), Dialect.XL));
 * vm1.attachInterface(InterfaceName.of("xenbr1"), MacAddress.of("00:16:3e:00:01:02"));
 * vm1.migrate(HostName.of("blade08")).progress(System.out::println).call();
 * }</pre>
 */
public final class Xen {
  private final Host host;
  private volatile Toolstack toolstack;

  private Xen(Host host, Toolstack toolstack) {
    this.host = Objects.requireNonNull(host, "host");
    this.toolstack = toolstack;
  }

  /** Xen on {@code host}; the toolstack is detected on first use. */
  public static Xen on(Host host) {
    return new Xen(host, null);
  }

  /** Xen on {@code host} through this toolstack. */
  public static Xen on(Host host, Toolstack toolstack) {
    return new Xen(host, Objects.requireNonNull(toolstack, "toolstack"));
  }

  public Host host() {
    return host;
  }

  /** The toolstack, detected once on first call. */
  public Toolstack toolstack() {
    Toolstack t = toolstack;
    if (t == null) {
      synchronized (this) {
        if (toolstack == null) {
          toolstack = Toolstack.detect(host);
        }
        t = toolstack;
      }
    }
    return t;
  }

  /** A handle on the domain of this name (nothing runs until it is used). */
  public XenDomain domain(DomainName name) {
    return new XenDomain(toolstack(), name);
  }

  /** Handles on every guest domain running now: Domain-0 and dying {@code (null)} domains left out. */
  public List<XenDomain> domains() {
    return toolstack().list().stream()
        .filter(d -> !d.isDomain0() && !d.isDying() && d.name().isPresent())
        .map(d -> new XenDomain(toolstack(), d.name().get()))
        .toList();
  }

  /** {@code xl info}: memory, CPUs, version. */
  public HostInfo info() {
    return toolstack().info();
  }

  /** Creates and starts a domain from {@code config} and returns its handle. */
  public XenDomain create(DomainConfig config) {
    DomainName name = config.name();
    toolstack().create(config);
    return new XenDomain(toolstack(), name);
  }

  @Override
  public String toString() {
    return "Xen on " + host.name();
  }
}
