package dev.midplane.multipath;

import dev.midplane.core.HostLock;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.core.plan.Step;
import dev.midplane.core.plan.Verification;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.ScanAddress;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes a map and its paths from one host ({@link MultipathDevice#remove()}), as before a LUN is
 * unmapped from the host. Single use.
 *
 * <p>The plan: flush the map ({@code multipath -f <name>}); delete each of the LUN's SCSI devices
 * through sysfs ({@code 1 > /sys/block/sdX/device/delete}); with {@link #forget(boolean)}, take the
 * LUN out of the shared inventory and {@code multipath.conf}; then, after the
 * {@linkplain Multipath#withSettleTime settle time}, check that neither the map nor a deleted path
 * came back. A failure undoes what came before: deleted paths are scanned back at their addresses
 * ({@code "C T L" > /sys/class/scsi_host/hostH/scan}) and the map is made again.
 *
 * <p>Refused, before anything changes, while the map is open (a running VM, a mount) or has holders
 * (partition or LVM maps on it), naming them: a map in use is never flushed, and a path is only
 * deleted once its map is gone, so no live map ever loses its last path.
 */
public final class RemoveCommand {
  private final MultipathDevice device;
  private final Multipath mp;
  private boolean forget;
  private boolean used;

  RemoveCommand(MultipathDevice device) {
    this.device = device;
    this.mp = device.multipath();
  }

  /**
   * Whether to take the LUN out of the shared inventory and this host's {@code multipath.conf}
   * too (default no): for a LUN being retired on every host, so no host makes its map again. Other
   * hosts pick the change up with {@link Multipath#configure()}.
   */
  public RemoveCommand forget(boolean yes) {
    forget = yes;
    return this;
  }

  /**
   * The plan, checked against the map now.
   *
   * @throws UnsafeOperationException naming every user of the map
   * @throws dev.midplane.core.NotFoundException when the map does not exist
   */
  public Plan plan() {
    MultipathDeviceStatus s = device.status();
    MapName name = s.name();
    Wwid wwid = s.wwid();
    String title = "remove multipath map " + name + " and its paths from " + s.host();
    List<String> reasons = new ArrayList<>();
    if (s.isOpen()) {
      reasons.add(name + " is open (" + s.openCount() + " opener(s): a running VM, a mount or a map on top of it)");
    }
    if (!s.holders().isEmpty()) {
      reasons.add(name + " is held by " + s.holders() + " (partition or LVM maps on it; remove them first)");
    }
    if (!reasons.isEmpty()) {
      throw new UnsafeOperationException(title, reasons);
    }
    Multipath.Mode mode = mp.mode();
    Plan.Builder b = Plan.builder(title);
    // The map is made again with the command even where multipathd runs: multipath-tools 0.9.4's daemon
    // answers `add map <wwid>` for an aliased LUN with "fail" (the lab found it), while `multipath <wwid>`
    // makes the map and the daemon adopts it.
    Command recreate = Command.of("multipath", wwid.value());
    b.step(Step.builder("flush " + name)
        .apply(() -> mp.tools().flushMap(name), Command.of("multipath", "-f", name.value()))
        .undo(() -> mp.tools().createMap(wwid))
        .verify(() -> Verification.check(mp.sysfs().multipathMapOf(wwid).isEmpty(),
            name + " still exists on " + mp.host().name()))
        .build());
    List<ScsiPath> paths = s.scsiPaths();
    for (ScsiPath p : paths) {
      BlockDeviceName dev = p.device();
      Hctl h = p.hctl();
      String attr = "/sys/block/" + dev + "/device/delete";
      b.step(Step.builder("delete path " + dev + " (" + h + "): " + Lifecycle.write(attr, "1"))
          .apply(() -> Sysfs.on(mp.host()).delete(dev))
          .undo(() -> Sysfs.on(mp.host()).scan(h.host(), ScanAddress.of(h.channel(), h.target(), h.lun())))
          .verify(() -> Verification.check(mp.sysfs().pathsTo(wwid).stream().noneMatch(x -> x.hctl().equals(h)),
              h + " is still there"))
          .build());
    }
    if (forget) {
      Optional<Lun> lun = mp.inventory().find(wwid);
      if (lun.isPresent()) {
        b.step(Lifecycle.inventory(mp, "take " + lun.get().alias() + " " + wwid + " out of the LUN inventory",
            inv -> inv.find(wwid).isPresent() ? inv.remove(wwid) : inv,
            inv -> inv.find(wwid).isPresent() ? inv : inv.add(lun.get()),
            inv -> inv.find(wwid).isEmpty()));
        b.step(Lifecycle.writeConfig(mp, mode, c -> c.multipath(wwid.value()).isEmpty(), "blacklist " + wwid + " again"));
        if (mode == Multipath.Mode.MULTIPATHD) {
          b.step(Step.builder("have multipathd read it")
              .apply(() -> mp.tools().reconfigure(), Command.of("multipathd", "reconfigure"))
              .undo(() -> { }) // the file's own undo has multipathd read the previous one
              .build());
        }
      }
    }
    List<Hctl> addresses = paths.stream().map(ScsiPath::hctl).toList();
    b.step(Step.builder("check after " + Lifecycle.human(mp.settle()) + " that " + name + " and its paths stay gone")
        .apply(() -> {
          Lifecycle.sleep(mp.settle());
          List<String> back = new ArrayList<>();
          mp.sysfs().multipathMapOf(wwid).ifPresent(m -> back.add("map " + m.name() + " (" + m.device() + ")"));
          mp.sysfs().pathsTo(wwid).stream().map(ScsiPath::hctl).filter(addresses::contains)
              .forEach(a -> back.add("path " + a));
          if (!back.isEmpty()) {
            throw new MidplaneException("came back on " + mp.host().name() + " after removal: " + back
                + " (a daemon or udev rule re-created them; " + recreate + " is what makes the map)");
          }
        })
        .undo(() -> { })
        .build());
    return b.build();
  }

  /**
   * Removes the map and its paths.
   *
   * @throws dev.midplane.core.plan.PlanFailedException when a step failed (the report says what was
   *     undone)
   */
  public PlanReport call() {
    if (used) {
      throw new IllegalStateException("a RemoveCommand runs once");
    }
    used = true;
    try (HostLock l = HostLock.acquire(mp.host(), "multipath", mp.deadline())) {
      return plan().apply();
    }
  }
}
