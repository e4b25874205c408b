package dev.midplane.multipath;

import dev.midplane.core.HostLock;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.Step;
import dev.midplane.core.plan.Verification;
import dev.midplane.multipath.dm.DmTarget;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Grows a map to its LUN's new size, after the array grew the LUN ({@link MultipathDevice#resize()}).
 * Single use.
 *
 * <p>The plan: rescan every path of the map through sysfs ({@code 1 > /sys/block/sdX/device/rescan});
 * check that every path is still up and reports the same size, larger than the map's; resize the map
 * — {@code multipathd resize map <name>}, or without a daemon {@code dmsetup suspend}, {@code dmsetup
 * reload} with the table at the new length, {@code dmsetup resume} — and check the map's size. When
 * the paths report the map's present size there is nothing to grow and the resize steps do nothing.
 *
 * <p>Refused before anything changes when a path of the map is down (failed in device-mapper, not
 * ready for its checker, offline, or vanished), when the map is suspended or has no path, or when
 * {@link #toSize expected} size is smaller than the map. Refused after the rescans, with every
 * path's size in the message, when the paths disagree, report less than the map (a shrink is never
 * done), report another size than expected, or a path went down meanwhile. The rescans cannot be
 * undone and need not be; a grown map is not shrunk back.
 */
public final class ResizeCommand {
  private final MultipathDevice device;
  private final Multipath mp;
  private OptionalLong expected = OptionalLong.empty();
  private boolean used;

  ResizeCommand(MultipathDevice device) {
    this.device = device;
    this.mp = device.multipath();
  }

  /** The size the array gave the LUN, in bytes: anything else the paths report is refused. */
  public ResizeCommand toSize(long bytes) {
    if (bytes <= 0 || bytes % 512 != 0) {
      throw new IllegalArgumentException("a LUN size is a positive multiple of 512 bytes: " + bytes);
    }
    expected = OptionalLong.of(bytes);
    return this;
  }

  /**
   * The plan, checked against the map now.
   *
   * @throws UnsafeOperationException listing every reason the map cannot be grown now
   * @throws dev.midplane.core.NotFoundException when the map does not exist
   */
  public Plan plan() {
    MultipathDeviceStatus s = device.status();
    MapName name = s.name();
    String title = "grow multipath map " + name + " on " + s.host();
    List<String> reasons = new ArrayList<>(downReasons(s.paths()));
    if (s.paths().isEmpty()) {
      reasons.add(name + " has no path");
    }
    if (s.suspended()) {
      reasons.add(name + " is suspended");
    }
    if (expected.isPresent() && expected.getAsLong() < s.sizeBytes()) {
      reasons.add("the expected size " + expected.getAsLong() + " bytes is less than the map's " + s.sizeBytes()
          + " bytes: refusing to shrink");
    }
    if (!reasons.isEmpty()) {
      throw new UnsafeOperationException(title, reasons);
    }
    List<BlockDeviceName> devices = s.paths().stream().map(p -> p.device().orElseThrow()).toList();
    AtomicLong target = new AtomicLong(s.sizeBytes());
    Plan.Builder b = Plan.builder(title);
    for (MultipathPath p : s.paths()) {
      BlockDeviceName dev = p.device().orElseThrow();
      String attr = "/sys/block/" + dev + "/device/rescan";
      b.step(Step.builder("rescan path " + dev + " (" + p.hctl().map(Object::toString).orElse("?") + "): "
              + Lifecycle.write(attr, "1"))
          .apply(() -> Sysfs.on(mp.host()).rescan(dev))
          // re-reading the capacity changes nothing that could be taken back
          .undo(() -> { })
          .build());
    }
    b.step(Step.builder("check that every path of " + name + " is up and reports the same size, "
            + (expected.isPresent() ? expected.getAsLong() + " bytes" : "not less than the map's " + s.sizeBytes() + " bytes"))
        .apply(() -> target.set(checkPaths(name, s.wwid(), devices, s.sizeBytes())))
        .undo(() -> { })
        .build());
    if (mp.mode() == Multipath.Mode.MULTIPATHD) {
      b.step(Step.builder("resize " + name + " to the paths' size")
          .apply(() -> {
            if (target.get() > currentSize(name)) {
              mp.tools().resizeMap(name);
            }
          }, Command.of("multipathd", "resize", "map", name.value()))
          .verify(() -> sizeIs(name, target.get()))
          .build());
    } else {
      DmTarget now = mp.deviceMapper().table(name);
      String shownLength = expected.isPresent() ? Long.toString(expected.getAsLong() / DmTarget.SECTOR)
          : "<sectors after the rescan>";
      b.step(Step.builder("suspend " + name)
          .apply(() -> {
            if (target.get() > currentSize(name)) {
              mp.deviceMapper().suspend(name);
            }
          }, Command.of("dmsetup", "suspend", name.value()))
          .undo(() -> resumeIfSuspended(name))
          .build());
      b.step(Step.builder("load " + name + "'s table at the new length")
          .apply(() -> {
            if (target.get() > currentSize(name)) {
              DmTarget t = mp.deviceMapper().table(name);
              mp.deviceMapper().reload(name, new DmTarget(t.start(), target.get() / DmTarget.SECTOR, t.type(), t.parameters()));
            }
          }, Command.of("dmsetup", "reload", name.value(), "--table",
              now.start() + " " + shownLength + " " + now.type() + " " + now.parameters()))
          .undo(() -> {
            if (mp.deviceMapper().info(name).filter(i -> i.inactive()).isPresent()) {
              mp.deviceMapper().clear(name);
            }
          })
          .build());
      b.step(Step.builder("resume " + name + " with the grown table")
          .apply(() -> resumeIfSuspended(name), Command.of("dmsetup", "resume", name.value()))
          .verify(() -> sizeIs(name, target.get()))
          .build());
    }
    return b.build();
  }

