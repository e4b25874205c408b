package dev.midplane.multipath.sim;

import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.multipath.backend.ToolsVersion;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.config.ParsedConfig;
import dev.midplane.multipath.dm.MultipathTable;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.sim.KernelException;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedScsi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Simulated {@code multipath}, {@code multipathd} and {@code dmsetup}, registered on a
 * {@link SimulatedKernel}'s runner and acting on that kernel: the whole LUN lifecycle runs
 * in-process, through the same command-line backends that drive real hosts.
 *
 * <pre>{@code
 * SimulatedKernel blade = SimulatedKernel.blade(dir, HostName.of("blade1"), san);
 * SimulatedMultipathTools tools = SimulatedMultipathTools.install(blade);   // 0.9.4, multipathd running
 * blade.host().execute("multipath", "-ll");
 * }</pre>
 *
 * <p>Like multipath-tools 0.9.4 the tools read the host's {@code /etc/multipath.conf} (with the
 * SDK's parser; a file multipath-tools would refuse makes them fail as it does) and honour the
 * blacklists and their exceptions (devnode, device, wwid, and the built-in devnode blacklist),
 * {@code find_multipaths} (with {@code /etc/multipath/wwids}), aliases and
 * {@code user_friendly_names} (with {@code /etc/multipath/bindings}), and the layout keywords
 * ({@code path_grouping_policy}, {@code path_selector}, {@code no_path_retry}, {@code features},
 * {@code hardware_handler}, {@code prio}, with the built-in hardware table's LIO-ORG entry). Paths
 * are identified by udev's {@code ID_SERIAL}, so a kernel without udev gets no maps, as a real
 * host without udevd. Maps are device-mapper devices of the kernel, with {@code slaves/} and
 * {@code holders/} and {@code /dev/mapper/<name>}; outputs are in the real formats (tree layout,
 * or brackets for versions before 0.4.9).
 *
 * <p>The simulated multipathd, while running, hears the kernel's disk events as the real one hears
 * udev: a new path of a whitelisted LUN joins its map (or creates it), a removed path leaves its
 * map, its checkers fail and reinstate paths, it resizes maps on {@code resize map}, refuses with
 * {@code fail} and exits 1 when it cannot. Events are processed when the next tool command runs —
 * the real daemon's latency, without its timing. When it is not running, {@code multipathd}
 * commands exit 1 with no output, as the real client does when it cannot reach the socket, and
 * {@code multipath -ll} warns that maps exist without the daemon.
 *
 * <p>Thread-safe: one lock per installation; commands of one host run one at a time.
 */
public final class SimulatedMultipathTools {
  /** The release simulated by default. */
  public static final ToolsVersion DEFAULT_VERSION = new ToolsVersion(0, 9, 4);
  private static final long BOOT_MICROS = 4_200_000L;

  private final SimulatedKernel kernel;
  private final ToolsVersion version;
  private final ReentrantLock lock = new ReentrantLock();
  private final Queue<Runnable> events = new ConcurrentLinkedQueue<>();
  private final Map<String, SimMap.State> states = new HashMap<>();
  private boolean daemon;
  private int daemonPid = 309;
  private Policy daemonPolicy;

  private SimulatedMultipathTools(SimulatedKernel kernel, ToolsVersion version) {
    this.kernel = kernel;
    this.version = version;
  }

  /** Installs multipath-tools {@link #DEFAULT_VERSION} on {@code kernel}, with multipathd running. */
  public static SimulatedMultipathTools install(SimulatedKernel kernel) {
    return on(kernel).install();
  }

  /** Chooses a version and whether the daemon runs before installing. */
  public static Installer on(SimulatedKernel kernel) {
    return new Installer(Objects.requireNonNull(kernel, "kernel"));
  }

  /** The options of an installation. */
  public static final class Installer {
    private final SimulatedKernel kernel;
    private ToolsVersion version = DEFAULT_VERSION;
    private boolean daemon = true;

    private Installer(SimulatedKernel kernel) {
      this.kernel = kernel;
    }

    /**
     * The release to behave like: before 0.4.9 listings use the bracket layout and
     * {@code multipathd} takes no commands on its command line (old hosts ran it with {@code -k}).
     */
    public Installer version(ToolsVersion v) {
      version = Objects.requireNonNull(v, "version");
      return this;
    }

    /** Whether multipathd is running once installed (default yes). */
    public Installer daemonRunning(boolean running) {
      daemon = running;
      return this;
    }

    /** Registers {@code multipath}, {@code multipathd} and {@code dmsetup} on the kernel's runner. */
    public SimulatedMultipathTools install() {
      SimulatedMultipathTools t = new SimulatedMultipathTools(kernel, version);
      SimulatedRunner r = kernel.runner();
      MultipathCommand multipath = new MultipathCommand(t);
      MultipathdCommand multipathd = new MultipathdCommand(t);
      DmsetupCommand dmsetup = new DmsetupCommand(t);
      r.register("multipath", inv -> t.locked(() -> multipath.run(inv.args())));
      r.register("multipathd", inv -> t.locked(() -> multipathd.run(inv.args())));
      r.register("dmsetup", inv -> t.locked(() -> dmsetup.run(inv.args(), inv.stdin())));
      kernel.scsi().addListener(t.new Events());
      if (daemon) {
        t.startDaemon();
      }
      return t;
    }
  }

  public SimulatedKernel kernel() {
    return kernel;
  }

  public ToolsVersion version() {
    return version;
  }

  public boolean daemonRunning() {
    lock.lock();
    try {
      return daemon;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts multipathd: it reads {@code multipath.conf}, creates the maps it allows and brings the
   * existing ones up to date with their paths, and listens from now on.
   *
   * @throws IllegalStateException when the configuration is one multipath-tools refuses
   */
  public void startDaemon() {
    locked(() -> {
      if (daemon) {
        return null;
      }
      events.clear();
      daemonPolicy = readPolicy().orElseThrow(() -> new IllegalStateException(
          "multipathd cannot start on " + kernel.name() + ": /etc/multipath.conf is refused"));
      daemon = true;
      daemonPid++;
      configureAll(daemonPolicy, line -> {});
      checkPaths();
      return null;
    });
  }

  /** Stops multipathd ({@code multipathd shutdown}); the maps stay. */
  public void stopDaemon() {
    locked(() -> {
      daemon = false;
      return null;
    });
  }

  // ------------------------------------------------------------------ for the command handlers

  /** Runs {@code action} under the lock, after the daemon has caught up with the kernel's events. */
  <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      sync();
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  boolean daemon() {
    return daemon;
  }

  int daemonPid() {
    return daemonPid;
  }

  Policy daemonPolicy() {
    return daemonPolicy;
  }

  void setDaemonPolicy(Policy p) {
    daemonPolicy = p;
  }

  void shutdownDaemon() {
    daemon = false;
  }

  SimulatedDeviceMapper dm() {
    return kernel.deviceMapper();
  }

  /** A stderr line as multipath-tools log it: uptime, {@code |}, the message. */
  String log(String message) {
    long us = BOOT_MICROS + kernel.clock().toNanos() / 1000;
    return String.format(Locale.ROOT, "%d.%06d | %s%n", us / 1_000_000, us % 1_000_000, message);
  }

  /** The host's multipath.conf, or empty when multipath-tools would refuse it. */
  Optional<Policy> readPolicy() {
    Path file = kernel.host().path("/etc/multipath.conf");
    ParsedConfig parsed;
    try {
      parsed = MultipathConfig.parseWithWarnings(Files.readString(file, StandardCharsets.UTF_8), "/etc/multipath.conf");
    } catch (NoSuchFileException e) {
      return Optional.of(new Policy(MultipathConfig.empty()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MultipathParseException e) {
      return Optional.empty();
    }
    return parsed.hasFatal() ? Optional.empty() : Optional.of(new Policy(parsed.config()));
  }

  List<SimPath> paths() {
    return SimPath.read(kernel);
  }

  /** The paths multipath would use, by WWID, each list ordered by address. */
  Map<Wwid, List<SimPath>> candidates(Policy policy, List<SimPath> paths) {
    Map<Wwid, List<SimPath>> out = new LinkedHashMap<>();
    paths.stream().sorted(Comparator.comparing(SimPath::hctl)).filter(p -> policy.blacklisted(p).isEmpty())
        .forEach(p -> out.computeIfAbsent(p.uid().orElseThrow(), k -> new ArrayList<>()).add(p));
    return out;
  }

  /** Every multipath map (a device-mapper device with an {@code mpath-} uuid), by name. */
  List<SimulatedDeviceMapper.Device> maps() {
    return dm().devices().stream().filter(d -> d.uuid().map(u -> u.startsWith("mpath-")).orElse(false)).toList();
  }

  Optional<SimulatedDeviceMapper.Device> mapOf(Wwid wwid) {
    return maps().stream().filter(d -> d.uuid().orElseThrow().equals(wwid.dmUuid())).findFirst();
  }

  Optional<SimulatedDeviceMapper.Device> device(String name) {
    return dm().device(name);
  }

  SimMap.State state(SimulatedDeviceMapper.Device d) {
    return states.computeIfAbsent(d.uuid().orElse(d.name()), k -> new SimMap.State());
  }

  static MultipathTable tableOf(SimulatedDeviceMapper.Device d) {
    return MultipathTable.parse(d.table().orElseThrow().targets().get(0).params());
  }

  static Wwid wwidOf(SimulatedDeviceMapper.Device d) {
    return Wwid.of(d.uuid().orElseThrow().substring("mpath-".length()));
  }

  /** The map as multipath-tools print it now. */
  MapTopology topology(SimulatedDeviceMapper.Device d, Policy policy, Map<DevNumber, SimPath> byDev,
      Optional<String> action, boolean checkers, Consumer<String> log) {
    Wwid wwid = wwidOf(d);
    MultipathTable t = tableOf(d);
    boolean aluaPrio = t.devices().stream().map(byDev::get).filter(Objects::nonNull).findFirst()
        .map(p -> policy.layout(wwid, p).aluaPrio()).orElse(false);
    return SimMap.topology(d, t, state(d), byDev, aluaPrio, action, checkers, log);
  }

  static Map<DevNumber, SimPath> byDev(List<SimPath> paths) {
    Map<DevNumber, SimPath> m = new HashMap<>();
    paths.forEach(p -> m.put(p.number(), p));
    return m;
  }

  /** What {@link #ensureMap} did. */
  enum Outcome { CREATED, RELOADED, UNCHANGED, NO_PATHS, REFUSED }

  /** The outcome, the map's topology when it was loaded, and messages for stderr. */
  record Ensured(Outcome outcome, Optional<MapTopology> loaded, List<String> messages) {}

  /** How paths are chosen when a map's table is rebuilt. */
  enum Rebuild {
    /** Every usable path, at the paths' size: {@code multipath <wwid>}, {@code multipath -r}. */
    TO_PATHS,
    /** The map's size kept; new paths join only when they have that size (multipathd). */
    KEEP_SIZE
  }

  /**
   * Creates the map of {@code wwid} or brings it up to date: its name (alias, friendly name or the
   * WWID) and its table (the usable paths, laid out as configured).
   */
  Ensured ensureMap(Policy policy, Wwid wwid, List<SimPath> all, Rebuild rebuild) {
    List<String> messages = new ArrayList<>();
    List<SimPath> paths = candidates(policy, all).getOrDefault(wwid, List.of());
    Optional<SimulatedDeviceMapper.Device> existing = mapOf(wwid);
    Map<DevNumber, SimPath> byDev = byDev(all);
    if (existing.isEmpty()) {
      if (paths.isEmpty()) {
        return new Ensured(Outcome.NO_PATHS, Optional.empty(), messages);
      }
      String name = nameFor(policy, wwid);
      if (dm().device(name).isPresent()) {
        messages.add(name + ": name is in use by another device; cannot create the map of " + wwid);
        return new Ensured(Outcome.REFUSED, Optional.empty(), messages);
      }
      Policy.Layout layout = policy.layout(wwid, paths.get(0));
      MultipathTable t = SimMap.table(layout, paths);
      long sectors = paths.get(0).sizeBytes() / 512;
      try {
        SimulatedDeviceMapper.Device d = dm().create(name, Optional.of(wwid.dmUuid()), SimMap.dmTable(sectors, t));
        SimMap.State s = state(d);
        s.paths.clear();
        s.activated = daemon;
        rememberWwid(wwid);
        messages.add(name + ": addmap [0 " + sectors + " multipath " + t.render() + "]");
        return new Ensured(Outcome.CREATED, Optional.of(topology(d, policy, byDev, Optional.of("create"), true, line -> {})),
            messages);
      } catch (KernelException e) {
        messages.add(name + ": failed to create map: " + e.getMessage());
        return new Ensured(Outcome.REFUSED, Optional.empty(), messages);
      }
    }
    SimulatedDeviceMapper.Device d = existing.get();
    String desired = nameFor(policy, wwid);
    if (!d.name().equals(desired) && dm().device(desired).isEmpty()) {
      messages.add(d.name() + ": rename " + d.name() + " to " + desired);
      dm().rename(d.name(), desired);
      d = dm().device(desired).orElseThrow();
    }
    MultipathTable current = tableOf(d);
    List<SimPath> chosen = new ArrayList<>();
    long sectors = d.sectors();
    if (rebuild == Rebuild.KEEP_SIZE) {
      Set<DevNumber> inTable = new HashSet<>(current.devices());
      for (SimPath p : paths) {
        if (inTable.contains(p.number()) || p.sizeBytes() / 512 == sectors) {
          chosen.add(p);
        } else {
          messages.add(d.name() + ": failed to add new path " + p.dev() + ", device size mismatch");
        }
      }
    } else {
      chosen.addAll(paths);
      if (!paths.isEmpty()) {
        sectors = paths.get(0).sizeBytes() / 512;
      }
    }
    MultipathTable t = chosen.isEmpty() ? emptied(current) : SimMap.table(policy.layout(wwid, chosen.get(0)), chosen);
    if (t.render().equals(current.render()) && sectors == d.sectors()) {
      return new Ensured(Outcome.UNCHANGED, Optional.empty(), messages);
    }
    load(d, sectors, t);
    messages.add(d.name() + ": reload [0 " + sectors + " multipath " + t.render() + "]");
    d = dm().device(d.name()).orElseThrow();
    return new Ensured(Outcome.RELOADED, Optional.of(topology(d, policy, byDev, Optional.of("reload"), true, line -> {})),
        messages);
  }

  /** A table without path groups, keeping the features and handler (a map whose last path left). */
  static MultipathTable emptied(MultipathTable t) {
    return MultipathTable.builder().from(t).groups(List.of()).initialGroup(0).build();
  }

  /** Loads and resumes a new table, as a reload does; path flags of paths that left are forgotten. */
  void load(SimulatedDeviceMapper.Device d, long sectors, MultipathTable t) {
    dm().load(d.name(), SimMap.dmTable(sectors, t));
    dm().resume(d.name());
    state(d).paths.keySet().retainAll(new HashSet<>(t.devices()));
  }

  /**
   * What multipathd does when it (re)reads its configuration: every allowed LUN gets its map or an
   * up-to-date one; maps of LUNs that are now blacklisted go when nobody uses them.
   */
  void configureAll(Policy policy, Consumer<String> log) {
    List<SimPath> all = paths();
    Map<Wwid, List<SimPath>> byWwid = candidates(policy, all);
    Set<Wwid> remembered = rememberedWwids();
    for (Map.Entry<Wwid, List<SimPath>> e : byWwid.entrySet()) {
      if (mapOf(e.getKey()).isPresent() || policy.allowsMap(e.getValue().size(), remembered.contains(e.getKey()))) {
        ensureMap(policy, e.getKey(), all, Rebuild.KEEP_SIZE).messages().forEach(log);
      }
    }
    for (SimulatedDeviceMapper.Device d : maps()) {
      Wwid w = wwidOf(d);
      if (policy.wwidBlacklisted(w) && d.openCount() == 0) {
        log.accept(d.name() + ": remove map (wwid blacklisted)");
        dm().remove(d.name());
      }
    }
  }

  /**
   * Removes a map as {@code multipath -f} does: refused when it is in use; unused partition maps
   * on it go first.
   *
   * @return the messages multipath prints; empty when the map is gone
   */
  Optional<String> flush(String name) {
    Optional<SimulatedDeviceMapper.Device> d = device(name);
    if (d.isEmpty() || d.get().uuid().filter(u -> u.startsWith("mpath-")).isEmpty()) {
      return Optional.of(name + " is not a multipath device");
    }
    List<SimulatedDeviceMapper.Device> holders = holders(d.get());
    int openers = d.get().openCount() - holders.size();
    if (openers > 0 || holders.stream().anyMatch(h -> h.openCount() > 0)) {
      return Optional.of(name + ": map in use");
    }
    try {
      for (SimulatedDeviceMapper.Device h : holders) {
        dm().remove(h.name());
      }
      dm().remove(name);
    } catch (KernelException e) {
      return Optional.of(name + ": failed to remove multipath map: " + e.strerror());
    }
    return Optional.empty();
  }

  /** The devices built on {@code d} (kpartx partitions, LVM volumes). */
  List<SimulatedDeviceMapper.Device> holders(SimulatedDeviceMapper.Device d) {
    return dm().devices().stream().filter(x -> x.slaves().contains(d.kernelName())).toList();
  }

  /** The name a new map of {@code wwid} gets: its alias, a friendly name from the bindings file, or the WWID. */
  private String nameFor(Policy policy, Wwid wwid) {
    Optional<String> alias = policy.alias(wwid);
    if (alias.isPresent()) {
      return alias.get();
    }
    if (!policy.userFriendlyNames()) {
      return wwid.value();
    }
    Path file = kernel.host().path("/etc/multipath/bindings");
    Map<String, String> bindings = new LinkedHashMap<>();
    for (String l : readLines(file)) {
      String[] w = l.strip().split("\\s+");
      if (w.length == 2 && !l.startsWith("#")) {
        bindings.put(w[1], w[0]);
      }
    }
    String bound = bindings.get(wwid.value());
    if (bound != null) {
      return bound;
    }
    String prefix = policy.aliasPrefix();
    String name;
    int i = 0;
    do {
      name = prefix + letters(i++);
    } while (bindings.containsValue(name) || dm().device(name).isPresent());
    append(file, name + " " + wwid.value() + "\n");
    return name;
  }

  /** a … z, aa … (multipath's friendly-name suffixes). */
  static String letters(int index) {
    StringBuilder b = new StringBuilder();
    int i = index;
    do {
      b.insert(0, (char) ('a' + i % 26));
      i = i / 26 - 1;
    } while (i >= 0);
    return b.toString();
  }

  /** The WWIDs of {@code /etc/multipath/wwids} ({@code /<wwid>/} lines). */
  Set<Wwid> rememberedWwids() {
    Set<Wwid> out = new HashSet<>();
    for (String l : readLines(kernel.host().path("/etc/multipath/wwids"))) {
      String s = l.strip();
      if (s.length() > 2 && s.startsWith("/") && s.endsWith("/") && Wwid.isValid(s.substring(1, s.length() - 1))) {
        out.add(Wwid.of(s.substring(1, s.length() - 1)));
      }
    }
    return out;
  }

  private void rememberWwid(Wwid wwid) {
    if (!rememberedWwids().contains(wwid)) {
      append(kernel.host().path("/etc/multipath/wwids"), "/" + wwid.value() + "/\n");
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void append(Path file, String line) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------ the daemon's reactions

  /** Catches up with the kernel's disk events (the daemon's uevent queue) and runs the checkers. */
  private void sync() {
    if (!daemon) {
      events.clear();
      return;
    }
    for (Runnable e; (e = events.poll()) != null; ) {
      e.run();
    }
    checkPaths();
    Set<String> present = new HashSet<>();
    maps().forEach(d -> present.add(d.uuid().orElseThrow()));
    states.keySet().retainAll(present);
  }

  /** One round of path checkers: failed paths fail in the target, paths that answer again come back. */
  private void checkPaths() {
    Map<DevNumber, SimPath> byDev = byDev(paths());
    for (SimulatedDeviceMapper.Device d : maps()) {
      SimMap.State s = state(d);
      s.activated = true;
      for (DevNumber dev : tableOf(d).devices()) {
        SimPath p = byDev.get(dev);
        SimMap.Flags f = s.flags(dev);
        if (p == null || !p.checker().usable()) {
          f.fail(false);
        } else if (f.failed && !f.byHand) {
          f.reinstate();
        }
      }
    }
  }

  private void pathAdded(SimulatedScsi.Disk disk) {
    List<SimPath> all = paths();
    Optional<SimPath> p = all.stream().filter(x -> x.number().equals(disk.dev())).findFirst();
    if (p.isEmpty() || daemonPolicy.blacklisted(p.get()).isPresent()) {
      return;
    }
    Wwid wwid = p.get().uid().orElseThrow();
    List<SimPath> mine = candidates(daemonPolicy, all).getOrDefault(wwid, List.of());
    if (mapOf(wwid).isPresent() || daemonPolicy.allowsMap(mine.size(), rememberedWwids().contains(wwid))) {
      ensureMap(daemonPolicy, wwid, all, Rebuild.KEEP_SIZE);
    }
  }

  private void pathRemoved(SimulatedScsi.Disk disk) {
    for (SimulatedDeviceMapper.Device d : maps()) {
      MultipathTable t = tableOf(d);
      if (!t.devices().contains(disk.dev())) {
        continue;
      }
      List<MultipathTable.Group> groups = new ArrayList<>();
      for (MultipathTable.Group g : t.groups()) {
        List<MultipathTable.Path> left = g.paths().stream().filter(p -> !p.device().equals(disk.dev())).toList();
        if (!left.isEmpty()) {
          groups.add(new MultipathTable.Group(g.selector(), g.selectorArgs(), g.pathArgCount(), left));
        }
      }
      load(d, d.sectors(), MultipathTable.builder().from(t).groups(groups).initialGroup(groups.isEmpty() ? 0 : 1).build());
    }
  }

  /** The kernel's disk events, queued for the daemon. */
  private final class Events implements SimulatedScsi.DiskListener {
    @Override
    public void added(SimulatedScsi.Disk disk) {
      events.add(() -> pathAdded(disk));
    }

    @Override
    public void removed(SimulatedScsi.Disk disk) {
      events.add(() -> pathRemoved(disk));
    }
  }

  /** A reply with the messages on stderr as multipath-tools log them. */
  Reply reply(int exit, String stdout, List<String> messages) {
    StringBuilder err = new StringBuilder();
    messages.forEach(m -> err.append(log(m)));
    return new Reply(exit, stdout, err.toString());
  }

  @Override
  public String toString() {
    return "simulated multipath-tools " + version + " on " + kernel.name() + (daemon ? " (multipathd running)" : "");
  }
}
