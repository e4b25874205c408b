package dev.midplane.sysfs;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.names.Wwid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One discovery run. The storage side starts from {@code /sys/dev/block}: each entry's name is the
 * device number and its link target is the device's place in the device tree
 * ({@code ../../devices/pci…/host1/rport-1:0-0/target1:0:0/1:0:0:0/block/sda}), which tells the
 * SCSI address, the remote port and the kind of device without reading anything else. Per SCSI
 * disk it then reads {@code size}, udev's database entry (the WWID multipath uses, and the INQUIRY
 * vendor, model and revision udev recorded), {@code state}, {@code device_blocked} and
 * {@code access_state}; the device's {@code inquiry} (vendor, model and revision in one read) only
 * when udev has no entry, and the sysfs {@code wwid} only when udev has no {@code ID_SERIAL}. Per device-mapper device it reads
 * {@code dm/name}, {@code dm/uuid}, {@code dm/suspended}, {@code size}, {@code ro} and lists
 * {@code slaves/}; holders are never read, they are the same relation seen from the other side.
 */
final class Discoverer {
  private final Host host;
  private final Path sys;
  private final Path udevData;
  private final SysfsReader reader;
  private final List<Skipped> skipped = new ArrayList<>();
  private final int parallelism;
  private Found found;

  /** Below this many block devices, threads cost more than they save. */
  static final int PARALLEL_THRESHOLD = 256;

  Discoverer(Host host, SysfsReader reader, int parallelism) {
    this.host = host;
    this.sys = host.path("/sys");
    this.udevData = host.path("/run/udev/data");
    this.reader = reader;
    this.parallelism = parallelism;
  }

  Topology discover(boolean storage, boolean network) {
    Topology.Builder b = Topology.builder().host(host.name());
    if (storage) {
      storage(b);
    }
    if (network) {
      network(b);
    }
    return b.skipped(skipped).stats(reader.stats()).build();
  }

  // ---------------------------------------------------------------- targeted reads

  /**
   * The SCSI paths behind these {@code /sys/dev/block} entries, read exactly as a discovery reads
   * them ({@link TargetedRead}); their holders are not filled in, and other devices are left out.
   */
  List<ScsiPath> scsiPathsOf(List<String> entries, Set<String> udev) {
    return entries(entries, udev).paths();
  }

  /** The device-mapper devices behind these {@code /sys/dev/block} entries, read as a discovery reads them. */
  List<DmDevice> dmDevicesOf(List<String> entries) {
    return entries(entries, Set.of()).dms();
  }

  /** The keys of udev's database ({@code b8:16}, …); empty when the host has no udev. */
  Set<String> udevKeySet() {
    return udevKeys();
  }

  // ---------------------------------------------------------------- storage

  private record DiskLink(BlockDeviceName name, DevNumber dev, String devicePath, List<String> segments) {}

  private void storage(Topology.Builder b) {
    Map<Integer, FcHost> fc = fcHosts();
    List<ScsiHost> hosts = new ArrayList<>();
    for (String n : listSorted("/sys/class/scsi_host")) {
      OptionalInt num = hostNumber(n);
      if (num.isEmpty()) {
        continue;
      }
      try {
        String proc = reader.read(sys.resolve("class/scsi_host/" + n + "/proc_name")).strip();
        hosts.add(ScsiHost.builder().number(num.getAsInt()).procName(proc)
            .fc(Optional.ofNullable(fc.get(num.getAsInt()))).build());
      } catch (IOException e) {
        skip("SCSI host " + n, "/sys/class/scsi_host/" + n + "/proc_name", e);
      }
    }
    hosts.sort(Comparator.comparingInt(ScsiHost::number));
    b.scsiHosts(hosts);
    b.remotePorts(remotePorts());

    Set<String> udev = udevKeys();
    List<String> entries = list("/sys/dev/block");
    Found found;
    if (parallelism <= 1 || entries.size() < PARALLEL_THRESHOLD) {
      found = entries(entries, udev);
    } else {
      found = inParallel(entries, udev);
    }

    Map<BlockDeviceName, List<BlockDeviceName>> holders = new HashMap<>();
    for (DmDevice d : found.dms()) {
      for (BlockDeviceName s : d.slaves()) {
        holders.computeIfAbsent(s, k -> new ArrayList<>()).add(d.device());
      }
    }
    List<ScsiPath> paths = new ArrayList<>(found.paths().size());
    for (ScsiPath p : found.paths()) {
      List<BlockDeviceName> h = holders.get(p.device());
      paths.add(h == null ? p : ScsiPath.builder().from(p).holders(h).build());
    }
    List<DmDevice> dmDevices = new ArrayList<>(found.dms());
    List<BlockDevice> blocks = new ArrayList<>(found.blocks());
    paths.sort(Comparator.comparing(ScsiPath::hctl));
    dmDevices.sort(Comparator.comparing(DmDevice::device, Discoverer::naturalOrder));
    blocks.sort(Comparator.comparing(BlockDevice::name, Discoverer::naturalOrder));
    b.paths(paths).dmDevices(dmDevices).blockDevices(blocks);
  }

