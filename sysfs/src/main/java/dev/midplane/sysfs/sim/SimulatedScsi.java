package dev.midplane.sysfs.sim;

import dev.midplane.core.files.Errno;

import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.UdevEntry;
import dev.midplane.sysfs.Wwn;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simulated kernel's SCSI midlayer and FC transport: SCSI hosts (FC HBA ports, plain
 * controllers and the scsi_debug driver's hosts), remote ports, targets and LUNs as {@code sdX}
 * disks, laid out as a QLogic HBA's are
 * ({@code /sys/devices/pci0000:00/0000:00:03.0/0000:06:00.0/host1/rport-1:0-0/target1:0:0/1:0:0:0/block/sda})
 * or, for scsi_debug, on the pseudo bus ({@code /sys/devices/pseudo_0/adapter0/host0/target0:0:0/0:0:0:0/block/sda}),
 * with the class and bus links, the real attribute formats and udev's database entries.
 *
 * <p>Obtained from {@link SimulatedKernel#scsi()}. Operators act through sysfs writes
 * ({@code scan}, {@code rescan}, {@code delete}, {@code state}, {@code issue_lip},
 * {@code dev_loss_tmo}, {@code fast_io_fail_tmo}, scsi_debug's {@code virtual_gb} and
 * {@code add_host}); this class adds the hardware (HBAs, {@link #loadScsiDebug the scsi_debug
 * driver}), lets simulated tools read the kernel's state without parsing files, and tells
 * {@link DiskListener listeners} what happens to disks, as udev tells daemons. A targeted scan
 * outside a host's channels, targets or LUNs is refused with EINVAL, as Linux refuses it.
 *
 * <p>Known difference: Linux has an {@code access_state} attribute for every SCSI device and
 * refuses to read it (EINVAL) until a device handler with access states is attached; here the
 * attribute is absent until then (a file cannot refuse a read). Discovery treats both the same.
 */
public final class SimulatedScsi {
  /**
   * A SCSI disk as the kernel has it. {@code targetPort} is the FC remote port's WWPN, empty for a
   * host without FC transport; {@code accessState} is what {@code access_state} shows.
   */
  public record Disk(BlockDeviceName name, DevNumber dev, Hctl hctl, Wwid wwid, String sysfsWwid, long sizeBytes,
      String state, String vendor, String model, String revision, Optional<String> accessState,
      Optional<Wwn> targetPort, Set<String> holders) {
    public Disk {
      holders = Set.copyOf(holders);
    }
  }

  /** An HBA port. */
  public record Hba(int hostNumber, Wwn portName, Wwn nodeName, String fabric, String portState) {}

  static final String PROC_NAME = "qla2xxx";
  private static final long BOOT_USEC = 4_200_000L;

  private final SimulatedKernel kernel;
  private final Tree tree;
  private final Blocks blocks;
  private final SimulatedSan san;
  private final int bay;
  private final Map<Integer, HostState> hosts = new TreeMap<>();
  private final BitSet sdIndices = new BitSet();
  private final Map<String, Deque<String>> byIdLinks = new HashMap<>();
  private final List<DiskListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private int nextHost;
  private int diskseq = 10;
  /** The loaded scsi_debug driver's parameters, or null; and its {@code virtual_gb}. */
  private SimulatedScsiDebug debug;
  private int virtualGb;
  private int nextAdapter;

  /**
   * Hears what happens to SCSI disks, the way a daemon listening to udev does: for simulated
   * programs that react to uevents (multipathd adds a new path to its map and drops a removed one).
   * Called synchronously, under the kernel's lock, after the change is visible in the tree; a
   * listener may use the kernel's Java API but must not block.
   */
  public interface DiskListener {
    /** A disk appeared (scan, login of a remote port). */
    default void added(Disk disk) {}

    /** A disk is gone (delete, dev_loss_tmo); {@code disk} is its last state. */
    default void removed(Disk disk) {}

    /** A disk's size or state changed (rescan, state write, transport events). */
    default void changed(Disk disk) {}
  }

  private static final class HostState {
    int number;
    String procName;
    String dir; // sys/devices/.../hostN
    String pci;
    Wwn wwpn;
    Wwn wwnn;
    String fabric;
    boolean linkUp;
    /** The Scsi_Host limits a targeted scan is checked against ({@code scsi_scan_host_selected}). */
    int maxChannel;
    int maxId;
    long maxLun;
    /** INQUIRY identity of the LUNs behind this host. */
    String vendor;
    String product;
    String revision;
    /** A host of the scsi_debug driver: LUNs from the driver's store, targets on the pseudo bus. */
    boolean debug;
    int adapter;
    final Map<Wwn, Rport> rports = new java.util.LinkedHashMap<>();
    int nextRport;
    int nextTarget;
  }

  private static final class Rport {
    HostState host;
    int number;
    Wwn wwpn;
    Wwn wwnn;
    String portId;
    int target;
    String state = "Online";
    int devLossTmo = 60;
    Integer fastIoFailTmo;
    Duration blockedAt;
    boolean fastIoFailed;
    final Map<Long, Sdev> devices = new TreeMap<>();
    /** A target of a host without transport class (scsi_debug): its directory sits under the host. */
    boolean pseudo;

    String name() {
      return "rport-" + host.number + ":0-" + number;
    }

    String dir() {
      return pseudo ? host.dir : host.dir + "/" + name();
    }

    String targetDir() {
      return dir() + "/target" + host.number + ":0:" + target;
    }
  }

  private static final class Sdev {
    Rport rport;
    Hctl hctl;
    SimulatedSan.Lun lun;
    long sectors;
    String state = "running";
    int index;
    Blocks.Disk disk;
    String dir;
    List<String> byId = List.of();
    String byPath;
  }

  SimulatedScsi(SimulatedKernel kernel, Tree tree, Blocks blocks, SimulatedSan san, int bay) {
    this.kernel = kernel;
    this.tree = tree;
    this.blocks = blocks;
    this.san = san;
    this.bay = bay;
    tree.dir("sys/bus/scsi/devices");
    tree.dir("sys/bus/scsi/drivers/sd");
    tree.dir("sys/class/scsi_host");
    tree.dir("sys/class/scsi_device");
    tree.dir("sys/class/scsi_disk");
    tree.dir("sys/class/fc_host");
    tree.dir("sys/class/fc_remote_ports");
    tree.dir("sys/class/fc_transport");
    tree.dir("sys/class/block");
    tree.dir("sys/block");
    tree.dir("sys/dev/block");
    tree.dir("run/udev/data");
    tree.dir("dev/disk/by-id");
    tree.dir("dev/disk/by-path");
  }

  // ------------------------------------------------------------------ public API

  /**
   * Adds a plain SCSI controller with nothing attached (a blade's SATA controller, say).
   *
   * @return its host number
   */
  public int addHost(String procName) {
    return kernel.locked(() -> {
      HostState h = new HostState();
      h.number = nextHost++;
      h.procName = procName;
      // libata's limits (ata_scsi_add_hosts)
      h.maxChannel = 1;
      h.maxId = 16;
      h.maxLun = 1;
      h.pci = "0000:00:1f." + (2 + h.number);
      h.dir = "sys/devices/pci0000:00/" + h.pci + "/ata" + (h.number + 1) + "/host" + h.number;
      renderHost(h);
      hosts.put(h.number, h);
      return h.number;
    });
  }

  /**
   * Adds an FC HBA port on {@code fabric} ({@code A} or {@code B} on the default array): it gets a
   * WWPN from the array, logs in, finds the array's target ports on its fabric and scans the LUNs
   * presented to it, as an HBA does at boot.
   *
   * @return its host number
   */
  public int addFcHba(String fabric) {
    return kernel.locked(() -> {
      HostState h = new HostState();
      h.number = nextHost++;
      h.procName = PROC_NAME;
      h.fabric = fabric;
      // qla2xxx's limits: one bus, max_fibre_devices targets, ql2xmaxlun LUNs
      h.maxChannel = 0;
      h.maxId = 2048;
      h.maxLun = 65535;
      h.vendor = san.vendor();
      h.product = san.product();
      h.revision = san.revision();
      h.wwpn = san.registerInitiator(fabric, bay);
      h.wwnn = new Wwn(h.wwpn.bits() & ~0x0f00000000000000L | 0x0200000000000000L);
      int port = (int) hosts.values().stream().filter(x -> x.wwpn != null).count();
      h.pci = String.format(Locale.ROOT, "0000:%02x:00.%d", 6 + port / 2, port % 2);
      h.dir = "sys/devices/pci0000:00/0000:00:03.0/" + h.pci + "/host" + h.number;
      renderHost(h);
      hosts.put(h.number, h);
      fabricChanged();
      return h.number;
    });
  }

  /** Registers a listener for disk events (see {@link DiskListener}). */
  public void addListener(DiskListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(DiskListener listener) {
    listeners.remove(listener);
  }

  /**
   * Loads the scsi_debug driver with {@code params} (see {@link SimulatedScsiDebug}): its SCSI hosts
   * appear and their LUNs are scanned, and {@code /sys/bus/pseudo/drivers/scsi_debug} offers
   * {@code virtual_gb} and {@code add_host}.
   *
   * @return the new hosts' numbers
   * @throws IllegalStateException when the driver is loaded already
   */
  public List<Integer> loadScsiDebug(SimulatedScsiDebug params) {
    return kernel.locked(() -> {
      if (debug != null) {
        throw new IllegalStateException("scsi_debug is loaded already");
      }
      debug = params;
      String drv = "sys/bus/pseudo/drivers/scsi_debug";
      tree.dir("sys/devices/pseudo_0");
      tree.file("sys/devices/pseudo_0/uevent", "");
      tree.attr(drv + "/add_host", "0\n", this::addHostWrite);
      tree.attr(drv + "/virtual_gb", "0\n", this::virtualGbWrite);
      tree.file(drv + "/dev_size_mb", params.devSizeMb() + "\n");
      tree.file(drv + "/num_tgts", params.numTgts() + "\n");
      tree.file(drv + "/max_luns", params.maxLuns() + "\n");
      tree.file(drv + "/vpd_use_hostno", "0\n");
      tree.file(drv + "/per_host_store", "0\n");
      tree.file(drv + "/sector_size", "512\n");
      List<Integer> added = new ArrayList<>();
      for (int i = 0; i < params.addHost(); i++) {
        added.add(addDebugHost());
      }
      return added;
    });
  }

  /**
   * True when a TEST UNIT READY sent to {@code disk} now would succeed: the device is running, its
   * remote port is online and the array still presents the LUN there (what a path checker finds).
   */
  public boolean isResponsive(BlockDeviceName disk) {
    return kernel.locked(() -> {
      Sdev d = find(disk);
      if (d == null || !d.state.equals("running") || !d.rport.state.equals("Online")) {
        return false;
      }
      if (d.rport.pseudo) {
        return true;
      }
      return san.snapshot().lunAt(d.rport.host.wwpn, d.rport.wwpn, d.hctl.lun())
          .filter(l -> l.wwid().equals(d.lun.wwid())).isPresent();
    });
  }

  /**
   * The ALUA state a REPORT TARGET PORT GROUPS sent to {@code disk} answers (what multipath's
   * {@code alua} prioritizer asks, through sg, whether or not a device handler is attached); empty
   * for a LUN without ALUA or a disk that does not exist.
   */
  public Optional<String> targetPortGroupState(BlockDeviceName disk) {
    return kernel.locked(() -> {
      Sdev d = find(disk);
      if (d == null) {
        return Optional.<String>empty();
      }
      if (d.rport.pseudo) {
        return Optional.of(SimulatedScsiDebug.ACCESS_STATES[d.rport.host.number % SimulatedScsiDebug.ACCESS_STATES.length]);
      }
      return accessState(d.rport, san.snapshot());
    });
  }

  private Sdev find(BlockDeviceName disk) {
    for (HostState h : hosts.values()) {
      for (Rport r : h.rports.values()) {
        for (Sdev s : r.devices.values()) {
          if (s.disk.name.equals(disk.value())) {
            return s;
          }
        }
      }
    }
    return null;
  }

  public List<Hba> hbas() {
    return kernel.locked(() -> hosts.values().stream().filter(h -> h.wwpn != null)
        .map(h -> new Hba(h.number, h.wwpn, h.wwnn, h.fabric, h.linkUp ? "Online" : "Linkdown")).toList());
  }

  /** The WWPNs of this host's HBA ports: what the array masks LUNs to. */
  public List<Wwn> initiatorPorts() {
    return hbas().stream().map(Hba::portName).toList();
  }

  /** Every SCSI disk, by H:C:T:L. */
  public List<Disk> disks() {
    return kernel.locked(() -> {
      List<Disk> out = new ArrayList<>();
      for (HostState h : hosts.values()) {
        for (Rport r : h.rports.values()) {
          for (Sdev s : r.devices.values()) {
            out.add(snapshot(s));
          }
        }
      }
      out.sort((a, b) -> a.hctl().compareTo(b.hctl()));
      return out;
    });
  }

  public Optional<Disk> disk(BlockDeviceName name) {
    return disks().stream().filter(d -> d.name().equals(name)).findFirst();
  }

  public Optional<Disk> disk(DevNumber dev) {
    return disks().stream().filter(d -> d.dev().equals(dev)).findFirst();
  }

  // ------------------------------------------------------------------ scsi_debug

  /** A host of the loaded scsi_debug driver, with its targets, whose LUNs are scanned at once. */
  private int addDebugHost() {
    HostState h = new HostState();
    h.number = nextHost++;
    h.procName = SimulatedScsiDebug.PRODUCT;
    h.debug = true;
    h.adapter = nextAdapter++;
    // sdebug_driver_probe: one channel, num_tgts targets, LUNs up to the REPORT LUNS well-known LUN
    h.maxChannel = 0;
    h.maxId = debug.numTgts();
    h.maxLun = 0xc101 + 1;
    h.vendor = SimulatedScsiDebug.VENDOR;
    h.product = SimulatedScsiDebug.PRODUCT;
    h.revision = SimulatedScsiDebug.REVISION;
    String adapter = "sys/devices/pseudo_0/adapter" + h.adapter;
    h.dir = adapter + "/host" + h.number;
    tree.file(adapter + "/uevent", "DRIVER=scsi_debug\n");
    tree.link(adapter + "/subsystem", "sys/bus/pseudo");
    tree.link(adapter + "/driver", "sys/bus/pseudo/drivers/scsi_debug");
    renderHost(h);
    hosts.put(h.number, h);
    tree.link("sys/bus/pseudo/devices/adapter" + h.adapter, adapter);
    tree.link("sys/bus/pseudo/drivers/scsi_debug/adapter" + h.adapter, adapter);
    for (int t = 0; t < debug.numTgts(); t++) {
      Rport r = new Rport();
      r.host = h;
      r.pseudo = true;
      r.number = t;
      r.target = t;
      h.rports.put(new Wwn(t), r); // keyed like FC ports; a pseudo target has no WWPN
      scanRport(r, san.snapshot(), null);
    }
    updateDebugHostCount();
    return h.number;
  }

  /** The newest scsi_debug host goes, with its devices, as {@code add_host=-1} does. */
  private void removeDebugHost() {
    HostState h = hosts.values().stream().filter(x -> x.debug).reduce((a, b) -> b).orElse(null);
    if (h == null) {
      return;
    }
    for (Rport r : h.rports.values()) {
      for (Sdev d : new ArrayList<>(r.devices.values())) {
        removeSdev(d);
      }
    }
    String adapter = "sys/devices/pseudo_0/adapter" + h.adapter;
    tree.unlink("sys/bus/pseudo/drivers/scsi_debug/adapter" + h.adapter);
    tree.unlink("sys/bus/pseudo/devices/adapter" + h.adapter);
    tree.unlink("sys/bus/scsi/devices/host" + h.number);
    tree.unlink("sys/class/scsi_host/host" + h.number);
    tree.removeTree(adapter);
    hosts.remove(h.number);
    updateDebugHostCount();
  }

  private void updateDebugHostCount() {
    tree.update("sys/bus/pseudo/drivers/scsi_debug/add_host", hosts.values().stream().filter(x -> x.debug).count() + "\n");
  }

  /** As {@code add_host_store}: a positive count adds hosts, a negative one removes the newest. */
  private void addHostWrite(String value) throws KernelException {
    int n;
    try {
      n = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw KernelException.of(Errno.EINVAL);
    }
    for (int i = 0; i < n; i++) {
      addDebugHost();
    }
    for (int i = 0; i > n; i--) {
      removeDebugHost();
    }
  }

  /** As {@code virtual_gb_store}: the new capacity, which hosts read at their next rescan. */
  private void virtualGbWrite(String value) throws KernelException {
    int n;
    try {
      n = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw KernelException.of(Errno.EINVAL);
    }
    if (n < 0) {
      throw KernelException.of(Errno.EINVAL);
    }
    virtualGb = n;
    tree.update("sys/bus/pseudo/drivers/scsi_debug/virtual_gb", n + "\n");
  }

  /** The LUN a scsi_debug target presents at {@code lun}, as the driver's store has it now. */
  private SimulatedSan.Lun debugLun(int target, long lun) {
    String id = Long.toString(SimulatedScsiDebug.deviceId(target, lun));
    return new SimulatedSan.Lun(SimulatedScsiDebug.wwid(target, lun), SimulatedScsiDebug.sysfsWwid(target, lun), id, lun,
        debug.sizeBytes(virtualGb), Set.of());
  }

  /** A device's ALUA access state as {@code access_state} shows it: the array port's, or scsi_debug's by host number. */
  private Optional<String> accessState(Rport r, SimulatedSan.Snapshot s) {
    if (r.pseudo) {
      return debug.aluaHandler()
          ? Optional.of(SimulatedScsiDebug.ACCESS_STATES[r.host.number % SimulatedScsiDebug.ACCESS_STATES.length])
          : Optional.empty();
    }
    return s.ports().stream().filter(p -> p.wwpn().equals(r.wwpn)).findFirst().flatMap(SimulatedSan.TargetPort::accessState);
  }

  private void fire(java.util.function.BiConsumer<DiskListener, Disk> event, Disk disk) {
    for (DiskListener l : listeners) {
      event.accept(l, disk);
    }
  }

  // ------------------------------------------------------------------ kernel side

  /** Re-reads the fabric: logs remote ports in, blocks lost ones, scans new or returned ones. */
  void fabricChanged() {
    SimulatedSan.Snapshot s = san.snapshot();
    for (HostState h : hosts.values()) {
      if (h.wwpn == null) {
        continue;
      }
      boolean up = s.linkUp(h.wwpn);
      if (up != h.linkUp) {
        h.linkUp = up;
        tree.update(fcHostDir(h) + "/port_state", (up ? "Online" : "Linkdown") + "\n");
        tree.update(fcHostDir(h) + "/speed", (up ? "16 Gbit" : "unknown") + "\n");
      }
      for (SimulatedSan.TargetPort p : s.portsOn(h.fabric)) {
        boolean reachable = s.reachable(h.wwpn, p.wwpn());
        Rport r = h.rports.get(p.wwpn());
        if (reachable) {
          if (r == null) {
            r = newRport(h, p);
            scanRport(r, s, null);
          } else if (r.state.equals("Blocked")) {
            unblock(r);
            scanRport(r, s, null); // fc_remote_port_add() queues a scan of a port that logs in again
          } else if (r.state.equals("Not Present")) {
            setRportState(r, "Online");
            scanRport(r, s, null);
          }
        } else if (r != null && r.state.equals("Online")) {
          block(r);
        }
      }
    }
  }

  Optional<Duration> nextDeadline() {
    Duration best = null;
    for (HostState h : hosts.values()) {
      for (Rport r : h.rports.values()) {
        if (!r.state.equals("Blocked")) {
          continue;
        }
        Duration loss = r.blockedAt.plusSeconds(r.devLossTmo);
        best = min(best, loss);
        if (r.fastIoFailTmo != null && !r.fastIoFailed) {
          best = min(best, r.blockedAt.plusSeconds(r.fastIoFailTmo));
        }
      }
    }
    return Optional.ofNullable(best);
  }

  void onTime(Duration now) {
    for (HostState h : hosts.values()) {
      for (Rport r : new ArrayList<>(h.rports.values())) {
        if (!r.state.equals("Blocked")) {
          continue;
        }
        if (r.fastIoFailTmo != null && !r.fastIoFailed && !now.minus(r.blockedAt).minusSeconds(r.fastIoFailTmo).isNegative()) {
          r.fastIoFailed = true;
          for (Sdev d : r.devices.values()) {
            setState(d, "blocked", "transport-offline");
          }
        }
        if (!now.minus(r.blockedAt).minusSeconds(r.devLossTmo).isNegative()) {
          for (Sdev d : new ArrayList<>(r.devices.values())) {
            removeSdev(d);
          }
          setRportState(r, "Not Present");
        }
      }
    }
  }

  // ------------------------------------------------------------------ rendering and state changes

  private static Duration min(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }

  private static String fcHostDir(HostState h) {
    return h.dir + "/fc_host/host" + h.number;
  }

  private void renderHost(HostState h) {
    String sh = h.dir + "/scsi_host/host" + h.number;
    tree.file(h.dir + "/uevent", "DEVTYPE=scsi_host\n");
    tree.link(h.dir + "/subsystem", "sys/bus/scsi");
    tree.file(sh + "/proc_name", h.procName + "\n");
    tree.file(sh + "/state", "running\n");
    tree.file(sh + "/unique_id", (h.number + 1) + "\n");
    tree.file(sh + "/host_busy", "0\n");
    tree.file(sh + "/can_queue", "2048\n");
    tree.file(sh + "/cmd_per_lun", "3\n");
    tree.file(sh + "/active_mode", "Initiator\n");
    tree.file(sh + "/supported_mode", "Initiator\n");
    tree.file(sh + "/uevent", "");
    tree.link(sh + "/device", h.dir);
    tree.link(sh + "/subsystem", "sys/class/scsi_host");
    tree.writeOnly(sh + "/scan", v -> scanWrite(h, v));
    if (h.wwpn != null) {
      String fc = fcHostDir(h);
      tree.file(fc + "/port_name", h.wwpn.sysfs() + "\n");
      tree.file(fc + "/node_name", h.wwnn.sysfs() + "\n");
      tree.file(fc + "/port_id", String.format(Locale.ROOT, "0x%02x%02x00\n", h.fabric.hashCode() & 0x3f, 0x20 + bay));
      tree.file(fc + "/port_type", "NPort (fabric via point-to-point)\n");
      tree.file(fc + "/port_state", "Linkdown\n");
      tree.file(fc + "/speed", "unknown\n");
      tree.file(fc + "/supported_speeds", "4 Gbit, 8 Gbit, 16 Gbit\n");
      tree.file(fc + "/fabric_name", String.format(Locale.ROOT, "0x10000005%08x\n", h.fabric.hashCode()));
      tree.file(fc + "/symbolic_name", "QLE2672 FW:v8.07.00 DVR:v10.02.07.900-k\n");
      tree.file(fc + "/tgtid_bind_type", "wwpn (World Wide Port Name)\n");
      tree.file(fc + "/dev_loss_tmo", "60\n");
      tree.file(fc + "/uevent", "");
      tree.link(fc + "/device", h.dir);
      tree.link(fc + "/subsystem", "sys/class/fc_host");
      tree.writeOnly(fc + "/issue_lip", v -> fabricChanged());
      tree.link("sys/class/fc_host/host" + h.number, fc);
    }
    tree.link("sys/class/scsi_host/host" + h.number, sh);
    tree.link("sys/bus/scsi/devices/host" + h.number, h.dir);
  }

  private Rport newRport(HostState h, SimulatedSan.TargetPort p) {
    Rport r = new Rport();
    r.host = h;
    r.number = h.nextRport++;
    r.wwpn = p.wwpn();
    r.wwnn = p.wwnn();
    r.portId = p.portId();
    r.target = h.nextTarget++;
    h.rports.put(p.wwpn(), r);
    String d = r.dir();
    String fc = d + "/fc_remote_ports/" + r.name();
    tree.file(d + "/uevent", "");
    tree.file(fc + "/port_name", r.wwpn.sysfs() + "\n");
    tree.file(fc + "/node_name", r.wwnn.sysfs() + "\n");
    tree.file(fc + "/port_id", r.portId + "\n");
    tree.file(fc + "/roles", "FCP Target\n");
    tree.file(fc + "/port_state", "Online\n");
    tree.file(fc + "/scsi_target_id", r.target + "\n");
    tree.file(fc + "/supported_classes", "Class 3\n");
    tree.file(fc + "/maxframe_size", "2048 bytes\n");
    tree.attr(fc + "/dev_loss_tmo", r.devLossTmo + "\n", v -> devLossWrite(r, v));
    tree.attr(fc + "/fast_io_fail_tmo", "off\n", v -> fastIoFailWrite(r, v));
    tree.file(fc + "/uevent", "");
    tree.link(fc + "/device", d);
    tree.link(fc + "/subsystem", "sys/class/fc_remote_ports");
    tree.link("sys/class/fc_remote_ports/" + r.name(), fc);
    return r;
  }

  private void setRportState(Rport r, String state) {
    r.state = state;
    tree.update(r.dir() + "/fc_remote_ports/" + r.name() + "/port_state", state + "\n");
  }

  private void block(Rport r) {
    setRportState(r, "Blocked");
    r.blockedAt = kernel.clock();
    r.fastIoFailed = false;
    for (Sdev d : r.devices.values()) {
      setState(d, "running", "blocked");
    }
    if (r.fastIoFailTmo != null && r.fastIoFailTmo == 0) {
      r.fastIoFailed = true;
      for (Sdev d : r.devices.values()) {
        setState(d, "blocked", "transport-offline");
      }
    }
  }

  private void unblock(Rport r) {
    setRportState(r, "Online");
    r.blockedAt = null;
    for (Sdev d : r.devices.values()) {
      setState(d, "blocked", "running");
      setState(d, "transport-offline", "running");
    }
  }

  private void setState(Sdev d, String from, String to) {
    if (d.state.equals(from)) {
      d.state = to;
      tree.update(d.dir + "/state", to + "\n");
      fire(DiskListener::changed, snapshot(d));
    }
  }

  /** Adds the LUNs presented through {@code r} that are not there yet and match {@code only}. */
  private void scanRport(Rport r, SimulatedSan.Snapshot s, dev.midplane.sysfs.ScanAddress only) {
    if (!r.state.equals("Online")) {
      return;
    }
    List<SimulatedSan.Lun> luns = new ArrayList<>();
    if (r.pseudo) {
      for (int l = 0; l < debug.maxLuns(); l++) {
        luns.add(debugLun(r.target, l));
      }
    } else {
      luns.addAll(s.lunsFor(r.host.wwpn, r.wwpn));
    }
    for (SimulatedSan.Lun l : luns) {
      if (only != null && !only.matches(0, r.target, l.lunId())) {
        continue;
      }
      if (!r.devices.containsKey(l.lunId())) {
        addSdev(r, l, s);
      }
    }
  }

  private void addSdev(Rport r, SimulatedSan.Lun lun, SimulatedSan.Snapshot s) {
    HostState h = r.host;
    Sdev d = new Sdev();
    d.rport = r;
    d.hctl = Hctl.of(h.number, 0, r.target, lun.lunId());
    d.lun = lun;
    d.sectors = lun.sizeBytes() / 512;
    d.index = sdIndices.nextClearBit(0);
    sdIndices.set(d.index);
    String name = diskName(d.index);
    DevNumber dev = sdDevNumber(d.index);
    if (r.devices.isEmpty()) {
      String t = r.targetDir();
      String tname = t.substring(t.lastIndexOf('/') + 1);
      tree.file(t + "/uevent", "DEVTYPE=scsi_target\n");
      tree.link(t + "/subsystem", "sys/bus/scsi");
      tree.link("sys/bus/scsi/devices/" + tname, t);
    }
    if (r.devices.isEmpty() && !r.pseudo) {
      String t = r.targetDir();
      String tname = t.substring(t.lastIndexOf('/') + 1);
      String fct = t + "/fc_transport/" + tname;
      tree.file(fct + "/port_name", r.wwpn.sysfs() + "\n");
      tree.file(fct + "/node_name", r.wwnn.sysfs() + "\n");
      tree.file(fct + "/port_id", r.portId + "\n");
      tree.link(fct + "/device", t);
      tree.link(fct + "/subsystem", "sys/class/fc_transport");
      tree.link("sys/class/fc_transport/" + tname, fct);
    }
    d.dir = r.targetDir() + "/" + d.hctl;
    d.disk = new Blocks.Disk(name, dev, d.dir + "/block/" + name);
    Optional<String> alua = accessState(r, s);
    renderSdev(d, alua);
    blocks.renderDisk(d.disk, d.sectors, false, ++diskseq);
    tree.link(d.disk.sysDir + "/device", d.dir);
    udev(d, alua.isPresent() || r.pseudo);
    r.devices.put(lun.lunId(), d);
    blocks.publish(d.disk);
    tree.link("sys/bus/scsi/devices/" + d.hctl, d.dir);
    tree.link("sys/class/scsi_device/" + d.hctl, d.dir + "/scsi_device/" + d.hctl);
    tree.link("sys/class/scsi_disk/" + d.hctl, d.dir + "/scsi_disk/" + d.hctl);
    fire(DiskListener::added, snapshot(d));
  }

  private void renderSdev(Sdev d, Optional<String> alua) {
    String v = d.dir;
    HostState h = d.rport.host;
    tree.file(v + "/vendor", pad(h.vendor, 8) + "\n");
    tree.file(v + "/model", pad(h.product, 16) + "\n");
    tree.file(v + "/rev", pad(h.revision, 4) + "\n");
    tree.file(v + "/type", "0\n");
    tree.file(v + "/scsi_level", "7\n");
    tree.attr(v + "/state", d.state + "\n", val -> stateWrite(d, val));
    tree.file(v + "/device_blocked", "0\n");
    tree.file(v + "/queue_depth", "64\n");
    tree.file(v + "/timeout", "30\n");
    tree.file(v + "/eh_timeout", "10\n");
    tree.file(v + "/wwid", d.lun.sysfsWwid() + "\n");
    tree.file(v + "/modalias", "scsi:t-0x00\n");
    tree.file(v + "/uevent", "DEVTYPE=scsi_device\nDRIVER=sd\nMODALIAS=scsi:t-0x00\n");
    tree.file(v + "/dh_state", alua.isPresent() ? "alua\n" : "detached\n");
    // Linux has access_state for every device and refuses to read it (EINVAL) until a handler
    // with access states is attached; a file cannot refuse a read, so here it is absent instead.
    alua.ifPresent(a -> tree.file(v + "/access_state", a + "\n"));
    tree.bytes(v + "/inquiry", inquiry(h, alua.isPresent() || d.rport.pseudo));
    tree.writeOnly(v + "/rescan", val -> rescan(d));
    tree.writeOnly(v + "/delete", val -> removeSdev(d));
    tree.link(v + "/subsystem", "sys/bus/scsi");
    tree.link(v + "/driver", "sys/bus/scsi/drivers/sd");
    tree.link(v + "/scsi_device/" + d.hctl + "/device", v);
    tree.link(v + "/scsi_device/" + d.hctl + "/subsystem", "sys/class/scsi_device");
    tree.link(v + "/scsi_disk/" + d.hctl + "/device", v);
    tree.link(v + "/scsi_disk/" + d.hctl + "/subsystem", "sys/class/scsi_disk");
    tree.file(v + "/scsi_disk/" + d.hctl + "/cache_type", "write back\n");
    tree.file(v + "/scsi_disk/" + d.hctl + "/provisioning_mode", "full\n");
  }

  /** The standard INQUIRY data sysfs's {@code inquiry} returns (96 bytes, SPC-4, TPGS when ALUA). */
  private static byte[] inquiry(HostState h, boolean alua) {
    byte[] b = new byte[96];
    b[2] = 0x06;
    b[3] = 0x02;
    b[4] = (byte) (b.length - 5);
    b[5] = (byte) (alua ? 0x10 : 0x00);
    b[7] = 0x02;
    put(b, 8, pad(h.vendor, 8));
    put(b, 16, pad(h.product, 16));
    put(b, 32, pad(h.revision, 4));
    return b;
  }

  private static void put(byte[] b, int at, String s) {
    byte[] x = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(x, 0, b, at, x.length);
  }

  static String pad(String s, int n) {
    StringBuilder b = new StringBuilder(s);
    while (b.length() < n) {
      b.append(' ');
    }
    return b.toString();
  }

  /** udev's database entry and {@code /dev/disk} links, as systemd-udevd 252 writes them for an FC disk. */
  /**
   * udev's database entry and {@code /dev/disk} links, as systemd-udevd 252 writes them: for an FC
   * disk with a by-path link, for a scsi_debug disk (no transport, so no by-path) with the T10 and
   * NAA by-id links of a real capture.
   */
  private void udev(Sdev d, boolean alua) {
    if (!kernel.udevRunning()) {
      return;
    }
    SimulatedSan.Lun l = d.lun;
    HostState h = d.rport.host;
    String serial = l.wwid().value();
    String naa = l.sysfsWwid().startsWith("naa.") ? l.sysfsWwid().substring(4).toLowerCase(Locale.ROOT) : null;
    d.byPath = d.rport.pseudo ? null
        : "disk/by-path/pci-" + h.pci + "-fc-" + d.rport.wwpn.sysfs() + "-lun-" + l.lunId();
    List<String> ids = new ArrayList<>();
    ids.add("disk/by-id/scsi-" + serial);
    if (d.rport.pseudo) {
      ids.add("disk/by-id/scsi-S" + serial.substring(1));
      if (naa != null) {
        ids.add("disk/by-id/scsi-3" + naa);
      }
    }
    if (naa != null) {
      ids.add("disk/by-id/wwn-0x" + naa);
    }
    d.byId = ids;
    UdevEntry.Builder e = UdevEntry.builder();
    ids.forEach(e::symlink);
    if (d.byPath != null) {
      e.symlink(d.byPath);
    }
    e.initializedUsec(BOOT_USEC + kernel.clock().toNanos() / 1000);
    if (alua) {
      e.property("SCSI_TPGS", "1");
    }
    e.property("ID_SCSI", "1").property("ID_SCSI_INQUIRY", "1");
    e.property("ID_VENDOR", h.vendor.strip().replace(' ', '_')).property("ID_VENDOR_ENC", encode(pad(h.vendor, 8)));
    e.property("ID_MODEL", h.product.strip().replace(' ', '_')).property("ID_MODEL_ENC", encode(pad(h.product, 16)));
    e.property("ID_REVISION", h.revision.strip()).property("ID_TYPE", "disk");
    if (naa != null) {
      e.property("ID_WWN_WITH_EXTENSION", "0x" + naa).property("ID_WWN", "0x" + naa.substring(0, Math.min(16, naa.length())));
    }
    e.property("ID_BUS", "scsi").property("ID_SERIAL", serial).property("ID_SERIAL_SHORT", serial.substring(1))
        .property("ID_SCSI_SERIAL", l.serial());
    if (d.byPath != null) {
      String path = d.byPath.substring("disk/by-path/".length());
      e.property("ID_PATH", path).property("ID_PATH_TAG", path.replaceAll("[^0-9A-Za-z_-]", "_"));
    }
    e.property("DM_MULTIPATH_DEVICE_PATH", "0");
    e.tag("systemd");
    tree.file("run/udev/data/" + d.disk.dev.udevBlockKey(), e.build().render());
    for (String id : ids) {
      byIdLinks.computeIfAbsent(id, k -> new ArrayDeque<>()).addLast(d.disk.name);
      tree.link("dev/" + id, "dev/" + d.disk.name);
    }
    if (d.byPath != null) {
      tree.link("dev/" + d.byPath, "dev/" + d.disk.name);
    }
  }

  private static String encode(String s) {
    return s.replace(" ", "\\x20");
  }

  private void removeUdev(Sdev d) {
    tree.unlink("run/udev/data/" + d.disk.dev.udevBlockKey());
    if (d.byPath != null) {
      tree.unlink("dev/" + d.byPath);
    }
    for (String id : d.byId) {
      Deque<String> q = byIdLinks.get(id);
      if (q == null) {
        continue;
      }
      q.remove(d.disk.name);
      if (q.isEmpty()) {
        byIdLinks.remove(id);
        tree.unlink("dev/" + id);
      } else {
        tree.link("dev/" + id, "dev/" + q.peekLast());
      }
    }
  }

  private void removeSdev(Sdev d) {
    Rport r = d.rport;
    if (r.devices.get(d.hctl.lun()) != d) {
      return; // already gone
    }
    Disk last = snapshot(d);
    tree.unlink("sys/class/scsi_disk/" + d.hctl);
    tree.unlink("sys/class/scsi_device/" + d.hctl);
    tree.unlink("sys/bus/scsi/devices/" + d.hctl);
    blocks.unpublish(d.disk);
    removeUdev(d);
    tree.removeTree(d.dir);
    r.devices.remove(d.hctl.lun());
    sdIndices.clear(d.index);
    kernel.diskRemoved(d.disk.name);
    if (r.devices.isEmpty()) {
      String t = r.targetDir();
      tree.unlink("sys/bus/scsi/devices/" + t.substring(t.lastIndexOf('/') + 1));
      tree.unlink("sys/class/fc_transport/" + t.substring(t.lastIndexOf('/') + 1));
      tree.removeTree(t);
    }
    fire(DiskListener::removed, last);
  }

  private void rescan(Sdev d) {
    if (!d.rport.state.equals("Online") || d.state.equals("offline")) {
      return; // the READ CAPACITY cannot reach the LUN; the kernel keeps what it had
    }
    Optional<SimulatedSan.Lun> now = d.rport.pseudo ? Optional.of(debugLun(d.rport.target, d.hctl.lun()))
        : san.snapshot().lunAt(d.rport.host.wwpn, d.rport.wwpn, d.hctl.lun()).filter(l -> l.wwid().equals(d.lun.wwid()));
    if (now.isPresent() && now.get().sizeBytes() / 512 != d.sectors) {
      d.lun = now.get();
      d.sectors = now.get().sizeBytes() / 512;
      tree.update(d.disk.sysDir + "/size", d.sectors + "\n");
      fire(DiskListener::changed, snapshot(d));
    }
  }

  /**
   * As {@code store_scan} and {@code scsi_scan_host_selected}: an address beyond the host's
   * channels, targets or LUNs is refused with EINVAL before anything is scanned.
   */
  private void scanWrite(HostState h, String value) throws KernelException {
    dev.midplane.sysfs.ScanAddress a = parseScan(value);
    if (a.channel().isPresent() && a.channel().getAsInt() > h.maxChannel
        || a.target().isPresent() && a.target().getAsInt() >= h.maxId
        || a.lun().isPresent() && a.lun().getAsLong() >= h.maxLun) {
      throw KernelException.of(Errno.EINVAL);
    }
    if (h.wwpn == null && !h.debug) {
      return; // nothing is attached to a plain controller here
    }
    SimulatedSan.Snapshot s = san.snapshot();
    for (Rport r : new ArrayList<>(h.rports.values())) {
      if (a.target().isEmpty() || a.target().getAsInt() == r.target) {
        if (a.channel().isEmpty() || a.channel().getAsInt() == 0) {
          scanRport(r, s, a);
        }
      }
    }
  }

  /** As {@code scsi_scan()} in {@code scsi_sysfs.c}: three words, each a number or {@code -}. */
  static dev.midplane.sysfs.ScanAddress parseScan(String value) throws KernelException {
    String[] w = value.strip().split("\\s+");
    if (w.length != 3) {
      throw KernelException.of(Errno.EINVAL);
    }
    try {
      java.util.OptionalInt c = w[0].equals("-") ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(Integer.parseInt(w[0]));
      java.util.OptionalInt t = w[1].equals("-") ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(Integer.parseInt(w[1]));
      java.util.OptionalLong l = w[2].equals("-") ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(w[2]));
      return new dev.midplane.sysfs.ScanAddress(c, t, l);
    } catch (IllegalArgumentException e) {
      throw KernelException.of(Errno.EINVAL);
    }
  }

  /** As {@code store_state_field}: only running and offline, and only from running or offline. */
  private void stateWrite(Sdev d, String value) throws KernelException {
    String v = value.strip();
    if (!v.equals("running") && !v.equals("offline")) {
      throw KernelException.of(Errno.EINVAL);
    }
    if (!d.state.equals("running") && !d.state.equals("offline")) {
      throw KernelException.of(Errno.EINVAL);
    }
    if (!d.state.equals(v)) {
      d.state = v;
      tree.update(d.dir + "/state", v + "\n");
      if (v.equals("running")) {
        rescan(d);
      }
      fire(DiskListener::changed, snapshot(d));
    }
  }

  /** As {@code fc_rport_set_dev_loss_tmo}. */
  private void devLossWrite(Rport r, String value) throws KernelException {
    if (!r.state.equals("Online")) {
      throw KernelException.of(Errno.EBUSY);
    }
    long v;
    try {
      v = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw KernelException.of(Errno.EINVAL);
    }
    if (v < 0 || v >= 0xffffffffL || (v > 600 && r.fastIoFailTmo == null)) {
      throw KernelException.of(Errno.EINVAL);
    }
    if (r.fastIoFailTmo != null && v <= r.fastIoFailTmo) {
      throw KernelException.of(Errno.EINVAL);
    }
    r.devLossTmo = (int) Math.max(1, v);
    tree.update(r.dir() + "/fc_remote_ports/" + r.name() + "/dev_loss_tmo", r.devLossTmo + "\n");
  }

  /** As {@code store_fc_rport_fast_io_fail_tmo}. */
  private void fastIoFailWrite(Rport r, String value) throws KernelException {
    if (!r.state.equals("Online")) {
      throw KernelException.of(Errno.EBUSY);
    }
    String v = value.strip();
    Integer n;
    if (v.equals("off")) {
      n = null;
    } else {
      try {
        n = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw KernelException.of(Errno.EINVAL);
      }
      if (n < 0 || n >= r.devLossTmo || n > 600) {
        throw KernelException.of(Errno.EINVAL);
      }
    }
    r.fastIoFailTmo = n;
    tree.update(r.dir() + "/fc_remote_ports/" + r.name() + "/fast_io_fail_tmo", (n == null ? "off" : n.toString()) + "\n");
  }

  private Disk snapshot(Sdev s) {
    HostState h = s.rport.host;
    return new Disk(BlockDeviceName.of(s.disk.name), s.disk.dev, s.hctl, s.lun.wwid(), s.lun.sysfsWwid(),
        s.sectors * 512, s.state, h.vendor, h.product, h.revision, accessState(s.rport, san.snapshot()),
        s.rport.pseudo ? Optional.empty() : Optional.of(s.rport.wwpn), new TreeSet<>(s.disk.holders));
  }

  /** The kernel's {@code sd_format_disk_name}: sda … sdz, sdaa … sdzz, sdaaa … */
  static String diskName(int index) {
    StringBuilder b = new StringBuilder();
    int i = index;
    do {
      b.insert(0, (char) ('a' + i % 26));
      i = i / 26 - 1;
    } while (i >= 0);
    return "sd" + b;
  }

  /** The kernel's {@code sd_major()} and first minor for disk {@code index}. */
  static DevNumber sdDevNumber(int index) {
    int majorIdx = (index & 0xf0) >> 4;
    int major = majorIdx == 0 ? 8 : majorIdx <= 7 ? 65 + majorIdx - 1 : 128 + majorIdx - 8;
    int minor = ((index & 0xf) << 4) | (index & 0xfff00);
    return new DevNumber(major, minor);
  }
}
