package dev.midplane.multipath;

import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.multipath.topology.PathGroup;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.ScsiPath;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/**
 * A multipath map at one moment ({@link MultipathDevice#status()}): what device-mapper, multipath
 * and the kernel's sysfs said about it. An immutable snapshot; ask the handle again for a fresh one.
 *
 * <p>Sources: the exact size and the holders come from sysfs, the open count and suspension from
 * {@code dmsetup info}, path groups with each path's device-mapper and checker states from
 * {@code multipath -ll <name>}, and {@link #scsiPaths()} — every SCSI device of the LUN the kernel
 * has, in the map or not, with its size as the kernel last read it — from sysfs.
 */
@Value.Immutable
public abstract class MultipathDeviceStatus {
  public abstract HostName host();

  /** The device-mapper name ({@code /dev/mapper/<name>}). */
  public abstract MapName name();

  public abstract Wwid wwid();

  /** {@code dm-N}. */
  public abstract BlockDeviceName dmDevice();

  public abstract DevNumber deviceNumber();

  /** The map's size in bytes (its table's length). */
  public abstract long sizeBytes();

  /** How many openers hold the map (a running VM, a mount, a map built on it). */
  public abstract int openCount();

  /** The device-mapper devices built on the map (kpartx partitions, LVM volumes). */
  public abstract List<BlockDeviceName> holders();

  public abstract boolean suspended();

  /** The table's features as multipath prints them ({@code 0}, {@code 1 queue_if_no_path}). */
  public abstract String features();

  /** The hardware handler as multipath prints it ({@code 0}, {@code 1 alua}). */
  public abstract String hardwareHandler();

  /** The path groups in table order, each path with its device-mapper and checker states. */
  public abstract List<PathGroup> pathGroups();

  /** The kernel's SCSI devices of this LUN, in the map or not, by H:C:T:L. */
  public abstract List<ScsiPath> scsiPaths();

  /** The name as an alias, unless the map is named by its WWID. */
  public Optional<MultipathAlias> alias() {
    return name().value().equals(wwid().value()) ? Optional.empty() : name().asAlias();
  }

  /** Every path of the map, group by group. */
  public List<MultipathPath> paths() {
    return pathGroups().stream().flatMap(g -> g.paths().stream()).toList();
  }

  /** The paths device-mapper uses and whose checker says they carry I/O. */
  public List<MultipathPath> upPaths() {
    return paths().stream().filter(MultipathPath::isUp).toList();
  }

  /** The paths of the map that cannot carry I/O now. */
  public List<MultipathPath> downPaths() {
    return paths().stream().filter(p -> !p.isUp()).toList();
  }

  /** The LUN's SCSI devices the map does not use. */
  public List<ScsiPath> pathsOutsideMap() {
    Set<BlockDeviceName> in = paths().stream().flatMap(p -> p.device().stream()).collect(Collectors.toSet());
    return scsiPaths().stream().filter(p -> !in.contains(p.device())).toList();
  }

  public boolean isOpen() {
    return openCount() > 0;
  }

  /**
   * True when the map has lost its redundancy: a path is down, or fewer than two paths are up
   * (midplane's maps are meant to reach their LUN over two paths at least).
   */
  public boolean isDegraded() {
    return !downPaths().isEmpty() || upPaths().size() < 2;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MultipathDeviceStatus}. */
  public static final class Builder extends ImmutableMultipathDeviceStatus.Builder {}
}
