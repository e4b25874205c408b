package dev.midplane.sysfs;

import dev.midplane.core.Host;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Wwid;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A host's {@code /sys} and {@code /proc}, typed: discovery of the storage and network topology,
 * the kernel's own files parsed, and the writes that scan, rescan and delete SCSI devices and
 * configure bonds. Everything goes through the {@link Host}: files are read under
 * {@link Host#root()} (the real {@code /}, a simulated kernel's directory, a remote host's SFTP
 * file system) and attributes are written with {@link Host#writeAttribute}, so a simulated kernel
 * sees and answers the writes, and a refusal carries the kernel's errno.
 *
 * <pre>{@code
 * Sysfs sysfs = Sysfs.on(host);
 * Topology t = sysfs.topology();
 * for (ScsiPath p : t.pathsTo(Wwid.of("36001405a1b2c3d4e5f60718293a4b5c6"))) { ... }
 * sysfs.scan(1);                                  // echo '- - -' > /sys/class/scsi_host/host1/scan
 * sysfs.rescan(BlockDeviceName.of("sdc"));        // echo 1 > /sys/block/sdc/device/rescan
 * sysfs.bonding().setActiveSlave(InterfaceName.of("bond0"), InterfaceName.of("eth1"));
 * }</pre>
 *
 * <p>Instances are cheap and stateless; every read is fresh.
 */
public final class Sysfs {
  private static final Pattern RPORT = Pattern.compile("rport-\\d{1,9}:\\d{1,9}-\\d{1,9}");

  /** Threads a discovery uses for the block devices of a large host: the processors, at most 4. */
  public static final int DEFAULT_PARALLELISM = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /** The two states a user may set on a SCSI device ({@code device/state}). */
  public enum DeviceState {
    RUNNING("running"),
    OFFLINE("offline");

    private final String text;

    DeviceState(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  private final Host host;

  private Sysfs(Host host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  /** The kernel interface of {@code host}. */
  public static Sysfs on(Host host) {
    return new Sysfs(host);
  }

  public Host host() {
    return host;
  }

  /** Discovers everything (storage and network), as {@code discover().call()}. */
  public Topology topology() {
    return discover().call();
  }

  /**
   * The SCSI paths to LUN {@code wwid}, sorted by H:C:T:L: what {@code topology().pathsTo(wwid)}
   * lists, each path with the same attributes and {@link ScsiPath#holders() holders} (the
   * device-mapper devices in its {@code holders/}, sorted by name, where a discovery lists them in
   * the order it met them), but read without discovering the host. Reads
   * {@code /sys/dev/block}, udev's entry of each SCSI disk, and in full only the disks whose WWID
   * may be {@code wwid}. Empty when the kernel sees no path to the LUN; a path that vanishes
   * meanwhile is left out.
   */
  public List<ScsiPath> pathsTo(Wwid wwid) {
    return new TargetedRead(host).pathsTo(Objects.requireNonNull(wwid, "wwid"));
  }

  /**
   * The multipath map of LUN {@code wwid} (the device-mapper device whose uuid is
   * {@code mpath-<wwid>}), whatever its name: what {@code topology().multipathMapOf(wwid)} gives,
   * read from {@code /sys/block/dm-*&#47;dm/uuid} and the matching device only. Empty when there
   * is none.
   */
  public Optional<MultipathMap> multipathMapOf(Wwid wwid) {
    return new TargetedRead(host).multipathMapOf(Objects.requireNonNull(wwid, "wwid"));
  }

  /**
   * The multipath map named {@code name} ({@code /dev/mapper/<name>}): what
   * {@code topology().multipathMap(name)} gives, read from {@code /sys/block/dm-*&#47;dm/name} and
   * the matching device only. Empty when there is none (or the device of that name is not a
   * multipath map).
   */
  public Optional<MultipathMap> multipathMap(String name) {
    return new TargetedRead(host).multipathMap(Objects.requireNonNull(name, "name"));
  }

  /**
   * The device-mapper device named {@code name} (its {@code dm/name}, the name in
   * {@code /dev/mapper}), whatever its kind: the one of {@code topology().dmDevices()} with that
   * name, read from {@code /sys/block/dm-*&#47;dm/name} and the matching device only.
   */
  public Optional<DmDevice> dmDevice(String name) {
    return new TargetedRead(host).dmDevice(Objects.requireNonNull(name, "name"));
  }

  /**
   * The device-mapper devices built on {@code device} (its {@code holders/}), sorted by name: the
   * devices of {@code topology().dmDevices()} whose slaves include it. Empty when there are none or
   * the device does not exist.
   */
  public List<BlockDeviceName> dmHoldersOf(BlockDeviceName device) {
    return new TargetedRead(host).dmHolders(Objects.requireNonNull(device, "device"));
  }

  /** A discovery to configure and {@link DiscoverCommand#call() call}: storage, network or both. */
  public DiscoverCommand discover() {
    return new DiscoverCommand(host);
  }

  /**
   * Reads and parses {@code /proc/net/bonding/<bond>}.
   *
   * @throws NotFoundException when the bond does not exist (or bonding is not loaded)
   * @throws SysfsParseException when the file is not in the kernel's format
   */
  public ProcBonding procBonding(InterfaceName bond) {
    String p = "/proc/net/bonding/" + bond.value();
    try {
      return ProcBonding.parse(Files.readString(host.path(p)));
    } catch (NoSuchFileException e) {
      throw new NotFoundException("bond", bond.value(), "no " + p + " on " + host.name());
    } catch (IOException e) {
      throw new SysfsReadException(host, p, e);
    }
  }

  /** {@code /proc/net/vlan/config}; empty when the 8021q module is not loaded (so no VLAN exists). */
  public Optional<VlanConfig> vlanConfig() {
    String p = "/proc/net/vlan/config";
    try {
      return Optional.of(VlanConfig.parse(Files.readString(host.path(p))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new SysfsReadException(host, p, e);
    }
  }

  /** {@code - - -} to {@code /sys/class/scsi_host/host<n>/scan}: adds every LUN the targets present. */
  public void scan(int scsiHost) {
    scan(scsiHost, ScanAddress.ALL);
  }

  /**
   * Writes {@code address} ({@code C T L}, {@code -} for wildcards) to the host's {@code scan}
   * attribute. Scanning adds devices; it never removes or resizes existing ones (see
   * {@link #rescan} and {@link #delete}).
   */
  public void scan(int scsiHost, ScanAddress address) {
    host.writeAttribute("/sys/class/scsi_host/host" + requireHost(scsiHost) + "/scan", address.render());
  }

  /** {@code 1} to {@code /sys/block/<device>/device/rescan}: the kernel re-reads the LUN's size. */
  public void rescan(BlockDeviceName device) {
    requireScsiDisk(device);
    host.writeAttribute("/sys/block/" + device.value() + "/device/rescan", "1");
  }

  /**
   * {@code 1} to {@code /sys/block/<device>/device/delete}: removes the SCSI device. Refuses, before
   * writing anything, when a device-mapper device still holds it ({@code holders/} is not empty):
   * remove the path from its multipath map first.
   *
   * @throws UnsafeOperationException when the device is held
   * @throws NotFoundException when the device does not exist
   */
  public void delete(BlockDeviceName device) {
    requireScsiDisk(device);
    List<String> holders = holders(device);
    if (!holders.isEmpty()) {
      throw new UnsafeOperationException("delete SCSI device " + device + " on " + host.name(),
          device + " is held by " + String.join(", ", holders) + "; remove it from the map first");
    }
    host.writeAttribute("/sys/block/" + device.value() + "/device/delete", "1");
  }

  /** Deletes the SCSI device even if a device-mapper device holds it (for a path already failed). */
  public void deleteEvenIfHeld(BlockDeviceName device) {
    requireScsiDisk(device);
    host.writeAttribute("/sys/block/" + device.value() + "/device/delete", "1");
  }

  /**
   * Sets a SCSI device {@code running} or {@code offline} ({@code device/state}). Refuses, before
   * writing anything, to take offline the last running path of a device-mapper device built on it:
   * I/O to the map would stop.
   *
   * @throws UnsafeOperationException when {@code device} is the last running path of a map
   */
  public void setDeviceState(BlockDeviceName device, DeviceState state) {
    requireScsiDisk(device);
    if (state == DeviceState.OFFLINE) {
      List<String> reasons = new ArrayList<>();
      for (String holder : holders(device)) {
        boolean another = false;
        for (String slave : list("/sys/block/" + holder + "/slaves")) {
          if (!slave.equals(device.value()) && "running".equals(readAttribute("/sys/block/" + slave + "/device/state"))) {
            another = true;
          }
        }
        if (!another) {
          reasons.add(device + " is the last running path of " + holder);
        }
      }
      if (!reasons.isEmpty()) {
        throw new UnsafeOperationException("take SCSI device " + device + " offline on " + host.name(), reasons);
      }
    }
    host.writeAttribute("/sys/block/" + device.value() + "/device/state", state.text());
  }

  /** Takes a SCSI device offline even if it is the last running path of a map. */
  public void setOfflineEvenIfLastPath(BlockDeviceName device) {
    requireScsiDisk(device);
    host.writeAttribute("/sys/block/" + device.value() + "/device/state", DeviceState.OFFLINE.text());
  }

  /** {@code 1} to {@code /sys/class/fc_host/host<n>/issue_lip}: the HBA logs into the fabric again. */
  public void issueLip(int fcHost) {
    host.writeAttribute("/sys/class/fc_host/host" + requireHost(fcHost) + "/issue_lip", "1");
  }

  /**
   * Sets a remote port's {@code dev_loss_tmo} (seconds the kernel keeps a lost port's devices).
   * Values above 600 need {@code fast_io_fail_tmo} set first.
   */
  public void setDevLossTmo(String remotePort, int seconds) {
    if (seconds <= 0) {
      throw new IllegalArgumentException("dev_loss_tmo must be > 0: " + seconds);
    }
    host.writeAttribute("/sys/class/fc_remote_ports/" + requireRport(remotePort) + "/dev_loss_tmo", Integer.toString(seconds));
  }

  /** Sets a remote port's {@code fast_io_fail_tmo} (seconds before I/O to a lost port fails), or {@code off}. */
  public void setFastIoFailTmo(String remotePort, OptionalInt seconds) {
    if (seconds.isPresent() && seconds.getAsInt() < 0) {
      throw new IllegalArgumentException("fast_io_fail_tmo must be >= 0: " + seconds.getAsInt());
    }
    host.writeAttribute("/sys/class/fc_remote_ports/" + requireRport(remotePort) + "/fast_io_fail_tmo",
        seconds.isPresent() ? Integer.toString(seconds.getAsInt()) : "off");
  }

  /** Bond configuration through sysfs. */
  public Bonding bonding() {
    return new Bonding(host);
  }

  private List<String> holders(BlockDeviceName device) {
    try {
      return list("/sys/block/" + device.value() + "/holders");
    } catch (NotFoundException e) {
      throw new NotFoundException("block device", device.value(), "no /sys/block/" + device + " on " + host.name());
    }
  }

  private List<String> list(String dir) {
    try (var s = Files.newDirectoryStream(host.path(dir))) {
      List<String> out = new ArrayList<>();
      s.forEach(x -> out.add(x.getFileName().toString()));
      out.sort(null);
      return out;
    } catch (NoSuchFileException e) {
      throw new NotFoundException("directory", dir, "on " + host.name());
    } catch (IOException e) {
      throw new SysfsReadException(host, dir, e);
    }
  }

  private String readAttribute(String file) {
    try {
      return Files.readString(host.path(file)).strip();
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new SysfsReadException(host, file, e);
    }
  }

  private static int requireHost(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("SCSI host numbers are >= 0: " + n);
    }
    return n;
  }

  private static void requireScsiDisk(BlockDeviceName device) {
    if (!device.isScsiDisk()) {
      throw new IllegalArgumentException(device + " is not a SCSI disk (sdX)");
    }
  }

  private static String requireRport(String rport) {
    if (!RPORT.matcher(rport).matches()) {
      throw new IllegalArgumentException("not a remote port name (rport-H:B-R): " + rport);
    }
    return rport;
  }

  /**
   * One discovery, configured then run once with {@link #call()}.
   *
   * <pre>{@code
   * Topology storageOnly = Sysfs.on(host).discover().network(false).call();
   * }</pre>
   */
  public static final class DiscoverCommand {
    private final Host host;
    private boolean storage = true;
    private boolean network = true;
    private boolean trackDuplicates;
    private int parallelism;
    private SysfsReader.Hook hook = SysfsReader.NO_HOOK;
    private boolean called;

    private DiscoverCommand(Host host) {
      this.host = host;
    }

    /** Whether to discover SCSI, FC, block and device-mapper devices (default yes). */
    public DiscoverCommand storage(boolean on) {
      storage = on;
      return this;
    }

    /** Whether to discover network devices, bonds, bridges and VLANs (default yes). */
    public DiscoverCommand network(boolean on) {
      network = on;
      return this;
    }

    /**
     * Whether to remember every path read so {@link DiscoveryStats#duplicateReads()} can count
     * repeated reads (costs a set of all paths; off by default).
     */
    public DiscoverCommand trackDuplicateReads(boolean on) {
      trackDuplicates = on;
      return this;
    }

    /**
     * How many threads read block devices at once; 1 reads in sequence. The default is
     * {@link Sysfs#DEFAULT_PARALLELISM} for a host whose files are local (the real {@code /} or a
     * simulated kernel's directory) and 1 for a remote host's file system. Hosts with fewer than a
     * few hundred block devices are always read in sequence. The result does not depend on it.
     */
    public DiscoverCommand parallelism(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("at least one thread: " + threads);
      }
      parallelism = threads;
      return this;
    }

    DiscoverCommand hook(SysfsReader.Hook h) {
      hook = h;
      return this;
    }

    /** Runs the discovery. A device that vanishes meanwhile is left out and listed in {@link Topology#skipped()}. */
    public Topology call() {
      if (called) {
        throw new IllegalStateException("a DiscoverCommand runs once; ask Sysfs.discover() for another");
      }
      called = true;
      int threads = parallelism > 0 ? parallelism
          : host.root().getFileSystem() == FileSystems.getDefault() ? DEFAULT_PARALLELISM : 1;
      return new Discoverer(host, new SysfsReader(trackDuplicates, hook), threads).discover(storage, network);
    }
  }
}
