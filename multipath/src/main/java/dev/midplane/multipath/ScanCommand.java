package dev.midplane.multipath;

import dev.midplane.core.HostLock;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.core.plan.Step;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.sysfs.ScanAddress;
import dev.midplane.sysfs.ScsiHost;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.WwidSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Looks for new LUNs and makes the maps of the inventoried ones this host sees
 * ({@link Multipath#scan()}). Single use.
 *
 * <p>The plan: scan — at the {@linkplain #at known addresses} ({@code "C T L" >
 * /sys/class/scsi_host/hostH/scan}), else every FC host ({@code "- - -"}; every SCSI host when the
 * host has no FC HBA, or the {@linkplain #hosts chosen} ones); then, once udev has identified the
 * new paths, make the maps of inventoried LUNs that have paths here and no map yet: write
 * {@code /etc/multipath.conf} from the inventory if it is out of date, have multipath load it, wait
 * for each map. LUNs zoned to other hosts are simply not seen here, so each host makes only its
 * own maps from the one shared inventory.
 *
 * <p>Scanning only adds devices and cannot be undone; the maps made are flushed again when a later
 * step fails.
 */
public final class ScanCommand {
  private final Multipath mp;
  private final List<Integer> hosts = new ArrayList<>();
  private final List<Hctl> addresses = new ArrayList<>();
  private boolean makeMaps = true;
  private boolean used;

  ScanCommand(Multipath mp) {
    this.mp = mp;
  }

  /** Scans these SCSI hosts only (with {@code - - -}). */
  public ScanCommand hosts(int... scsiHosts) {
    for (int h : scsiHosts) {
      if (h < 0) {
        throw new IllegalArgumentException("SCSI host numbers are >= 0: " + h);
      }
      hosts.add(h);
    }
    return this;
  }

  /** Scans exactly these addresses (a path deleted before, a LUN whose number is known). */
  public ScanCommand at(Hctl... where) {
    addresses.addAll(List.of(where));
    return this;
  }

  /** Whether to make the maps of inventoried LUNs that appeared (default yes). */
  public ScanCommand makeMaps(boolean yes) {
    makeMaps = yes;
    return this;
  }

  /** What a scan found and made. */
  public record Report(List<ScsiPath> newPaths, List<MultipathAlias> mapsMade, PlanReport plan) {
    public Report {
      newPaths = List.copyOf(newPaths);
      mapsMade = List.copyOf(mapsMade);
    }
  }

  /** The plan, made from the host's SCSI hosts now. */
  public Plan plan() {
    return plan(mp.storage());
  }

  /** The plan, made from {@code before}: the host's storage as just discovered. */
  private Plan plan(Topology before) {
    Plan.Builder b = Plan.builder("scan for LUNs on " + mp.host().name());
    if (!addresses.isEmpty()) {
      for (Hctl h : addresses) {
        ScanAddress a = ScanAddress.of(h.channel(), h.target(), h.lun());
        b.step(scan("scan " + h, h.host(), a));
      }
    } else {
      for (int h : hostsToScan(before)) {
        b.step(scan("scan host" + h, h, ScanAddress.ALL));
      }
    }
    if (makeMaps) {
      AtomicReference<List<MultipathAlias>> made = new AtomicReference<>(List.of());
      List<String> now = unmapped(mp.inventory(), before).stream().map(l -> l.alias() + " (" + l.wwid() + ")").toList();
      b.step(Step.builder("make the maps of inventoried LUNs seen here without one (decided after the scan; now: "
              + (now.isEmpty() ? "none" : String.join(", ", now)) + ")")
          .apply(() -> made.set(makeMaps()))
          .undo(() -> made.get().forEach(a -> flushIfUnused(a)))
          .build());
    }
    return b.build();
  }

  private List<Integer> hostsToScan(Topology t) {
    if (!hosts.isEmpty()) {
      return List.copyOf(hosts);
    }
    List<ScsiHost> fc = t.scsiHosts().stream().filter(h -> h.fc().isPresent()).toList();
    return (fc.isEmpty() ? t.scsiHosts() : fc).stream().map(ScsiHost::number).toList();
  }

  private Step scan(String what, int host, ScanAddress a) {
    String attr = "/sys/class/scsi_host/host" + host + "/scan";
    return Step.builder(what + ": " + Lifecycle.write(attr, a.render()))
        .apply(() -> Sysfs.on(mp.host()).scan(host, a))
        .build();
  }

  /** The inventoried LUNs with paths in {@code t} and no map. */
  private static List<Lun> unmapped(LunInventory inv, Topology t) {
    return inv.luns().stream().filter(l -> !t.pathsTo(l.wwid()).isEmpty() && t.multipathMapOf(l.wwid()).isEmpty()).toList();
  }

  /** After the scan: wait for udev, then make what is missing as a plan of its own. */
  private List<MultipathAlias> makeMaps() {
    Topology t = Lifecycle.poll(mp.deadline(), mp::storage, ScanCommand::identified);
    LunInventory inv = mp.inventory();
    List<Lun> todo = unmapped(inv, t);
    Plan.Builder b = Plan.builder("make the maps of " + todo.stream().map(Lun::alias).toList() + " on " + mp.host().name());
    if (!todo.isEmpty() || !Lifecycle.configCurrent(mp, inv)) {
      b.then(Lifecycle.configure(mp, inv, "configure"));
    }
    for (Lun l : todo) {
      // `multipath <wwid>` with or without a daemon (which adopts the map): multipathd 0.9.4 answers
      // `add map <wwid>` for an aliased map with fail, having made it (the lab found it)
      b.step(Step.builder("make map " + l.alias())
          .apply(() -> {
            if (mp.sysfs().multipathMapOf(l.wwid()).isEmpty()) {
              mp.tools().createMap(l.wwid());
            }
          }, Command.of("multipath", l.wwid().value()))
          .undo(() -> flushIfUnused(l.alias()))
          .build());
      b.step(Lifecycle.waitForMap(mp, l.wwid(), l.alias()));
    }
    b.build().apply();
    return todo.stream().map(Lun::alias).toList();
  }

  /** True when udev has identified every path (or the host has no udev to wait for). */
  private static boolean identified(Topology t) {
    boolean udev = t.paths().stream().anyMatch(p -> p.wwidSource().equals(Optional.of(WwidSource.UDEV_ID_SERIAL)));
    return !udev || t.paths().stream().allMatch(p -> p.wwidSource().equals(Optional.of(WwidSource.UDEV_ID_SERIAL)));
  }

  private void flushIfUnused(MultipathAlias alias) {
    if (mp.sysfs().multipathMap(alias.value()).isEmpty()) {
      return;
    }
    MapName name = MapName.of(alias);
    int open = mp.deviceMapper().info(name).map(i -> i.openCount()).orElse(0);
    if (open > 0) {
      throw new UnsafeOperationException("flush " + name + " while undoing a scan", name + " is open (" + open + "); it stays");
    }
    mp.tools().flushMap(name);
  }

  /**
   * Scans and makes the maps.
   *
   * @throws dev.midplane.core.plan.PlanFailedException when a step failed
   */
  public Report call() {
    if (used) {
      throw new IllegalStateException("a ScanCommand runs once");
    }
    used = true;
    try (HostLock l = HostLock.acquire(mp.host(), "multipath", mp.deadline())) {
      Topology before = mp.storage();
      Set<Hctl> had = new HashSet<>();
      before.paths().forEach(p -> had.add(p.hctl()));
      Plan p = plan(before);
      PlanReport r = p.apply();
      Topology after = mp.storage();
      List<MultipathAlias> made = mp.inventory().luns().stream()
          .filter(lun -> before.multipathMapOf(lun.wwid()).isEmpty() && after.multipathMapOf(lun.wwid()).isPresent())
          .map(Lun::alias).toList();
      return new Report(after.paths().stream().filter(x -> !had.contains(x.hctl())).toList(), made, r);
    }
  }
}
