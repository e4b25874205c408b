package dev.midplane.examples.demo;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.chassis.Chassis;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.multipath.Multipath;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.multipath.sim.SimulatedMultipathTools;
import dev.midplane.network.Network;
import dev.midplane.network.persist.BladeLayout;
import dev.midplane.network.sim.SimulatedNetworkTools;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import dev.midplane.xen.chassis.XenChassis;
import dev.midplane.xen.sim.SimulatedXen;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The embedded chassis: two blades, {@code blade1} (16 GiB) and {@code blade2} (8 GiB), each a
 * simulated Linux kernel in a directory of its own (four NICs, two FC HBA ports) running the
 * xen module's simulated Xen 4.17 and {@code xl} and the multipath module's simulated
 * multipath-tools 0.9.4 (multipathd running), reaching each other by {@code ssh}, behind one
 * simulated FC storage array; plus a shared directory, as an NFS export would be, for the LUN
 * inventory and the VM configs. Everything lives under one temporary directory that
 * {@link #close()} deletes. No root, no real device is touched.
 *
 * <pre>{@code
 * try (DemoChassis c = DemoChassis.create()) {          // bonds and bridges laid out
 *   Wwid lun = c.provisionLun(MultipathAlias.of("web01"), 20L << 30);   // /dev/mapper/web01 on both
 *   c.multipath("blade1").device(MultipathAlias.of("web01")).resize().call();   // after the array grew it
 *   Host blade1 = c.host("blade1");                       // Sysfs.on(blade1), Xen.on(blade1), ...
 * }
 * }</pre>
 */
public final class DemoChassis implements AutoCloseable {
  private final Path dir;
  private final SimulatedSan san;
  private final SimulatedKernel blade1;
  private final SimulatedKernel blade2;
  private final Map<HostName, SimulatedXen> xens = new LinkedHashMap<>();
  private final Path shared;

  private DemoChassis(Path dir) throws IOException {
    this.dir = dir;
    this.san = SimulatedSan.create();
    this.blade1 = blade(dir, "blade1", BLADE1_MEMORY_MIB);
    this.blade2 = blade(dir, "blade2", BLADE2_MEMORY_MIB);
    this.shared = Files.createDirectories(dir.resolve("shared"));
  }

  private SimulatedKernel blade(Path parent, String name, long memoryMib) throws IOException {
    SimulatedKernel k = SimulatedKernel.bareBlade(Files.createDirectories(parent.resolve(name)), HostName.of(name), san);
    xens.put(k.name(), SimulatedXen.builder().totalMemoryMib(memoryMib).install(k));
    SimulatedNetworkTools.install(k);
    // Like the paper's hosts these blades have ebtables and no nftables, so the filter is ebtables.
    k.runner().register("nft", inv -> Reply.fail(127, "nft: command not found"));
    SimulatedMultipathTools.install(k);
    k.runner().register("ssh", inv -> ssh(inv.command()));
    k.runner().register("true", inv -> Reply.ok());
    return k;
  }

  /**
   * {@code ssh [-o …] host command…} between the blades, as xl runs it for a migration: the
   * command runs on the other blade with the same stdin. A stand-in for the management network.
   */
  private Reply ssh(Command c) {
    List<String> a = c.arguments();
    int i = 0;
    while (i < a.size() && a.get(i).startsWith("-")) {
      i += a.get(i).length() == 2 && "oiplFJ".indexOf(a.get(i).charAt(1)) >= 0 ? 2 : 1;
    }
    if (i + 1 >= a.size()) {
      return Reply.fail(255, "usage: ssh destination command");
    }
    String target = a.get(i).substring(a.get(i).indexOf('@') + 1);
    if (!HostName.isValid(target) || blades().stream().noneMatch(b -> b.name().value().equals(target))) {
      return Reply.fail(255, "ssh: Could not resolve hostname " + target + ": Name or service not known");
    }
    Command remote = Command.builder().args(a.subList(i + 1, a.size())).stdin(c.stdin().orElse(null))
        .timeout(c.timeout().orElse(java.time.Duration.ofMinutes(5))).build();
    CommandResult r = blade(target).runner().run(remote);
    return new Reply(r.exitCode(), r.stdout(), r.stderr());
  }

  /** blade1's memory: room for both demo VMs. */
  static final long BLADE1_MEMORY_MIB = 16384;
  /** blade2's memory: smaller, so a big VM does not fit there. */
  static final long BLADE2_MEMORY_MIB = 8192;

  /**
   * A chassis ready for VMs, in a new temporary directory: each blade's bond0 (eth0 + eth1) and
   * bond1 (eth2 + eth3) active-backup with MII monitoring, xenbr0 on bond0 and xenbr1 on bond1; no
   * LUN yet ({@link #provisionLun}).
   */
  public static DemoChassis create() {
    DemoChassis c = bare();
    c.layOutNetwork();
    return c;
  }

  /** A chassis whose blades' NICs are unconfigured (all down), in a new temporary directory. */
  public static DemoChassis bare() {
    try {
      return new DemoChassis(Files.createTempDirectory("midplane-demo-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo chassis's directory", e);
    }
  }

  /**
   * Lays out every blade's network with the network module's {@link BladeLayout#standard()} plan:
   * bond0 (eth0 + eth1) and bond1 (eth2 + eth3) active-backup with MII monitoring every 100 ms,
   * xenbr0 on bond0 and xenbr1 on bond1, all up. Returns each blade's plan report.
   */
  public List<PlanReport> layOutNetwork() {
    return blades().stream()
        .map(k -> Network.on(k.host()).change("lay out " + k.name()).layout(BladeLayout.standard()).apply())
        .toList();
  }

  /**
   * A new LUN of {@code sizeBytes} on the array, presented to {@code blades} (both when none is
   * named), made into {@code /dev/mapper/<alias>} on the first of them with the multipath module's
   * {@link Multipath#create create} (which adds it to the shared inventory), then found by a
   * {@link Multipath#scan scan} on the others, which bring their {@code multipath.conf} up to date
   * with the inventory and make the map.
   */
  public Wwid provisionLun(MultipathAlias alias, long sizeBytes, String... blades) {
    List<SimulatedKernel> on = blades.length == 0 ? blades() : Stream.of(blades).map(this::blade).toList();
    Wwid wwid = san.createLun(sizeBytes);
    san.present(wwid, on.stream().flatMap(k -> k.scsi().initiatorPorts().stream()).toList());
    Multipath first = multipath(on.get(0).name().value());
    first.scan().call();
    first.create(alias, wwid).call();
    for (SimulatedKernel k : on.subList(1, on.size())) {
      multipath(k.name().value()).scan().call();
    }
    return wwid;
  }

  /** The shared LUN inventory as the file in {@link #shared()} holds it now. */
  public LunInventory inventory() {
    return multipath("blade1").inventory();
  }

  /**
   * Multipath on the blade called {@code name} (its simulated multipath-tools 0.9.4 with
   * multipathd running), with the shared inventory in {@link #shared()}: create, scan, resize and
   * remove maps as plans.
   */
  public Multipath multipath(String name) {
    return Multipath.on(host(name)).withInventory(shared.resolve("luns")).withSettleTime(Duration.ZERO);
  }

  /** The blade called {@code name}. */
  public SimulatedKernel blade(String name) {
    return blade(HostName.of(name));
  }

  /** The host of the blade called {@code name}. */
  public Host host(String name) {
    return blade(name).host();
  }

  /** The storage array both blades' HBAs log into. */
  public SimulatedSan san() {
    return san;
  }

  public SimulatedKernel blade1() {
    return blade1;
  }

  public SimulatedKernel blade2() {
    return blade2;
  }

  /** Both blades, in order. */
  public List<SimulatedKernel> blades() {
    return List.of(blade1, blade2);
  }

  /** The blade called {@code name}. */
  public SimulatedKernel blade(HostName name) {
    return blades().stream().filter(b -> b.name().equals(name)).findFirst()
        .orElseThrow(() -> new dev.midplane.core.NotFoundException("blade", name.value(), "the chassis has blade1 and blade2"));
  }

  /** The blades' hosts as a chassis, for operations on every blade at once. */
  public Chassis chassis() {
    return Chassis.of(blades().stream().map(SimulatedKernel::host).toList());
  }

  /** The hosts, in order. */
  public List<Host> hosts() {
    return blades().stream().map(SimulatedKernel::host).toList();
  }

  /** The simulated Xen of the blade called {@code name}: what {@code xl list} would show, power cycles. */
  public SimulatedXen xen(String name) {
    return xens.get(blade(name).name());
  }

  /**
   * The blade loses power and boots again: its guests are gone (their vifs deleted, their disks
   * closed) and its bridge filter is empty; bonds, bridges and maps come back as they were
   * configured. Nothing restarts the guests: see {@code xen().placement().startAllFor}.
   */
  public void reboot(String name) {
    SimulatedKernel k = blade(name);
    xens.get(k.name()).powerCycle();
    // the bridge filter as a boot leaves it: the filter table with its built-in chains, no rule
    k.host().execute(Command.builder("ebtables-restore")
        .stdin("*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\nCOMMIT\n").build());
  }

  /**
   * Xen on both blades, with VM profiles and placement in {@link #shared()}: preflights,
   * migrations, placement and starts across the chassis.
   */
  public XenChassis xen() {
    return XenChassis.of(chassis(), shared());
  }

  /** The directory every blade mounts: LUN inventory, VM profiles, placement. */
  public Path shared() {
    return shared;
  }

  /** Deletes the chassis's directory. */
  @Override
  public void close() {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new MidplaneException("could not delete the demo chassis in " + dir, e);
    }
  }

  @Override
  public String toString() {
    return "demo chassis [blade1, blade2] in " + dir;
  }
}
