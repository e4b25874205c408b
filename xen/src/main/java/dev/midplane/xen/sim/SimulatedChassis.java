package dev.midplane.xen.sim;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.chassis.Chassis;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.Multipath;
import dev.midplane.multipath.sim.SimulatedMultipathTools;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import dev.midplane.sysfs.sim.SimulatedScsi;
import dev.midplane.xen.DomainState;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.sxp.RelocationAllowList;
import dev.midplane.xen.sxp.XendConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Simulated blades of one chassis: each a {@link SimulatedKernel#blade blade} (bonds, Xen bridges,
 * two FC paths) with a {@link SimulatedXen}, all behind one {@link SimulatedSan} and on one
 * management network over which {@code ssh} reaches the other blades. Migrations, placement and
 * preflights run on it as on real blades: {@code xl migrate vm1 blade2} on blade1 runs
 * {@code ssh blade2 xl migrate-receive} through blade1's runner, which runs {@code xl
 * migrate-receive} through blade2's.
 *
 * <pre>{@code
 * SimulatedChassis sc = SimulatedChassis.builder().blades(2).build(dir);
 * sc.provisionLun(MultipathAlias.of("vm1"), 10L << 30);   // a LUN on both blades, as /dev/mapper/vm1
 * Host blade1 = sc.host("blade1");                          // a Host like any other
 * Chassis chassis = sc.chassis();                           // for chassis-wide operations
 * }</pre>
 *
 * <p>Tests can put a decorator (a {@link dev.midplane.core.exec.RecordingRunner}, say) around a
 * blade's runner with {@link #decorate}: everything that reaches the blade — the SDK's commands and
 * another blade's {@code ssh} — goes through it, so faults land wherever that blade is involved.
 * {@link #disconnect} cuts a blade off the management network (ssh and xend relocation fail; its
 * own runner keeps working, as a console would). Each blade also knows {@code true}, for
 * reachability probes.
 *
 * <p>Each blade runs the multipath module's {@link SimulatedMultipathTools} (multipath-tools 0.9.4
 * with multipathd). A LUN becomes the map {@code /dev/mapper/<alias>} on a blade the way the SDK
 * makes it on a real one: {@code Multipath.on(blade).create(alias, wwid)}, which records the LUN in
 * the blade's own inventory ({@value Multipath#DEFAULT_INVENTORY}), writes its
 * {@code /etc/multipath.conf} from it and has multipathd load it. Each blade keeps its own
 * inventory so that tests can make blades differ (the same alias for another LUN on one blade).
 */
public final class SimulatedChassis {
  private final Path root;
  private final SimulatedSan san;
  private final Map<HostName, Blade> blades = new LinkedHashMap<>();
  private final Set<HostName> disconnected = new HashSet<>();
  private final Path shared;

  private static final class Blade {
    final SimulatedKernel kernel;
    final SimulatedXen xen;
    volatile Host host;

    Blade(SimulatedKernel kernel, SimulatedXen xen) {
      this.kernel = kernel;
      this.xen = xen;
      this.host = kernel.host();
    }
  }

