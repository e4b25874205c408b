package dev.midplane.multipath;

import dev.midplane.core.Host;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.plan.Plan;
import dev.midplane.multipath.backend.DeviceMapper;
import dev.midplane.multipath.backend.MultipathTools;
import dev.midplane.multipath.backend.ToolsVersion;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.sysfs.MultipathMap;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Device-mapper multipath on one host: the maps ({@link MultipathDevice} handles), the shared LUN
 * inventory they are made from, and the lifecycle — {@link #create create}, {@link #scan scan},
 * {@link MultipathDevice#resize grow}, {@link MultipathDevice#remove remove} — each a
 * {@link Plan} that can be printed before it runs, is verified against the live state as it runs,
 * and is rolled back as far as possible when a step fails.
 *
 * <pre>{@code
 * Multipath mp = Multipath.on(host).withInventory(Path.of("/srv/shared/midplane/luns"));
 * MultipathDevice web = mp.create(MultipathAlias.of("vm-web01"), Wwid.of("36001405…")).call();
 * web.status().sizeBytes();
 * System.out.print(web.resize().plan().dryRun());   // look first
 * web.resize().call();                             // after the array grew the LUN
 * web.remove().call();                             // refused while a VM has it open
 * }</pre>
 *
 * <h2>Which tools</h2>
 * With multipathd running (multipath-tools 0.4.9 or later) changes go through the daemon:
 * {@code multipathd reconfigure} and {@code multipathd resize map}. Without it, or on older tools,
 * through the commands: {@code multipath <wwid>}, and {@code dmsetup suspend}/{@code reload}/{@code
 * resume} to grow a map. A single map is always made with {@code multipath <wwid>} (the daemon adopts
 * it): multipathd 0.9.4 answers {@code add map <wwid>} for an aliased LUN with {@code fail}. The {@link Mode} is detected when a plan is
 * made ({@code multipath -h}, {@code multipathd show daemon}) unless {@link #withMode fixed}.
 *
 * <h2>The inventory</h2>
 * One file for every host ({@link #withInventory}; by default {@value #DEFAULT_INVENTORY} on the
 * host), in the format of {@link dev.midplane.multipath.inventory.LunInventory}. Creating a map adds
 * the LUN to it and writes the host's {@code /etc/multipath.conf} from it (blacklist everything,
 * except the inventoried WWIDs, with their aliases), so every host has the same file and a host
 * creates only the maps whose paths it sees.
 *
 * <p>Instances are immutable and cheap; the {@code with…} methods return modified copies. Every
 * read is fresh. Changes take the host's {@code multipath} {@link dev.midplane.core.HostLock}.
 */
public final class Multipath {
  /** Where the inventory is when {@link #withInventory} is not used: a file of the host. */
  public static final String DEFAULT_INVENTORY = "/etc/midplane/luns";
  /** How long a plan waits for a map to appear or a path to settle, by default. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
  /** How long a removal watches that nothing comes back, by default. */
  public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(2);

  /** How changes reach device-mapper. */
  public enum Mode {
    /** Through a running multipathd: {@code reconfigure}, {@code resize map}. */
    MULTIPATHD,
    /** Through the commands, for hosts without the daemon or with tools before 0.4.9. */
    COMMANDS
  }

  private final Host host;
  private final MultipathTools tools;
  private final DeviceMapper deviceMapper;
  private final Path inventoryFile;
  private final Optional<Mode> mode;
  private final Duration deadline;
  private final Duration settle;

  private Multipath(Host host, MultipathTools tools, DeviceMapper deviceMapper, Path inventoryFile, Optional<Mode> mode,
      Duration deadline, Duration settle) {
    this.host = host;
    this.tools = tools;
    this.deviceMapper = deviceMapper;
    this.inventoryFile = inventoryFile;
    this.mode = mode;
    this.deadline = deadline;
    this.settle = settle;
  }

  /** Multipath on {@code host}, over its {@code multipath}, {@code multipathd} and {@code dmsetup} commands. */
  public static Multipath on(Host host) {
    Objects.requireNonNull(host, "host");
    return new Multipath(host, MultipathTools.cli(host), DeviceMapper.dmsetup(host), host.path(DEFAULT_INVENTORY),
        Optional.empty(), DEFAULT_DEADLINE, DEFAULT_SETTLE);
  }

  /**
   * The shared inventory file: any path this JVM can read and write — on shared storage, or a
   * host's file ({@code host.path("/etc/midplane/luns")}).
   */
  public Multipath withInventory(Path file) {
    return new Multipath(host, tools, deviceMapper, Objects.requireNonNull(file, "file"), mode, deadline, settle);
  }

  /** Uses {@code mode} instead of detecting it. */
  public Multipath withMode(Mode m) {
    return new Multipath(host, tools, deviceMapper, inventoryFile, Optional.of(m), deadline, settle);
  }

  /** How long to wait for a map to appear (create, scan); default {@link #DEFAULT_DEADLINE}. */
  public Multipath withDeadline(Duration d) {
    requirePositive(d, "deadline");
    return new Multipath(host, tools, deviceMapper, inventoryFile, mode, d, settle);
  }

  /**
   * How long a removal waits before it checks that the map and its paths did not come back (a
   * daemon reacting late); default {@link #DEFAULT_SETTLE}, zero to check at once.
   */
  public Multipath withSettleTime(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("settle time must not be negative: " + d);
    }
    return new Multipath(host, tools, deviceMapper, inventoryFile, mode, deadline, d);
  }

  /** Other backends (for instance decorated ones) for the same host. */
  public Multipath withBackends(MultipathTools t, DeviceMapper dm) {
    return new Multipath(host, Objects.requireNonNull(t), Objects.requireNonNull(dm), inventoryFile, mode, deadline, settle);
  }

  private static void requirePositive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
  }

  public Host host() {
    return host;
  }

  public MultipathTools tools() {
    return tools;
  }

  public DeviceMapper deviceMapper() {
    return deviceMapper;
  }

  public Path inventoryFile() {
    return inventoryFile;
  }

  Path configFile() {
    return host.path("/etc/multipath.conf");
  }

  Duration deadline() {
    return deadline;
  }

  Duration settle() {
    return settle;
  }

  /**
   * The mode changes take: the fixed one, or {@link Mode#MULTIPATHD} when the tools are 0.4.9 or
   * later and {@code multipathd show daemon} answers, else {@link Mode#COMMANDS}.
   */
  public Mode mode() {
    if (mode.isPresent()) {
      return mode.get();
    }
    return tools.version().atLeast(ToolsVersion.TREE_LAYOUT) && tools.daemonRunning() ? Mode.MULTIPATHD : Mode.COMMANDS;
  }

  /**
   * The inventory as the file holds it now; empty when there is no file yet.
   *
   * @throws dev.midplane.multipath.inventory.InventoryException when the file breaks the rules
   */
  public LunInventory inventory() {
    if (!Files.exists(inventoryFile)) {
      return LunInventory.empty();
    }
    return LunInventory.read(inventoryFile);
  }

  /** Every multipath map of the host now, by name. */
  public List<MultipathDevice> devices() {
    return storage().multipathMaps().stream().map(m -> new MultipathDevice(this, m.wwid(), Optional.empty())).toList();
  }

  /** The map named {@code alias} (a handle: it need not exist yet). */
  public MultipathDevice device(MultipathAlias alias) {
    return new MultipathDevice(this, null, Optional.of(alias));
  }

  /** The map of LUN {@code wwid}, whatever its name (a handle: it need not exist yet). */
  public MultipathDevice device(Wwid wwid) {
    return new MultipathDevice(this, Objects.requireNonNull(wwid, "wwid"), Optional.empty());
  }

  /**
   * Makes the map of LUN {@code wwid}, named {@code alias} on every host: adds the LUN to the
   * inventory, writes {@code /etc/multipath.conf} from the inventory, has multipath load it and
   * waits until the map exists with its alias.
   */
  public CreateCommand create(MultipathAlias alias, Wwid wwid) {
    return new CreateCommand(this, Objects.requireNonNull(alias, "alias"), Objects.requireNonNull(wwid, "wwid"));
  }

  /**
   * Looks for new LUNs on the SCSI hosts and makes the maps of the inventoried ones that appeared
   * and whose paths this host sees.
   */
  public ScanCommand scan() {
    return new ScanCommand(this);
  }

  /**
   * A plan that brings {@code /etc/multipath.conf} up to date with the inventory and has multipath
   * use it (as {@link #scan} does before it makes maps): what a host runs after another host
   * changed the shared inventory. Empty when the file is up to date.
   */
  public Plan configure() {
    return Lifecycle.configure(this, inventory(), "configure multipath on " + host.name() + " from the inventory");
  }

  /** Storage discovery (no network): for what concerns the whole host (a scan's new paths, the SCSI hosts). */
  Topology storage() {
    return Sysfs.on(host).discover().network(false).call();
  }

  /**
   * The host's sysfs, for reads of one LUN's devices ({@link Sysfs#pathsTo}, {@link
   * Sysfs#multipathMapOf}, …): what the lifecycle's checks and waits use, so that a step on a
   * remote host does not rediscover the host at every look.
   */
  Sysfs sysfs() {
    return Sysfs.on(host);
  }

  /** The map of {@code wwid}, or else the one named {@code alias}, read by itself. */
  Optional<MultipathMap> map(Optional<Wwid> wwid, Optional<MultipathAlias> alias) {
    if (wwid.isPresent()) {
      return sysfs().multipathMapOf(wwid.get());
    }
    return sysfs().multipathMap(alias.orElseThrow().value());
  }

  /** The current text of a file, or empty when there is none. */
  static Optional<String> read(Path file) {
    try {
      return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " failed", e);
    }
  }

  @Override
  public String toString() {
    return "multipath on " + host.name();
  }
}