  /** What a run over some {@code /sys/dev/block} entries found; paths still without holders. */
  private record Found(List<ScsiPath> paths, List<DmDevice> dms, List<BlockDevice> blocks) {}

  /** Reads the devices behind these {@code /sys/dev/block} entries, one after the other. */
  private Found entries(List<String> entries, Set<String> udev) {
    List<ScsiPath> paths = new ArrayList<>();
    List<DmDevice> dms = new ArrayList<>();
    List<BlockDevice> blocks = new ArrayList<>();
    for (String entry : entries) {
      DevNumber dev;
      try {
        dev = DevNumber.parse(entry);
      } catch (IllegalArgumentException e) {
        continue;
      }
      String target;
      try {
        target = reader.readLink(sys.resolve("dev/block/" + entry));
      } catch (IOException e) {
        skip("block device " + entry, "/sys/dev/block/" + entry, e);
        continue;
      }
      Optional<String> resolved = resolveUnderSys("dev/block", target);
      if (resolved.isEmpty()) {
        skipped.add(new Skipped("block device " + entry, "/sys/dev/block/" + entry, "link leads outside /sys: " + target));
        continue;
      }
      List<String> seg = List.of(resolved.get().split("/"));
      int n = seg.size();
      if (n < 3 || !seg.get(n - 2).equals("block")) {
        continue; // a partition: .../block/sda/sda1
      }
      if (!BlockDeviceName.isValid(seg.get(n - 1))) {
        skipped.add(new Skipped("block device " + entry, "/sys/" + resolved.get(), "unusable device name"));
        continue;
      }
      DiskLink link = new DiskLink(BlockDeviceName.of(seg.get(n - 1)), dev, resolved.get(), seg);
      if (n >= 4 && looksLikeHctl(seg.get(n - 3))) {
        scsiPath(link, udev).ifPresent(p -> {
          paths.add(p);
          blocks.add(BlockDevice.builder().name(link.name()).dev(dev).kind(BlockDeviceKind.SCSI_DISK)
              .sizeBytes(p.sizeBytes()).build());
        });
      } else if (resolved.get().startsWith("devices/virtual/block/dm-")) {
        dmDevice(link).ifPresent(d -> {
          dms.add(d);
          blocks.add(BlockDevice.builder().name(link.name()).dev(dev).kind(BlockDeviceKind.DEVICE_MAPPER)
              .sizeBytes(d.sizeBytes()).build());
        });
      } else {
        try {
          blocks.add(BlockDevice.builder().name(link.name()).dev(dev).kind(BlockDeviceKind.OTHER)
              .sizeBytes(sectors(reader.read(sys.resolve(link.devicePath() + "/size")))).build());
        } catch (IOException | RuntimeException e) {
          skip("block device " + link.name(), "/sys/" + link.devicePath() + "/size", e);
        }
      }
    }
    return new Found(paths, dms, blocks);
  }