  private SimulatedChassis(Path root, Builder b) {
    this.root = root;
    this.san = SimulatedSan.create();
    this.shared = root.resolve("shared");
    try {
      Files.createDirectories(shared);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String name : b.names) {
      HostName h = HostName.of(name);
      SimulatedKernel k = SimulatedKernel.blade(root.resolve(name), h, san);
      b.eachBlade.forEach(setup -> setup.accept(k));
      SimulatedMultipathTools.install(k);
      SimulatedXen.Builder xb = SimulatedXen.builder().kind(b.kind).totalMemoryMib(b.memoryMib);
      Consumer<SimulatedXen.Builder> custom = b.perHost.get(name);
      if (custom != null) {
        custom.accept(xb);
      }
      SimulatedXen xen = xb.install(k);
      Blade blade = new Blade(k, xen);
      blades.put(h, blade);
      k.runner().register("ssh", inv -> ssh(h, inv));
      k.runner().register("true", inv -> Reply.ok());
      xen.useRunner(command -> blade.host.runner().run(command));
      xen.joinNetwork((from, target) -> resolve(target).filter(t -> reachable(from, t)).map(t -> blades.get(t).xen));
    }
    allowRelocationBetweenBlades();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What the chassis holds. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private Toolstack.Kind kind = Toolstack.Kind.XL;
    private long memoryMib = 16384;
    private final Map<String, Consumer<SimulatedXen.Builder>> perHost = new LinkedHashMap<>();
    private final List<Consumer<SimulatedKernel>> eachBlade = new ArrayList<>();

    private Builder() {}

    /**
     * Runs {@code setup} on each blade's kernel once it is built, before anything else: to
     * register more simulated tools on its runner, or to change its network. With the network
     * module's tools the blades get a bridge filter, and VMs with addresses are locked where they
     * run: {@code onEachBlade(SimulatedNetworkTools::install)}.
     */
    public Builder onEachBlade(Consumer<SimulatedKernel> setup) {
      eachBlade.add(Objects.requireNonNull(setup, "setup"));
      return this;
    }

    /** {@code n} blades called {@code blade1} … {@code blade<n>}. */
    public Builder blades(int n) {
      if (n < 1 || n > 16) {
        throw new IllegalArgumentException("a chassis has 1 to 16 blades: " + n);
      }
      names.clear();
      for (int i = 1; i <= n; i++) {
        names.add("blade" + i);
      }
      return this;
    }

    /** Blades of these names (valid host names, distinct). */
    public Builder blades(String... hostNames) {
      names.clear();
      for (String n : hostNames) {
        HostName.of(n);
        if (names.contains(n)) {
          throw new IllegalArgumentException("blade " + n + " twice");
        }
        names.add(n);
      }
      return this;
    }

    /** The toolstack every blade runs (xl by default). */
    public Builder toolstack(Toolstack.Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** Each blade's memory, MiB (16 GiB by default). */
    public Builder memoryMib(long mib) {
      this.memoryMib = mib;
      return this;
    }

    /** Customises one blade's Xen (memory, CPUs, virt_caps, toolstack), after the chassis-wide settings. */
    public Builder blade(String name, Consumer<SimulatedXen.Builder> custom) {
      perHost.put(name, Objects.requireNonNull(custom, "custom"));
      return this;
    }

    /** Builds the chassis in {@code directory} (one sub-directory per blade, and {@code shared/}). */
    public SimulatedChassis build(Path directory) {
      if (names.isEmpty()) {
        blades(2);
      }
      for (String n : perHost.keySet()) {
        if (!names.contains(n)) {
          throw new IllegalArgumentException("no blade " + n + " in " + names);
        }
      }
      return new SimulatedChassis(directory, this);
    }
  }

  // ------------------------------------------------------------------ blades

  /** The blades' names, in order. */
  public List<HostName> hostNames() {
    return List.copyOf(blades.keySet());
  }

  /** The blade as a {@link Host}, through its decorator if it has one. */
  public Host host(String name) {
    return blade(HostName.of(name)).host;
  }

  public Host host(HostName name) {
    return blade(name).host;
  }

  /** Every blade as a {@link Host}, in order. */
  public List<Host> hosts() {
    return blades.values().stream().map(b -> b.host).toList();
  }

  /** A core {@link Chassis} of the blades as they are now (decorators included). */
  public Chassis chassis() {
    return Chassis.of(hosts());
  }

  public SimulatedKernel kernel(HostName name) {
    return blade(name).kernel;
  }

  public SimulatedKernel kernel(String name) {
    return kernel(HostName.of(name));
  }

  public SimulatedXen xen(HostName name) {
    return blade(name).xen;
  }

  public SimulatedXen xen(String name) {
    return xen(HostName.of(name));
  }

  public SimulatedSan san() {
    return san;
  }

  /** A directory every blade "mounts": where VM profiles and the placement map go. */
  public Path sharedDirectory() {
    return shared;
  }

  /** The directory the chassis lives in. */
  public Path root() {
    return root;
  }

  private Blade blade(HostName name) {
    Blade b = blades.get(name);
    if (b == null) {
      throw new NotFoundException("blade", name.value(), "not in the simulated chassis " + hostNames());
    }
    return b;
  }

  /**
   * Puts {@code decorator}'s runner in front of the blade's current one (a
   * {@link dev.midplane.core.exec.RecordingRunner}, for instance). Commands from the SDK and from
   * other blades reach the blade through it from now on.
   */
  public void decorate(String name, UnaryOperator<CommandRunner> decorator) {
    Blade b = blade(HostName.of(name));
    b.host = b.host.withRunner(Objects.requireNonNull(decorator.apply(b.host.runner()), "decorated runner"));
  }

  /** Removes the decorators of the blade. */
  public void undecorate(String name) {
    Blade b = blade(HostName.of(name));
    b.host = b.kernel.host();
  }

  /** Cuts the blade off the management network: no ssh to or from it, no xend relocation. */
  public synchronized void disconnect(String name) {
    disconnected.add(blade(HostName.of(name)).kernel.name());
  }

  public synchronized void reconnect(String name) {
    disconnected.remove(HostName.of(name));
  }

  synchronized boolean reachable(HostName from, HostName to) {
    return from.equals(to) || !disconnected.contains(from) && !disconnected.contains(to);
  }

  private Optional<HostName> resolve(String target) {
    String host = target.contains("@") ? target.substring(target.indexOf('@') + 1) : target;
    if (!HostName.isValid(host)) {
      return Optional.empty();
    }
    HostName h = HostName.of(host);
    if (host.equals("localhost")) {
      return Optional.empty();
    }
    return blades.keySet().stream().filter(b -> b.equals(h) || b.shortName().equals(h.value())).findFirst();
  }

  /**
   * The blade loses power and boots again: its guests are gone (see
   * {@link SimulatedXen#powerCycle}); its network and storage come back configured.
   */
  public void reboot(String name) {
    blade(HostName.of(name)).xen.powerCycle();
  }

  /** The blades where a guest with this MAC runs now (not paused or suspended): where its frames come from. */
  public List<HostName> whereIs(MacAddress mac) {
    List<HostName> out = new ArrayList<>();
    for (Map.Entry<HostName, Blade> e : blades.entrySet()) {
      boolean here = e.getValue().xen.guests().stream()
          .filter(d -> d.info().state().contains(DomainState.BLOCKED) || d.info().state().contains(DomainState.RUNNING))
          .anyMatch(d -> d.networkDevices().stream().anyMatch(n -> n.mac().equals(mac)));
      if (here) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ storage

  /**
   * A new LUN of {@code sizeBytes} on the array, presented to every blade's HBAs, scanned, and
   * assembled on each blade into the multipath map {@code /dev/mapper/<alias>}.
   *
   * @return the LUN's WWID
   */
  public Wwid provisionLun(MultipathAlias alias, long sizeBytes) {
    return provisionLun(alias, sizeBytes, hostNames());
  }

  /** {@link #provisionLun(MultipathAlias, long)} for some blades only (the others do not see the LUN). */
  public Wwid provisionLun(MultipathAlias alias, long sizeBytes, Collection<HostName> on) {
    Wwid wwid = san.createLun(sizeBytes);
    for (HostName h : on) {
      present(wwid, alias, h);
    }
    return wwid;
  }

  /**
   * Presents an existing LUN to a blade, scans its HBAs and makes the map there under
   * {@code alias} with {@code Multipath.on(blade).create(alias, wwid)} (the blade's own inventory
   * and {@code multipath.conf} gain the LUN). Runs on the blade's own runner, past decorators.
   */
  public void present(Wwid wwid, MultipathAlias alias, HostName on) {
    SimulatedKernel k = blade(on).kernel;
    san.present(wwid, k.scsi().initiatorPorts());
    Sysfs sysfs = Sysfs.on(k.host());
    for (SimulatedScsi.Hba hba : k.scsi().hbas()) {
      sysfs.scan(hba.hostNumber());
    }
    if (k.scsi().disks().stream().noneMatch(d -> d.wwid().equals(wwid))) {
      throw new IllegalStateException("LUN " + wwid + " did not appear on " + on);
    }
    Multipath.on(k.host()).withSettleTime(Duration.ZERO).create(alias, wwid).call();
  }

  /** Flushes the map {@code alias} on a blade with {@code multipath -f}, to make blades differ. */
  public void removeMap(String blade, MultipathAlias alias) {
    blade(HostName.of(blade)).kernel.host().execute("multipath", "-f", alias.value());
  }

  // ------------------------------------------------------------------ xend relocation (xm)

  /** Writes each xm blade's {@code xend-config.sxp}: relocation server on, the other blades allowed (anchored names). */
  private void allowRelocationBetweenBlades() {
    for (Map.Entry<HostName, Blade> e : blades.entrySet()) {
      if (e.getValue().xen.kind() != Toolstack.Kind.XM) {
        continue;
      }
      List<HostName> others = blades.keySet().stream().filter(h -> !h.equals(e.getKey())).toList();
      XendConfig c = XendConfig.parse("", "xend-config.sxp").withRelocationServer(true)
          .withRelocationPort(XendConfig.DEFAULT_RELOCATION_PORT)
          .withRelocationHostsAllow(RelocationAllowList.exactHosts(others));
      Path file = e.getValue().kernel.host().path("/etc/xen/xend-config.sxp");
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      c.write(file);
    }
  }

  // ------------------------------------------------------------------ ssh

  private static final Set<String> SSH_OPTIONS_WITH_ARGUMENT = Set.of("-B", "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i",
      "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w");

  /** {@code ssh [options] host command...} from {@code from}: runs the command on the target blade's runner. */
  private Reply ssh(HostName from, SimulatedRunner.Invocation inv) {
    List<String> a = inv.args();
    int i = 0;
    while (i < a.size() && a.get(i).startsWith("-")) {
      i += SSH_OPTIONS_WITH_ARGUMENT.contains(a.get(i)) ? 2 : 1;
    }
    if (i >= a.size()) {
      return Reply.fail(255, "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] destination [command [argument ...]]");
    }
    String target = a.get(i);
    List<String> words = a.subList(i + 1, a.size());
    Optional<HostName> to = resolve(target);
    if (to.isEmpty()) {
      String h = target.contains("@") ? target.substring(target.indexOf('@') + 1) : target;
      return Reply.fail(255, "ssh: Could not resolve hostname " + h + ": Name or service not known");
    }
    if (!reachable(from, to.get())) {
      return Reply.fail(255, "ssh: connect to host " + to.get() + " port 22: Connection timed out");
    }
    if (words.isEmpty()) {
      return Reply.fail(255, "Pseudo-terminal will not be allocated because stdin is not a terminal.");
    }
    List<String> remote = XlMigration.ShellWords.split(String.join(" ", words));
    if (remote == null || remote.isEmpty()) {
      return Reply.fail(2, "bash: -c: line 1: unexpected EOF while looking for matching quote");
    }
    Command.Builder c = Command.builder().args(remote).timeout(inv.command().timeout().orElse(Duration.ofMinutes(5)));
    inv.stdin().ifPresent(c::stdin);
    CommandResult r;
    try {
      r = blades.get(to.get()).host.runner().run(c.build());
    } catch (CommandFailedException e) {
      if (e.exitCode().isEmpty()) {
        return Reply.fail(127, "bash: line 1: " + remote.get(0) + ": command not found");
      }
      throw e;
    }
    return new Reply(r.exitCode(), r.stdout(), r.stderr());
  }

  @Override
  public String toString() {
    return "simulated chassis " + hostNames();
  }
}