  private void resumeIfSuspended(MapName name) {
    if (mp.deviceMapper().info(name).filter(i -> i.suspended()).isPresent()) {
      mp.deviceMapper().resume(name);
    }
  }

  private long currentSize(MapName name) {
    return mp.deviceMapper().table(name).lengthBytes();
  }

  private Verification sizeIs(MapName name, long bytes) {
    long now = currentSize(name);
    return Verification.check(now == bytes, name + " is " + now + " bytes, expected " + bytes);
  }

  /** Why each of these paths is not fit to be relied on. */
  static List<String> downReasons(List<MultipathPath> paths) {
    List<String> reasons = new ArrayList<>();
    for (MultipathPath p : paths) {
      if (p.device().isEmpty()) {
        reasons.add("a path of the map vanished (multipath shows #:#:#:#)");
      } else if (!p.isUp()) {
        reasons.add("path " + p.device().get() + " (" + p.hctl().map(Object::toString).orElse("?") + ") is down: "
            + p.dmState().text() + " in device-mapper, checker " + p.checkerState().text()
            + p.deviceState().map(d -> ", device " + d.text()).orElse(""));
      }
    }
    return reasons;
  }

  /**
   * After the rescans: every path of the map up and of one size, not less than the map's (nor other
   * than expected). Returns that size.
   */
  private long checkPaths(MapName name, Wwid wwid, List<BlockDeviceName> devices, long mapSize) {
    String op = "grow multipath map " + name + " on " + mp.host().name();
    MapTopology listed = mp.tools().topology(name).orElseThrow(() -> new MidplaneException(
        name + " vanished from " + mp.host().name() + " while it was being grown"));
    List<String> reasons = new ArrayList<>(downReasons(listed.paths()));
    List<ScsiPath> lunPaths = mp.sysfs().pathsTo(wwid);
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (BlockDeviceName d : devices) {
      Optional<ScsiPath> p = lunPaths.stream().filter(x -> x.device().equals(d)).findFirst();
      if (p.isEmpty()) {
        reasons.add("path " + d + " vanished");
      } else {
        sizes.put(d + " (" + p.get().hctl() + ")", p.get().sizeBytes());
      }
    }
    if (!reasons.isEmpty()) {
      throw new UnsafeOperationException(op, reasons);
    }
    if (sizes.values().stream().distinct().count() != 1) {
      throw new UnsafeOperationException(op, "the paths report different sizes: " + sizes
          + " (rescan them again once the array shows the new size on every port)");
    }
    long size = sizes.values().iterator().next();
    if (size < mapSize) {
      throw new UnsafeOperationException(op, "the paths report " + size + " bytes, less than the map's " + mapSize
          + " bytes: refusing to shrink");
    }
    if (expected.isPresent() && size != expected.getAsLong()) {
      throw new UnsafeOperationException(op, "the paths report " + size + " bytes, not the expected "
          + expected.getAsLong() + " bytes: " + sizes);
    }
    return size;
  }

  /**
   * Grows the map; returns its status afterwards.
   *
   * @throws dev.midplane.core.plan.PlanFailedException when a step failed or refused (the cause is
   *     an {@link UnsafeOperationException} for a refusal)
   */
  public MultipathDeviceStatus call() {
    if (used) {
      throw new IllegalStateException("a ResizeCommand runs once");
    }
    used = true;
    try (HostLock l = HostLock.acquire(mp.host(), "multipath", mp.deadline())) {
      plan().apply();
    }
    return device.status();
  }
}