  /**
   * Splits the entries among {@code parallelism} threads, each with its own reader, and merges what
   * they found, skipped and cost. The devices are independent, so the result is the same as in
   * sequence; only the order of reads differs.
   */
  private Found inParallel(List<String> entries, Set<String> udev) {
    int chunks = parallelism * 4;
    int size = (entries.size() + chunks - 1) / chunks;
    ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "midplane-discovery-" + host.name());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Discoverer>> parts = new ArrayList<>();
      List<Found> results = new ArrayList<>();
      for (int from = 0; from < entries.size(); from += size) {
        List<String> chunk = entries.subList(from, Math.min(entries.size(), from + size));
        Discoverer worker = new Discoverer(host, reader.sibling(), 1);
        parts.add(pool.submit(() -> {
          worker.found = worker.entries(chunk, udev);
          return worker;
        }));
      }
      List<ScsiPath> paths = new ArrayList<>();
      List<DmDevice> dms = new ArrayList<>();
      List<BlockDevice> blocks = new ArrayList<>();
      for (Future<Discoverer> f : parts) {
        Discoverer w = f.get();
        paths.addAll(w.found.paths());
        dms.addAll(w.found.dms());
        blocks.addAll(w.found.blocks());
        skipped.addAll(w.skipped);
        reader.add(w.reader);
      }
      return new Found(paths, dms, blocks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MidplaneException("discovery on " + host.name() + " was interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new MidplaneException("discovery on " + host.name() + " failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Optional<ScsiPath> scsiPath(DiskLink l, Set<String> udev) {
    int n = l.segments().size();
    String deviceDir = String.join("/", l.segments().subList(0, n - 2));
    Hctl hctl = Hctl.of(l.segments().get(n - 3));
    String reading = "/sys/" + l.devicePath() + "/size";
    try {
      long size = sectors(reader.read(sys.resolve(l.devicePath() + "/size")));
      // udev's entry first: the WWID multipath uses, and the INQUIRY strings udev took from the LUN
      String entry = null;
      if (udev.contains(l.dev().udevBlockKey())) {
        reading = "/run/udev/data/" + l.dev().udevBlockKey();
        entry = udevEntry(l.dev());
      }
      String[] vmr = entry == null ? null : inquiryStrings(entry);
      if (vmr == null) {
        reading = "/sys/" + deviceDir + "/inquiry";
        vmr = vendorModelRev(deviceDir);
      }
      reading = "/sys/" + deviceDir + "/state";
      String state = reader.read(sys.resolve(deviceDir + "/state")).strip();
      reading = "/sys/" + deviceDir + "/device_blocked";
      int blocked = Integer.parseInt(reader.read(sys.resolve(deviceDir + "/device_blocked")).strip());
      reading = "/sys/" + deviceDir + "/access_state";
      Optional<String> access = accessState(deviceDir);
      ScsiPath.Builder p = ScsiPath.builder().device(l.name()).dev(l.dev()).hctl(hctl).sizeBytes(size)
          .vendor(vmr[0]).model(vmr[1]).revision(vmr[2]).state(state).deviceBlocked(blocked)
          .accessState(access);
      for (String s : l.segments()) {
        if (s.startsWith("rport-")) {
          p.remotePort(s);
        }
      }
      Optional<Wwid> fromUdev = entry == null ? Optional.empty() : property(entry, "ID_SERIAL").filter(Wwid::isValid).map(Wwid::of);
      if (fromUdev.isPresent()) {
        p.wwid(fromUdev).wwidSource(WwidSource.UDEV_ID_SERIAL);
      } else {
        reading = "/sys/" + deviceDir + "/wwid";
        Optional<String> w = reader.readIfPresent(sys.resolve(deviceDir + "/wwid")).map(String::strip)
            .filter(s -> !s.isEmpty());
        if (w.isPresent()) {
          p.wwid(Wwid.fromSysfs(w.get())).wwidSource(WwidSource.SYSFS_WWID);
        }
      }
      return Optional.of(p.build());
    } catch (IOException | RuntimeException e) {
      skip("SCSI path " + l.name() + " (" + hctl + ")", reading, e);
      return Optional.empty();
    }
  }

  /**
   * The ALUA state, or empty when the device has none to tell. The attribute exists for every SCSI
   * device, but until a device handler that knows access states ({@code scsi_dh_alua}) is attached
   * the kernel refuses to read it (EINVAL); that is "no access state", not a broken path. Over SFTP
   * the errno does not travel (sftp-server answers a bare "Failure"), so any refused read counts.
   */
  private Optional<String> accessState(String deviceDir) {
    try {
      return reader.readIfPresent(sys.resolve(deviceDir + "/access_state")).map(String::strip).filter(s -> !s.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private String[] vendorModelRev(String deviceDir) throws IOException {
    try {
      byte[] inq = reader.readBytes(sys.resolve(deviceDir + "/inquiry"));
      if (inq.length >= 36) {
        return new String[] {field(inq, 8, 16), field(inq, 16, 32), field(inq, 32, 36)};
      }
    } catch (NoSuchFileException e) {
      // kernels before 4.x have no inquiry attribute: read the three text attributes
    }
    return new String[] {
        reader.read(sys.resolve(deviceDir + "/vendor")).strip(),
        reader.read(sys.resolve(deviceDir + "/model")).strip(),
        reader.read(sys.resolve(deviceDir + "/rev")).strip()};
  }

  private static String field(byte[] b, int from, int to) {
    int end = from;
    while (end < to && b[end] != 0) {
      end++;
    }
    return new String(b, from, end - from, StandardCharsets.ISO_8859_1).strip();
  }

  /** udev's database entry for the device, or null when udev removed it meanwhile. */
  private String udevEntry(DevNumber dev) {
    try {
      return reader.read(udevData.resolve(dev.udevBlockKey()));
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * One {@code E:KEY=value} line of a udev database entry, found without parsing the whole entry
   * (the same answer as {@link UdevEntry#property}, at a fraction of the cost per path).
   */
  static Optional<String> property(String entry, String key) {
    String line = "E:" + key + "=";
    int at = entry.startsWith(line) ? 0 : entry.indexOf("\n" + line);
    if (at < 0) {
      return Optional.empty();
    }
    int from = at == 0 ? line.length() : at + 1 + line.length();
    int end = entry.indexOf('\n', from);
    return Optional.of(entry.substring(from, end < 0 ? entry.length() : end));
  }

  /**
   * Vendor, model and revision as udev recorded them from the LUN's INQUIRY data
   * ({@code ID_VENDOR_ENC}, {@code ID_MODEL_ENC} with {@code \xNN} escapes, {@code ID_REVISION}),
   * trimmed as sysfs's are; null when the entry lacks one of them.
   */
  static String[] inquiryStrings(String entry) {
    Optional<String> v = property(entry, "ID_VENDOR_ENC");
    Optional<String> m = property(entry, "ID_MODEL_ENC");
    Optional<String> r = property(entry, "ID_REVISION");
    if (v.isEmpty() || m.isEmpty() || r.isEmpty()) {
      return null;
    }
    return new String[] {unescape(v.get()).strip(), unescape(m.get()).strip(), r.get().strip()};
  }

  /** Undoes udev's {@code \xNN} encoding. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
        int hi = Character.digit(s.charAt(i + 2), 16);
        int lo = Character.digit(s.charAt(i + 3), 16);
        if (hi >= 0 && lo >= 0) {
          b.append((char) (hi * 16 + lo));
          i += 3;
          continue;
        }
      }
      b.append(c);
    }
    return b.toString();
  }

  /** {@code H:C:T:L} without building an exception for every other name. */
  private static boolean looksLikeHctl(String s) {
    int colons = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':') {
        colons++;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return colons == 3 && Hctl.isValid(s);
  }

  private Set<String> udevKeys() {
    try {
      return new HashSet<>(reader.list(udevData));
    } catch (IOException e) {
      return Set.of(); // no udev on this host
    }
  }

  private Optional<DmDevice> dmDevice(DiskLink l) {
    String d = l.devicePath();
    String reading = "/sys/" + d + "/dm/name";
    try {
      String name = reader.read(sys.resolve(d + "/dm/name")).strip();
      reading = "/sys/" + d + "/dm/uuid";
      String uuid = reader.read(sys.resolve(d + "/dm/uuid")).strip();
      reading = "/sys/" + d + "/dm/suspended";
      boolean suspended = reader.read(sys.resolve(d + "/dm/suspended")).strip().equals("1");
      reading = "/sys/" + d + "/size";
      long size = sectors(reader.read(sys.resolve(d + "/size")));
      reading = "/sys/" + d + "/ro";
      boolean ro = reader.read(sys.resolve(d + "/ro")).strip().equals("1");
      reading = "/sys/" + d + "/slaves";
      List<BlockDeviceName> slaves = new ArrayList<>();
      for (String s : reader.list(sys.resolve(d + "/slaves"))) {
        if (BlockDeviceName.isValid(s)) {
          slaves.add(BlockDeviceName.of(s));
        }
      }
      slaves.sort(Discoverer::naturalOrder);
      return Optional.of(DmDevice.builder().device(l.name()).dev(l.dev()).name(name)
          .uuid(uuid.isEmpty() ? Optional.empty() : Optional.of(uuid)).suspended(suspended).sizeBytes(size)
          .readOnly(ro).slaves(slaves).build());
    } catch (IOException | RuntimeException e) {
      skip("device-mapper device " + l.name(), reading, e);
      return Optional.empty();
    }
  }

  private Map<Integer, FcHost> fcHosts() {
    Map<Integer, FcHost> out = new HashMap<>();
    for (String n : listSorted("/sys/class/fc_host")) {
      OptionalInt num = hostNumber(n);
      if (num.isEmpty()) {
        continue;
      }
      String dir = "class/fc_host/" + n + "/";
      try {
        out.put(num.getAsInt(), FcHost.builder().hostNumber(num.getAsInt())
            .portName(Wwn.of(reader.read(sys.resolve(dir + "port_name"))))
            .nodeName(Wwn.of(reader.read(sys.resolve(dir + "node_name"))))
            .portState(reader.read(sys.resolve(dir + "port_state")).strip())
            .speed(reader.read(sys.resolve(dir + "speed")).strip()).build());
      } catch (IOException | RuntimeException e) {
        skip("FC host " + n, "/sys/" + dir, e);
      }
    }
    return out;
  }

  private List<FcRemotePort> remotePorts() {
    List<FcRemotePort> out = new ArrayList<>();
    for (String n : listSorted("/sys/class/fc_remote_ports")) {
      if (!n.matches("rport-\\d+:\\d+-\\d+")) {
        continue;
      }
      String dir = "class/fc_remote_ports/" + n + "/";
      try {
        int target = Integer.parseInt(reader.read(sys.resolve(dir + "scsi_target_id")).strip());
        String fast = reader.read(sys.resolve(dir + "fast_io_fail_tmo")).strip();
        out.add(FcRemotePort.builder().name(n).hostNumber(Integer.parseInt(n.substring(6, n.indexOf(':'))))
            .portName(Wwn.of(reader.read(sys.resolve(dir + "port_name"))))
            .nodeName(Wwn.of(reader.read(sys.resolve(dir + "node_name"))))
            .portId(reader.read(sys.resolve(dir + "port_id")).strip())
            .roles(reader.read(sys.resolve(dir + "roles")).strip())
            .portState(reader.read(sys.resolve(dir + "port_state")).strip())
            .scsiTargetId(target < 0 ? OptionalInt.empty() : OptionalInt.of(target))
            .devLossTmo(Integer.parseInt(reader.read(sys.resolve(dir + "dev_loss_tmo")).strip()))
            .fastIoFailTmo(fast.equals("off") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(fast)))
            .build());
      } catch (IOException | RuntimeException e) {
        skip("FC remote port " + n, "/sys/" + dir, e);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- network

  private record NetLink(InterfaceName name, String dir, boolean virtual, boolean xen) {}

  private void network(Topology.Builder b) {
    List<NetDevice.Builder> devices = new ArrayList<>();
    Map<InterfaceName, InterfaceName> masters = new HashMap<>();
    List<BondDevice> bonds = new ArrayList<>();
    List<BridgeDevice> bridges = new ArrayList<>();
    for (String n : listSorted("/sys/class/net")) {
      if (n.equals("bonding_masters") || !InterfaceName.isValid(n)) {
        continue; // the bonding driver's control file, and names this SDK refuses to handle
      }
      InterfaceName name = InterfaceName.of(n);
      String reading = "/sys/class/net/" + n;
      try {
        String target = reader.readLink(sys.resolve("class/net/" + n));
        String dir = resolveUnderSys("class/net", target).orElseThrow(() -> new IOException("link leads outside /sys"));
        NetLink link = new NetLink(name, dir, dir.startsWith("devices/virtual/"), dir.startsWith("devices/xen-backend/"));
        reading = "/sys/" + dir + "/uevent";
        Map<String, String> uevent = keyValues(reader.read(sys.resolve(dir + "/uevent")));
        reading = "/sys/" + dir + "/flags";
        int flags = Integer.decode(reader.read(sys.resolve(dir + "/flags")).strip());
        boolean up = (flags & 0x1) != 0;
        NetDeviceKind kind = kind(link, uevent.get("DEVTYPE"), flags);
        reading = "/sys/" + dir + "/address";
        String addr = reader.read(sys.resolve(dir + "/address")).strip();
        reading = "/sys/" + dir + "/operstate";
        String oper = reader.read(sys.resolve(dir + "/operstate")).strip();
        reading = "/sys/" + dir + "/mtu";
        int mtu = Integer.parseInt(reader.read(sys.resolve(dir + "/mtu")).strip());
        NetDevice.Builder d = NetDevice.builder().name(name).ifindex(Integer.parseInt(uevent.getOrDefault("IFINDEX", "0")))
            .kind(kind).address(MacAddress.isValid(addr) ? Optional.of(MacAddress.of(addr)) : Optional.empty())
            .adminUp(up).operstate(oper).mtu(mtu);
        if (up) {
          d.carrier(optionalAttribute(dir + "/carrier").map(c -> c.equals("1")));
          if (kind != NetDeviceKind.LOOPBACK && kind != NetDeviceKind.BRIDGE) {
            d.speedMbps(optionalAttribute(dir + "/speed").filter(s -> s.matches("\\d+"))
                .map(s -> OptionalInt.of(Integer.parseInt(s))).orElse(OptionalInt.empty()));
          }
        }
        if (kind == NetDeviceKind.BOND) {
          reading = "/sys/" + dir + "/bonding";
          BondDevice bond = bond(name, dir);
          bond.slaves().forEach(s -> masters.put(s.name(), name));
          bonds.add(bond);
        } else if (kind == NetDeviceKind.BRIDGE) {
          reading = "/sys/" + dir + "/bridge";
          BridgeDevice br = bridge(name, dir);
          br.ports().forEach(p -> masters.put(p.name(), name));
          bridges.add(br);
        }
        devices.add(d);
      } catch (IOException | RuntimeException e) {
        skip("net device " + n, reading, e);
      }
    }
    List<NetDevice> out = new ArrayList<>();
    for (NetDevice.Builder d : devices) {
      NetDevice partial = d.build();
      out.add(masters.containsKey(partial.name()) ? NetDevice.builder().from(partial).master(masters.get(partial.name())).build() : partial);
    }
    out.sort(Comparator.comparingInt(NetDevice::ifindex));
    b.netDevices(out).bonds(bonds).bridges(bridges).vlans(vlans());
  }

  private static NetDeviceKind kind(NetLink link, String devtype, int flags) {
    if ((flags & 0x8) != 0) {
      return NetDeviceKind.LOOPBACK;
    }
    if ("bond".equals(devtype)) {
      return NetDeviceKind.BOND;
    }
    if ("bridge".equals(devtype)) {
      return NetDeviceKind.BRIDGE;
    }
    if ("vlan".equals(devtype)) {
      return NetDeviceKind.VLAN;
    }
    if (link.xen()) {
      return NetDeviceKind.XEN_VIF;
    }
    return link.virtual() ? NetDeviceKind.VIRTUAL : NetDeviceKind.ETHERNET;
  }

  private BondDevice bond(InterfaceName name, String dir) throws IOException {
    String bd = dir + "/bonding/";
    BondMode mode = BondMode.fromSysfs(attr(bd + "mode")).orElseThrow(() -> new IOException("unknown bonding mode"));
    List<BondSlave> slaves = new ArrayList<>();
    for (String s : words(attr(bd + "slaves"))) {
      String sd = "class/net/" + s + "/bonding_slave/";
      try {
        slaves.add(new BondSlave(InterfaceName.of(s), attr(sd + "state").equals("active"),
            SlaveLinkState.fromText(attr(sd + "mii_status")).orElseThrow(() -> new IOException("unknown mii_status")),
            Integer.parseInt(attr(sd + "link_failure_count")),
            Optional.of(attr(sd + "perm_hwaddr")).filter(MacAddress::isValid).map(MacAddress::of)));
      } catch (NoSuchFileException e) {
        skipped.add(new Skipped("bond slave " + s + " of " + name, "/sys/" + sd, "vanished during discovery"));
      }
    }
    List<Ipv4Address> targets = new ArrayList<>();
    for (String t : words(attr(bd + "arp_ip_target"))) {
      targets.add(Ipv4Address.of(t));
    }
    String active = attr(bd + "active_slave");
    String primary = attr(bd + "primary");
    return BondDevice.builder().name(name).mode(mode).miiUp(attr(bd + "mii_status").equals("up"))
        .activeSlave(active.isEmpty() ? Optional.empty() : Optional.of(InterfaceName.of(active)))
        .primary(primary.isEmpty() ? Optional.empty() : Optional.of(InterfaceName.of(primary)))
        .primaryReselect(PrimaryReselect.fromOption(attr(bd + "primary_reselect")).orElse(PrimaryReselect.ALWAYS))
        .miimon(Integer.parseInt(attr(bd + "miimon"))).updelay(Integer.parseInt(attr(bd + "updelay")))
        .downdelay(Integer.parseInt(attr(bd + "downdelay"))).arpInterval(Integer.parseInt(attr(bd + "arp_interval")))
        .arpIpTargets(targets).arpValidate(ArpValidate.fromOption(attr(bd + "arp_validate")).orElse(ArpValidate.NONE))
        .failOverMac(FailOverMac.fromOption(attr(bd + "fail_over_mac")).orElse(FailOverMac.NONE))
        .slaves(slaves).build();
  }

  private BridgeDevice bridge(InterfaceName name, String dir) throws IOException {
    boolean stp = !attr(dir + "/bridge/stp_state").equals("0");
    List<BridgeDevice.BridgePort> ports = new ArrayList<>();
    List<String> names = reader.list(sys.resolve(dir + "/brif"));
    names.sort(null);
    for (String p : names) {
      try {
        int state = Integer.parseInt(attr(dir + "/brif/" + p + "/state"));
        ports.add(new BridgeDevice.BridgePort(InterfaceName.of(p),
            BridgePortState.fromNumber(state).orElseThrow(() -> new IOException("unknown port state " + state))));
      } catch (NoSuchFileException e) {
        skipped.add(new Skipped("bridge port " + p + " of " + name, "/sys/" + dir + "/brif/" + p, "vanished during discovery"));
      }
    }
    return new BridgeDevice(name, stp, ports);
  }

  private List<VlanDevice> vlans() {
    try {
      Optional<String> text = reader.readIfPresent(host.path("/proc/net/vlan/config"));
      return text.map(t -> VlanConfig.parse(t).devices()).orElse(List.of());
    } catch (IOException | SysfsParseException e) {
      skip("VLAN devices", "/proc/net/vlan/config", e);
      return List.of();
    }
  }

  // ---------------------------------------------------------------- helpers

  private String attr(String relativeToSys) throws IOException {
    return reader.read(sys.resolve(relativeToSys)).strip();
  }

  /** An attribute the kernel may refuse to read (EINVAL for carrier or speed of some devices). */
  private Optional<String> optionalAttribute(String relativeToSys) {
    try {
      return Optional.of(attr(relativeToSys));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private List<String> list(String absolute) {
    try {
      return reader.list(host.path(absolute));
    } catch (NoSuchFileException e) {
      return List.of(); // the subsystem is not there (no FC transport, no SCSI)
    } catch (IOException e) {
      skip(absolute, absolute, e);
      return List.of();
    }
  }

  private List<String> listSorted(String absolute) {
    List<String> l = new ArrayList<>(list(absolute));
    l.sort(Discoverer::naturalOrder);
    return l;
  }

  private void skip(String object, String path, Exception e) {
    String why = e instanceof NoSuchFileException ? "vanished during discovery"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
    skipped.add(new Skipped(object, path, why));
  }

  /**
   * Resolves a relative link target the way the kernel lays links out, lexically, and returns the
   * result relative to {@code /sys} (e.g. {@code devices/virtual/block/dm-0}); empty when it would
   * lead outside.
   */
  static Optional<String> resolveUnderSys(String linkDir, String target) {
    if (target.startsWith("/")) {
      if (!target.startsWith("/sys/")) {
        return Optional.empty();
      }
      target = target.substring(5);
      linkDir = "";
    }
    List<String> parts = new ArrayList<>(linkDir.isEmpty() ? List.of() : List.of(linkDir.split("/")));
    for (String s : target.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (parts.isEmpty()) {
          return Optional.empty();
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(s);
      }
    }
    return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("/", parts));
  }

  private static OptionalInt hostNumber(String name) {
    if (name.startsWith("host") && name.length() > 4 && name.length() < 14 && name.substring(4).chars().allMatch(Character::isDigit)) {
      return OptionalInt.of(Integer.parseInt(name.substring(4)));
    }
    return OptionalInt.empty();
  }

  private static long sectors(String text) {
    long s = Long.parseLong(text.strip());
    if (s < 0 || s > Long.MAX_VALUE / 512) {
      throw new IllegalArgumentException("size out of range: " + s);
    }
    return s * 512;
  }

  private static List<String> words(String s) {
    return s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
  }

  private static Map<String, String> keyValues(String text) {
    Map<String, String> m = new HashMap<>();
    for (String l : text.split("\n")) {
      int eq = l.indexOf('=');
      if (eq > 0) {
        m.put(l.substring(0, eq), l.substring(eq + 1).strip());
      }
    }
    return m;
  }

  /** Orders {@code sdb} before {@code sdaa}, {@code dm-2} before {@code dm-10}, {@code host2} before {@code host10}. */
  static int naturalOrder(Object a, Object b) {
    String x = a.toString();
    String y = b.toString();
    if (x.startsWith("sd") && y.startsWith("sd") && x.length() != y.length()) {
      return Integer.compare(x.length(), y.length());
    }
    int dx = trailingDigits(x);
    int dy = trailingDigits(y);
    int c = x.substring(0, dx).compareTo(y.substring(0, dy));
    if (c != 0) {
      return c;
    }
    String nx = x.substring(dx);
    String ny = y.substring(dy);
    return nx.length() != ny.length() ? Integer.compare(nx.length(), ny.length()) : nx.compareTo(ny);
  }

  private static int trailingDigits(String s) {
    int i = s.length();
    while (i > 0 && Character.isDigit(s.charAt(i - 1))) {
      i--;
    }
    return i;
  }
}
