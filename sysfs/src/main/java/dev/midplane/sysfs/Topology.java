package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Wwid;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A host's storage and network topology as its kernel showed it during one discovery
 * ({@link Sysfs#topology()}): SCSI and FC hosts, remote ports, SCSI paths, block and
 * device-mapper devices (multipath maps among them), network devices, bonds, bridges and VLANs.
 * Lists are sorted (paths by H:C:T:L, devices by name, net devices by ifindex).
 *
 * <p>Discovery reads each relation from one side: which paths a map uses comes from the map's
 * {@code slaves/} (and is mirrored into {@link ScsiPath#holders()}); a bond's slaves from
 * {@code bonding/slaves}, a bridge's ports from {@code brif/} (mirrored into
 * {@link NetDevice#master()}). A device that vanished while it was being read is left out and
 * listed in {@link #skipped()}; everything else is complete.
 */
@Value.Immutable
@MidplaneStyle
public abstract class Topology {
  public abstract HostName host();

  public abstract List<ScsiHost> scsiHosts();

  public abstract List<FcRemotePort> remotePorts();

  /** SCSI disks, sorted by H:C:T:L. */
  public abstract List<ScsiPath> paths();

  /** Every whole block device, sorted by name. */
  public abstract List<BlockDevice> blockDevices();

  /** Every device-mapper device, sorted by name. */
  public abstract List<DmDevice> dmDevices();

  /** Network devices, sorted by ifindex. */
  public abstract List<NetDevice> netDevices();

  public abstract List<BondDevice> bonds();

  public abstract List<BridgeDevice> bridges();

  /** 802.1Q devices from {@code /proc/net/vlan/config} (empty when 8021q is not loaded). */
  public abstract List<VlanDevice> vlans();

  /** What discovery had to leave out, and why. */
  public abstract List<Skipped> skipped();

  /** What the discovery cost. Not part of equality. */
  @Value.Auxiliary
  public abstract DiscoveryStats stats();

  /** The device-mapper multipath maps among {@link #dmDevices()}. */
  @Value.Lazy
  public List<MultipathMap> multipathMaps() {
    return dmDevices().stream().map(MultipathMap::of).flatMap(Optional::stream).toList();
  }

  public Optional<ScsiPath> path(BlockDeviceName device) {
    return paths().stream().filter(p -> p.device().equals(device)).findFirst();
  }

  public Optional<ScsiPath> path(Hctl hctl) {
    return paths().stream().filter(p -> p.hctl().equals(hctl)).findFirst();
  }

  /** Every path whose WWID is {@code wwid}, sorted by H:C:T:L. */
  public List<ScsiPath> pathsTo(Wwid wwid) {
    return paths().stream().filter(p -> p.wwid().filter(wwid::equals).isPresent()).toList();
  }

  /** The multipath map named {@code name} ({@code /dev/mapper/<name>}). */
  public Optional<MultipathMap> multipathMap(String name) {
    return multipathMaps().stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The multipath map for {@code wwid}, whatever its name. */
  public Optional<MultipathMap> multipathMapOf(Wwid wwid) {
    return multipathMaps().stream().filter(m -> m.wwid().equals(wwid)).findFirst();
  }

  public Optional<ScsiHost> scsiHost(int number) {
    return scsiHosts().stream().filter(h -> h.number() == number).findFirst();
  }

  public Optional<NetDevice> netDevice(InterfaceName name) {
    return netDevices().stream().filter(d -> d.name().equals(name)).findFirst();
  }

  public Optional<BondDevice> bond(InterfaceName name) {
    return bonds().stream().filter(b -> b.name().equals(name)).findFirst();
  }

  public Optional<BridgeDevice> bridge(InterfaceName name) {
    return bridges().stream().filter(b -> b.name().equals(name)).findFirst();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder. */
  public static final class Builder extends ImmutableTopology.Builder {}
}
