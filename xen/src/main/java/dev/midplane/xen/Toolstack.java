package dev.midplane.xen;

import dev.midplane.core.Host;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A host's Xen toolstack: the SPI behind {@link XenDomain}, implemented over the {@code xl} and
 * {@code xm} command lines (which are near twins; one implementation serves both, differing only
 * where their argv differ). Every method runs one or two commands on the host with an exact argv
 * built from validated values, parses the output with {@link ToolstackOutputs}, and turns failures
 * into exceptions with the evidence: {@link DomainNotFoundException} for an unknown domain,
 * {@link HotplugFailedException}, {@link ToolstackAbortedException}, otherwise
 * {@link ToolstackException} with the toolstack's error lines.
 *
 * <p>Queries time out after {@link #QUERY_TIMEOUT}, changes after {@link #CHANGE_TIMEOUT} (device
 * hotplug scripts can take tens of seconds each on a busy dom0).
 *
 * <pre>{@code
 * Toolstack xl = Toolstack.xl(host);
 * xl.create(DomainConfig.read(Path.of("vm1.cfg"), Dialect.XL));
 * xl.blockAttach(DomainName.of("vm1"), DiskSpec.multipath(MultipathAlias.of("vm1-data"), "xvdb", Access.READ_WRITE));
 * xl.migrate(DomainName.of("vm1"), HostName.of("blade08")).progress(System.out::println).call();
 * }</pre>
 */
public interface Toolstack {
  /** How long a query ({@code list}, {@code info}, {@code block-list}) may take. */
  Duration QUERY_TIMEOUT = Duration.ofMinutes(1);
  /** How long a change ({@code create}, {@code block-attach}, {@code save}) may take. */
  Duration CHANGE_TIMEOUT = Duration.ofMinutes(5);

  /** Which command line. */
  enum Kind {
    /** {@code xl}, libxl's toolstack (Xen 4.1 and later; the only one since 4.5). */
    XL("xl"),
    /** {@code xm}, the client of xend (Xen 3.x and 4.0–4.4). */
    XM("xm");

    private final String program;

    Kind(String program) {
      this.program = program;
    }

    /** The program's name: {@code xl} or {@code xm}. */
    public String program() {
      return program;
    }
  }

  /** {@code xl} on {@code host}; migration progress streams through the host's runner. */
  static Toolstack xl(Host host) {
    return new CliToolstack(host, Kind.XL);
  }

  /** {@code xm} on {@code host}. */
  static Toolstack xm(Host host) {
    return new CliToolstack(host, Kind.XM);
  }

  /**
   * The toolstack that works on {@code host}: {@code xl} when {@code xl info} succeeds, otherwise
   * {@code xm} when {@code xm info} does (xl refuses to run while xend runs).
   *
   * @throws dev.midplane.core.NotFoundException when neither works, with both failures
   */
  static Toolstack detect(Host host) {
    return CliToolstack.detect(host);
  }

  Kind kind();

  /** The host the toolstack runs on. */
  HostName host();

  /** {@code xl list}: every domain, Domain-0 first. */
  List<DomainInfo> list();

  /** {@code xl list <name>}: the domain, or empty when there is none of that name. */
  Optional<DomainInfo> find(DomainName name);

  /**
   * {@code xl list <name>}.
   *
   * @throws DomainNotFoundException when there is no such domain
   */
  DomainInfo status(DomainName name);

  /** {@code xl list -l} / {@code xm list --long}: every domain's configuration. */
  List<DomainDetails> details();

  /** {@code xl list -l <name>} / {@code xm list --long <name>}. */
  DomainDetails details(DomainName name);

  /** {@code xl info} / {@code xm info}. */
  HostInfo info();

  /**
   * Creates and starts a domain from a config. Neither toolstack reads a config from stdin, so it
   * is written to {@code /run/midplane/xen/<name>.cfg} on the host (in the toolstack's dialect),
   * created from there and removed.
   */
  void create(DomainConfig config);

  /**
   * {@code xl create -p}: creates the domain paused, so that its devices exist (its vifs can be
   * locked) before it runs; {@link #unpause} starts it.
   */
  void createPaused(DomainConfig config);

  /** {@code xl create <path>}: creates a domain from a config file on the host. */
  void create(String configPathOnHost);

  /**
   * {@code xl shutdown -w}: asks the guest to shut down and waits until it has, at most
   * {@code wait}.
   *
   * @throws ToolstackException when it did not shut down in time (it may still be shutting down;
   *     {@link #destroy(DomainName)} stops it at once)
   */
  void shutdown(DomainName name, Duration wait);

  /** {@code xl shutdown}: asks the guest to shut down and returns at once. */
  void requestShutdown(DomainName name);

  /** {@code xl reboot}. */
  void reboot(DomainName name);

  /** {@code xl destroy}: stops the domain at once, like pulling the power. */
  void destroy(DomainName name);

  /** {@code xl pause}. */
  void pause(DomainName name);

  /** {@code xl unpause}. */
  void unpause(DomainName name);

  /**
   * Hot-plugs a disk: {@code xl block-attach <dom> <spec>}; {@code xm block-attach <dom> <backdev>
   * <frontdev> <mode> [<backend domain>]}, which needs a prefixed target (a bare {@code /dev/}
   * path of raw format counts as {@code phy:}) and cannot carry other parameters.
   */
  void blockAttach(DomainName name, DiskSpec disk);

  /** {@code xl block-detach <dom> <vdev>}. */
  void blockDetach(DomainName name, String vdev);

  /** {@code xl block-list <dom>}. */
  List<BlockDevice> blockList(DomainName name);

  /** {@code xl network-attach <dom> mac=… bridge=… …}. */
  void networkAttach(DomainName name, VifSpec vif);

  /**
   * Unplugs the interface with this MAC: {@code xl network-detach <dom> <mac>}; xm takes only the
   * device id, which {@code xm network-list} gives.
   */
  void networkDetach(DomainName name, MacAddress mac);

  /** {@code xl network-detach <dom> <devid>}. */
  void networkDetach(DomainName name, int devid);

  /** {@code xl network-list <dom>}. */
  List<NetworkDevice> networkList(DomainName name);

  /**
   * A live migration of {@code name} to {@code target}, to be configured and run with
   * {@link MigrateCommand#call()}: {@code xl migrate <dom> <host>} (over ssh) or
   * {@code xm migrate --live <dom> <host>} (to xend's relocation server).
   */
  MigrateCommand migrate(DomainName name, HostName target);

  /**
   * {@code xl save [-c] <dom> <file>}: writes the domain's state to a file on the host; it stops
   * unless {@code leaveRunning} ({@code -c}).
   */
  void save(DomainName name, String fileOnHost, boolean leaveRunning);

  /** {@code xl restore [-p] <file>}: starts a saved domain again, paused if asked. */
  void restore(String fileOnHost, boolean paused);
}
