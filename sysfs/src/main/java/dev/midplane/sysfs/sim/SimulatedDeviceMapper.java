package dev.midplane.sysfs.sim;

import dev.midplane.core.files.Errno;

import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.UdevEntry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The simulated kernel's device-mapper: what the {@code DM_*} ioctls do, for the multipath
 * module's simulated {@code dmsetup} and {@code multipath}. A device has a name, an optional uuid,
 * a live table (and possibly an inactive one loaded but not yet resumed), a suspended flag and an
 * open count (a running VM holds its disk open). The devices a table uses become its
 * {@code slaves/} (and the lower devices' {@code holders/}); the table's length its {@code size}.
 *
 * <p>Errors are the kernel's: {@code EBUSY} for a name or uuid in use and for removing a device
 * that is open or held, {@code ENXIO} for a device that does not exist or a table naming a block
 * device that does not exist, {@code EINVAL} for a malformed table.
 */
public final class SimulatedDeviceMapper {
  /**
   * The major number of device-mapper devices: dynamic in Linux, 254 on Debian 12's kernel (as the
   * real captures show; 253 on many other distributions).
   */
  public static final int MAJOR = 254;

  /** One line of a table: start and length in 512-byte sectors, target type and its parameters. */
  public record Target(long start, long length, String type, String params) {
    public Target {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(params, "params");
      if (start < 0 || length <= 0) {
        throw new IllegalArgumentException("start >= 0 and length > 0 required: " + start + " " + length);
      }
    }

    /** As {@code dmsetup table} prints it: {@code 0 2097152 multipath 0 1 alua ...}. */
    public String render() {
      return start + " " + length + " " + type + (params.isEmpty() ? "" : " " + params);
    }
  }

  /** A table: contiguous targets from sector 0. */
  public record Table(List<Target> targets) {
    public Table {
      targets = List.copyOf(targets);
    }

    /** One target covering {@code sectors}. */
    public static Table of(long sectors, String type, String params) {
      return new Table(List.of(new Target(0, sectors, type, params)));
    }

    public long sectors() {
      return targets.stream().mapToLong(Target::length).sum();
    }

    /** The block devices named in target parameters as {@code MAJ:MIN}, in order of appearance. */
    public List<DevNumber> devices() {
      Set<DevNumber> out = new LinkedHashSet<>();
      for (Target t : targets) {
        for (String w : t.params().split("\\s+")) {
          if (w.matches("\\d{1,9}:\\d{1,9}")) {
            out.add(DevNumber.parse(w));
          }
        }
      }
      return List.copyOf(out);
    }

    /** One target per line, as {@code dmsetup table} prints it. */
    public String render() {
      StringBuilder b = new StringBuilder();
      targets.forEach(t -> b.append(t.render()).append('\n'));
      return b.toString();
    }
  }

  /**
   * A device's state. {@code openCount} is what {@code dmsetup info} prints: the openers (a VM, a
   * mount) plus the devices built on this one (a kpartx partition map holds its multipath map).
   */
  public record Device(String name, Optional<String> uuid, BlockDeviceName kernelName, DevNumber dev, long sectors,
      boolean suspended, int openCount, Optional<Table> table, Optional<Table> inactiveTable,
      List<BlockDeviceName> slaves) {
    public Device {
      slaves = List.copyOf(slaves);
    }
  }

  private static final class Dm {
    String name;
    String uuid;
    int minor;
    Blocks.Disk disk;
    Table live;
    Table inactive;
    boolean suspended;
    int open;

    String dir() {
      return disk.sysDir;
    }
  }

  private final SimulatedKernel kernel;
  private final Tree tree;
  private final Blocks blocks;
  private final Map<String, Dm> byName = new TreeMap<>();
  private final BitSet minors = new BitSet();
  private int diskseq = 1000;

  SimulatedDeviceMapper(SimulatedKernel kernel, Tree tree, Blocks blocks) {
    this.kernel = kernel;
    this.tree = tree;
    this.blocks = blocks;
    tree.dir("dev/mapper");
    tree.dir("sys/devices/virtual/block");
  }

  /**
   * Creates a device and makes {@code table} live, as {@code dmsetup create} does.
   *
   * @throws KernelException EBUSY when the name or uuid is taken; ENXIO when the table names a
   *     missing device; EINVAL for a bad name or an empty table
   */
  public Device create(String name, Optional<String> uuid, Table table) {
    return kernel.locked(() -> {
      checkName(name);
      uuid.ifPresent(SimulatedDeviceMapper::checkUuid);
      if (byName.containsKey(name) || uuid.isPresent() && byName.values().stream().anyMatch(d -> uuid.get().equals(d.uuid))) {
        throw KernelException.of(Errno.EBUSY);
      }
      List<Blocks.Disk> lower = resolve(table);
      Dm d = new Dm();
      d.name = name;
      d.uuid = uuid.orElse(null);
      d.minor = minors.nextClearBit(0);
      minors.set(d.minor);
      d.live = table;
      String kname = "dm-" + d.minor;
      d.disk = new Blocks.Disk(kname, new DevNumber(MAJOR, d.minor), "sys/devices/virtual/block/" + kname);
      blocks.renderDisk(d.disk, table.sectors(), true, ++diskseq);
      tree.file(d.dir() + "/dm/name", name + "\n");
      tree.file(d.dir() + "/dm/uuid", (d.uuid == null ? "" : d.uuid) + "\n");
      tree.file(d.dir() + "/dm/suspended", "0\n");
      tree.file(d.dir() + "/dm/use_blk_mq", "1\n");
      tree.file(d.dir() + "/dm/rq_based_seq_io_merge_deadline", "0\n");
      blocks.publish(d.disk);
      for (Blocks.Disk l : lower) {
        blocks.hold(d.disk, l);
      }
      byName.put(name, d);
      udev(d);
      return snapshot(d);
    });
  }

  /** Loads {@code table} as the inactive table ({@code dmsetup reload}); {@link #resume} makes it live. */
  public void load(String name, Table table) {
    kernel.locked(() -> {
      Dm d = require(name);
      resolve(table);
      d.inactive = table;
      return null;
    });
  }

  /** Drops the inactive table, if any ({@code dmsetup clear}): a reload that will not be resumed. */
  public void clear(String name) {
    kernel.locked(() -> {
      require(name).inactive = null;
      return null;
    });
  }

  public void suspend(String name) {
    kernel.locked(() -> {
      Dm d = require(name);
      d.suspended = true;
      tree.update(d.dir() + "/dm/suspended", "1\n");
      return null;
    });
  }

  /** Swaps in the inactive table, if any (new size, new slaves), and resumes I/O. */
  public void resume(String name) {
    kernel.locked(() -> {
      Dm d = require(name);
      if (d.inactive != null) {
        List<Blocks.Disk> lower = resolve(d.inactive);
        for (String s : new ArrayList<>(d.disk.slaves)) {
          Blocks.Disk old = blocks.byName(s).orElse(null);
          if (old != null && !lower.contains(old)) {
            blocks.release(d.disk, old);
          }
        }
        for (Blocks.Disk l : lower) {
          blocks.hold(d.disk, l);
        }
        d.live = d.inactive;
        d.inactive = null;
        tree.update(d.dir() + "/size", d.live.sectors() + "\n");
      }
      d.suspended = false;
      tree.update(d.dir() + "/dm/suspended", "0\n");
      return null;
    });
  }

  /**
   * Removes a device ({@code dmsetup remove}).
   *
   * @throws KernelException EBUSY when it is open or another device is built on it; ENXIO when it does not exist
   */
  public void remove(String name) {
    kernel.locked(() -> {
      Dm d = require(name);
      if (d.open > 0 || !d.disk.holders.isEmpty()) {
        throw KernelException.of(Errno.EBUSY);
      }
      removeUdev(d);
      blocks.unpublish(d.disk);
      tree.removeTree(d.dir());
      byName.remove(name);
      minors.clear(d.minor);
      return null;
    });
  }

  /** Renames a device ({@code dmsetup rename}); EBUSY when the new name is taken. */
  public void rename(String name, String newName) {
    kernel.locked(() -> {
      checkName(newName);
      Dm d = require(name);
      if (byName.containsKey(newName)) {
        throw KernelException.of(Errno.EBUSY);
      }
      removeUdev(d);
      byName.remove(name);
      d.name = newName;
      byName.put(newName, d);
      tree.update(d.dir() + "/dm/name", newName + "\n");
      udev(d);
      return null;
    });
  }

  /** Something (a VM, a mount) opens the device. */
  public void open(String name) {
    kernel.locked(() -> {
      require(name).open++;
      return null;
    });
  }

  /** Closes one opener; EINVAL when nothing has it open. */
  public void close(String name) {
    kernel.locked(() -> {
      Dm d = require(name);
      if (d.open == 0) {
        throw KernelException.of(Errno.EINVAL, "not open");
      }
      d.open--;
      return null;
    });
  }

  public Optional<Device> device(String name) {
    return kernel.locked(() -> Optional.ofNullable(byName.get(name)).map(this::snapshot));
  }

  /** Every device, by name. */
  public List<Device> devices() {
    return kernel.locked(() -> byName.values().stream().map(this::snapshot).toList());
  }

  // ------------------------------------------------------------------ internals

  private Device snapshot(Dm d) {
    return new Device(d.name, Optional.ofNullable(d.uuid), BlockDeviceName.of(d.disk.name), d.disk.dev,
        d.live == null ? 0 : d.live.sectors(), d.suspended, d.open + d.disk.holders.size(), Optional.ofNullable(d.live),
        Optional.ofNullable(d.inactive), d.disk.slaves.stream().map(BlockDeviceName::of).toList());
  }

  private Dm require(String name) throws KernelException {
    Dm d = byName.get(name);
    if (d == null) {
      throw KernelException.of(Errno.ENXIO);
    }
    return d;
  }

  private List<Blocks.Disk> resolve(Table table) throws KernelException {
    if (table.targets().isEmpty()) {
      throw KernelException.of(Errno.EINVAL, "empty table");
    }
    long next = 0;
    for (Target t : table.targets()) {
      if (t.start() != next) {
        throw KernelException.of(Errno.EINVAL, "targets must be contiguous from sector 0");
      }
      next += t.length();
    }
    List<Blocks.Disk> out = new ArrayList<>();
    for (DevNumber n : table.devices()) {
      out.add(blocks.byDev(n).orElseThrow(() -> KernelException.of(Errno.ENXIO, "no block device " + n)));
    }
    return out;
  }

  private static void checkName(String name) throws KernelException {
    if (name == null || name.isEmpty() || name.length() > 127 || name.indexOf('/') >= 0 || name.equals(".")
        || name.equals("..")) {
      throw KernelException.of(Errno.EINVAL, "bad device-mapper name");
    }
  }

  private static void checkUuid(String uuid) throws KernelException {
    if (uuid.isEmpty() || uuid.length() > 128 || uuid.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw KernelException.of(Errno.EINVAL, "bad device-mapper uuid");
    }
  }

  private void udev(Dm d) {
    tree.link("dev/mapper/" + d.name, "dev/" + d.disk.name);
    if (!kernel.udevRunning()) {
      return;
    }
    UdevEntry.Builder e = UdevEntry.builder().symlink("disk/by-id/dm-name-" + d.name);
    if (d.uuid != null) {
      e.symlink("disk/by-id/dm-uuid-" + d.uuid);
    }
    e.initializedUsec(4_200_000L + kernel.clock().toNanos() / 1000).property("DM_UDEV_RULES_VSN", "2")
        .property("DM_NAME", d.name);
    if (d.uuid != null) {
      e.property("DM_UUID", d.uuid);
    }
    e.property("DM_SUSPENDED", "0").tag("systemd");
    tree.file("run/udev/data/" + d.disk.dev.udevBlockKey(), e.build().render());
    tree.link("dev/disk/by-id/dm-name-" + d.name, "dev/" + d.disk.name);
    if (d.uuid != null) {
      tree.link("dev/disk/by-id/dm-uuid-" + d.uuid, "dev/" + d.disk.name);
    }
  }

  private void removeUdev(Dm d) {
    tree.unlink("dev/mapper/" + d.name);
    tree.unlink("run/udev/data/" + d.disk.dev.udevBlockKey());
    tree.unlink("dev/disk/by-id/dm-name-" + d.name);
    if (d.uuid != null) {
      tree.unlink("dev/disk/by-id/dm-uuid-" + d.uuid);
    }
  }
}
