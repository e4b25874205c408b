package dev.midplane.examples.json;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.BondDevice;
import dev.midplane.sysfs.BondSlave;
import dev.midplane.sysfs.BridgeDevice;
import dev.midplane.sysfs.FcHost;
import dev.midplane.sysfs.FcRemotePort;
import dev.midplane.sysfs.MultipathMap;
import dev.midplane.sysfs.NetDevice;
import dev.midplane.sysfs.ScsiHost;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.BlockDeviceName;
import java.util.List;
import java.util.Locale;

/**
 * The JSON of {@code midplane inventory}: a host's storage and network topology in a stable shape,
 * documented field by field in {@code inventory.schema.json} next to this class. Sizes are in
 * bytes, times in milliseconds or seconds as the field name says, WWIDs as multipath names them
 * ({@code 36001405…} for an NAA identifier), bond modes as the kernel's short option names
 * ({@code active-backup}). Unknown values are {@code null}; lists are never {@code null}.
 *
 * @param paths SCSI disks (paths to LUNs), sorted by H:C:T:L
 * @param maps device-mapper multipath maps, sorted by device
 * @param bonds bonding devices
 * @param bridges Linux bridges and their ports
 * @param netDevices every network device, sorted by ifindex
 * @param scsiHosts SCSI host adapters
 * @param fcHosts Fibre Channel HBA ports with the remote ports they see
 */
public record InventoryView(List<PathView> paths, List<MapView> maps, List<BondView> bonds, List<BridgeView> bridges,
    List<NetDeviceView> netDevices, List<ScsiHostView> scsiHosts, List<FcHostView> fcHosts) {

  /** A SCSI disk: {@code {"device":"sdb","hctl":"1:0:0:0","wwid":"…","sizeBytes":N,"state":"running"}}. */
  public record PathView(String device, String hctl, String wwid, long sizeBytes, String state) {}

  /** A multipath map: {@code {"name":"vm-web01","sysfsName":"dm-0","wwid":"…","sizeBytes":N,"paths":["sdb","sdd"]}}. */
  public record MapView(String name, String sysfsName, String wwid, long sizeBytes, List<String> paths) {}

  /** A bond; {@code mode} is the kernel's short name, {@code activeSlave} null when there is none. */
  public record BondView(String name, String mode, String activeSlave, List<String> slaves, int miimonMs,
      int arpIntervalMs, List<String> arpIpTargets) {}

  /** A bridge and its ports. */
  public record BridgeView(String name, List<String> ports) {}

  /**
   * A network device. {@code kind}: {@code ethernet}, {@code bond}, {@code bridge}, {@code vlan},
   * {@code xen-vif}, {@code loopback} or {@code virtual}; {@code carrier} is null while the device
   * is down (the kernel does not tell), {@code speedMbps} null when it reports none.
   */
  public record NetDeviceView(String name, int ifindex, String kind, String mac, boolean adminUp, String operState,
      Boolean carrier, int mtu, Integer speedMbps, String master) {}

  /** A SCSI host adapter; {@code driver} is its {@code proc_name}, {@code fc} whether it is an FC HBA port. */
  public record ScsiHostView(String name, int number, String driver, boolean fc) {}

  /** An FC HBA port: WWNs in sysfs's spelling ({@code 0x…}), state and speed as the kernel prints them. */
  public record FcHostView(String name, String portName, String nodeName, String portState, String speed,
      List<RemotePortView> remotePorts) {}

  /** A remote FC port (a storage array's target port) seen by an HBA. */
  public record RemotePortView(String name, String portName, String nodeName, String portId, String roles,
      String portState, Integer scsiTargetId, int devLossTmoSec, Integer fastIoFailTmoSec) {}

  /** The view of a discovered topology. */
  public static InventoryView of(Topology t) {
    return new InventoryView(
        t.paths().stream().map(InventoryView::path).toList(),
        t.multipathMaps().stream().map(InventoryView::map).toList(),
        t.bonds().stream().map(InventoryView::bond).toList(),
        t.bridges().stream().map(InventoryView::bridge).toList(),
        t.netDevices().stream().map(InventoryView::netDevice).toList(),
        t.scsiHosts().stream().map(h -> new ScsiHostView(h.name(), h.number(), h.procName(), h.fc().isPresent())).toList(),
        t.scsiHosts().stream().filter(h -> h.fc().isPresent()).map(h -> fcHost(h, t)).toList());
  }

  private static PathView path(ScsiPath p) {
    return new PathView(p.device().value(), p.hctl().toString(), p.wwid().map(Wwid::value).orElse(null),
        p.sizeBytes(), p.state());
  }

  private static MapView map(MultipathMap m) {
    return new MapView(m.name(), m.device().value(), m.wwid().value(), m.sizeBytes(),
        m.paths().stream().map(BlockDeviceName::value).toList());
  }

  private static BondView bond(BondDevice b) {
    return new BondView(b.name().value(), b.mode().option(), b.activeSlave().map(InterfaceName::value).orElse(null),
        b.slaves().stream().map(BondSlave::name).map(InterfaceName::value).toList(), b.miimon(), b.arpInterval(),
        b.arpIpTargets().stream().map(Ipv4Address::toString).toList());
  }

  private static BridgeView bridge(BridgeDevice b) {
    return new BridgeView(b.name().value(), b.ports().stream().map(p -> p.name().value()).toList());
  }

  private static NetDeviceView netDevice(NetDevice d) {
    return new NetDeviceView(d.name().value(), d.ifindex(), d.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        d.address().map(Object::toString).orElse(null), d.adminUp(), d.operstate(), d.carrier().orElse(null), d.mtu(),
        d.speedMbps().isPresent() ? d.speedMbps().getAsInt() : null, d.master().map(InterfaceName::value).orElse(null));
  }

  private static FcHostView fcHost(ScsiHost h, Topology t) {
    FcHost fc = h.fc().orElseThrow();
    return new FcHostView(h.name(), fc.portName().sysfs(), fc.nodeName().sysfs(), fc.portState(), fc.speed(),
        t.remotePorts().stream().filter(r -> r.hostNumber() == h.number()).map(InventoryView::remotePort).toList());
  }

  private static RemotePortView remotePort(FcRemotePort r) {
    return new RemotePortView(r.name(), r.portName().sysfs(), r.nodeName().sysfs(), r.portId(), r.roles(),
        r.portState(), r.scsiTargetId().isPresent() ? r.scsiTargetId().getAsInt() : null, r.devLossTmo(),
        r.fastIoFailTmo().isPresent() ? r.fastIoFailTmo().getAsInt() : null);
  }
}
