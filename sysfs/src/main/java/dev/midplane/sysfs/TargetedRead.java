package dev.midplane.sysfs;

import dev.midplane.core.Host;
import dev.midplane.core.names.Wwid;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads of one LUN's devices instead of the whole host ({@link Sysfs#pathsTo}, {@link
 * Sysfs#multipathMapOf}, {@link Sysfs#multipathMap}, {@link Sysfs#dmDevice}, {@link
 * Sysfs#dmHoldersOf}): the devices that can be the answer are found
 * with one small read each, and only they are read in full, by the same code as a discovery, so the
 * answer is the one {@link Topology} gives for that LUN.
 *
 * <ul>
 *   <li>Paths: {@code /sys/dev/block} is listed; an entry with a SCSI disk major
 *       ({@code sd_major()}: 8, 65–71, 128–135) whose udev entry names another WWID in
 *       {@code ID_SERIAL} cannot be a path to the LUN (discovery takes the WWID from there); every
 *       other such entry is read as a discovery reads it, and its {@code holders/} listed.
 *   <li>Maps: {@code /sys/block} is listed; each {@code dm-N}'s {@code dm/uuid} (or {@code dm/name})
 *       is read, and the one that matches is read in full.
 *   <li>Holders: the device's {@code holders/} is listed (the kernel keeps it with the holders'
 *       {@code slaves/}, which is where discovery reads the relation).
 * </ul>
 */
final class TargetedRead {
  private final Host host;
  private final Path sys;
  private final Path udevData;
  private final SysfsReader reader = new SysfsReader(false, SysfsReader.NO_HOOK);
  private final Discoverer discoverer;

  TargetedRead(Host host) {
    this.host = host;
    this.sys = host.path("/sys");
    this.udevData = host.path("/run/udev/data");
    this.discoverer = new Discoverer(host, reader, 1);
  }

  /** True for the majors the kernel gives whole SCSI disks and their partitions. */
  static boolean isScsiDiskMajor(int major) {
    return major == 8 || (major >= 65 && major <= 71) || (major >= 128 && major <= 135);
  }

  List<ScsiPath> pathsTo(Wwid wwid) {
    Set<String> udev = discoverer.udevKeySet();
    List<String> candidates = new ArrayList<>();
    for (String entry : list(sys.resolve("dev/block"))) {
      DevNumber dev;
      try {
        dev = DevNumber.parse(entry);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (!isScsiDiskMajor(dev.major())) {
        continue;
      }
      if (udev.contains(dev.udevBlockKey()) && udevNamesAnother(dev, wwid)) {
        continue;
      }
      candidates.add(entry);
    }
    List<ScsiPath> out = new ArrayList<>();
    for (ScsiPath p : discoverer.scsiPathsOf(candidates, udev)) {
      if (p.wwid().filter(wwid::equals).isPresent()) {
        out.add(withHolders(p));
      }
    }
    out.sort(Comparator.comparing(ScsiPath::hctl));
    return out;
  }

  /** True when the device's udev entry gives it a valid WWID in {@code ID_SERIAL} other than {@code wwid}. */
  private boolean udevNamesAnother(DevNumber dev, Wwid wwid) {
    try {
      return reader.readIfPresent(udevData.resolve(dev.udevBlockKey()))
          .flatMap(e -> Discoverer.property(e, "ID_SERIAL")).filter(Wwid::isValid).map(Wwid::of)
          .filter(w -> !w.equals(wwid)).isPresent();
    } catch (IOException e) {
      return false; // read it in full: the discovery's way decides
    }
  }

  /** The path with the device-mapper devices in its {@code holders/}, as discovery mirrors them from their {@code slaves/}. */
  private ScsiPath withHolders(ScsiPath p) {
    List<BlockDeviceName> holders = dmHolders(p.device());
    return holders.isEmpty() ? p : ScsiPath.builder().from(p).holders(holders).build();
  }

  Optional<MultipathMap> multipathMapOf(Wwid wwid) {
    String uuid = "mpath-" + wwid.value();
    return dm("dm/uuid", uuid::equals).flatMap(MultipathMap::of).filter(m -> m.wwid().equals(wwid));
  }

  Optional<MultipathMap> multipathMap(String name) {
    return dmDevice(name).flatMap(MultipathMap::of);
  }

  Optional<DmDevice> dmDevice(String name) {
    return dm("dm/name", name::equals);
  }

  /** The device-mapper devices in {@code device}'s {@code holders/}, sorted; empty when it has none or is gone. */
  List<BlockDeviceName> dmHolders(BlockDeviceName device) {
    List<BlockDeviceName> holders = new ArrayList<>();
    for (String h : list(sys.resolve("block/" + device.value() + "/holders"))) {
      if (BlockDeviceName.isValid(h) && BlockDeviceName.of(h).isDeviceMapper()) {
        holders.add(BlockDeviceName.of(h));
      }
    }
    holders.sort(Discoverer::naturalOrder);
    return holders;
  }

  /**
   * The first device-mapper device, in the order of {@link Topology#dmDevices()}, whose
   * {@code attribute} passes {@code quick} and which, read in full, still does (device-mapper names
   * and uuids are unique, so there is at most one).
   */
  private Optional<DmDevice> dm(String attribute, Predicate<String> quick) {
    List<String> names = new ArrayList<>();
    for (String n : list(sys.resolve("block"))) {
      if (BlockDeviceName.isValid(n) && BlockDeviceName.of(n).isDeviceMapper()) {
        names.add(n);
      }
    }
    names.sort(Discoverer::naturalOrder);
    for (String n : names) {
      Optional<String> value = read("block/" + n + "/" + attribute);
      if (value.isEmpty() || !quick.test(value.get())) {
        continue;
      }
      Optional<String> dev = read("block/" + n + "/dev");
      if (dev.isEmpty()) {
        continue;
      }
      Optional<DmDevice> d = discoverer.dmDevicesOf(List.of(dev.get())).stream()
          .filter(x -> quick.test(attribute.equals("dm/name") ? x.name() : x.uuid().orElse(""))).findFirst();
      if (d.isPresent()) {
        return d;
      }
    }
    return Optional.empty();
  }

  /** An attribute, stripped; empty when the device vanished. */
  private Optional<String> read(String relativeToSys) {
    try {
      return reader.readIfPresent(sys.resolve(relativeToSys)).map(String::strip);
    } catch (IOException e) {
      throw new SysfsReadException(host, "/sys/" + relativeToSys, e);
    }
  }

  /** A directory's entries; empty when it does not exist (no such subsystem, a vanished device). */
  private List<String> list(Path dir) {
    try {
      return reader.list(dir);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new SysfsReadException(host, dir.toString(), e);
    }
  }
}
