package dev.midplane.xen.sim;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.xen.BlockDevice;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.DomainState;
import dev.midplane.xen.NetworkDevice;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** One simulated guest domain's state; guarded by its {@link SimulatedXen}'s lock. */
final class SimDomain {
  /** A virtual disk: its spec, number, the device-mapper device it holds open (if any). */
  record Disk(DiskSpec spec, int vdev, Optional<String> dm, int eventChannel, int ringRef) {}

  /** A virtual interface: the backend device in dom0 and where it is plugged. */
  record Nic(int devid, MacAddress mac, InterfaceName bridge, InterfaceName device, List<Ipv4Address> ips, VifSpec spec) {}

  final int id;
  String name;
  final String uuid;
  final String type;
  final long memoryMib;
  final long maxMemoryMib;
  final int vcpus;
  final DomainConfig config;
  boolean paused;
  boolean suspended;
  final List<Disk> disks = new ArrayList<>();
  final List<Nic> nics = new ArrayList<>();

  SimDomain(int id, String name, String uuid, String type, long memoryMib, long maxMemoryMib, int vcpus, DomainConfig config) {
    this.id = id;
    this.name = name;
    this.uuid = uuid;
    this.type = type;
    this.memoryMib = memoryMib;
    this.maxMemoryMib = maxMemoryMib;
    this.vcpus = vcpus;
    this.config = config;
  }

  /** The memory the domain holds: what it was given (it cannot balloon in the simulation). */
  long heldMib() {
    return memoryMib;
  }

  Set<DomainState> state() {
    EnumSet<DomainState> s = EnumSet.noneOf(DomainState.class);
    if (suspended) {
      s.add(DomainState.SHUTDOWN);
    } else if (paused) {
      s.add(DomainState.PAUSED);
    } else {
      s.add(DomainState.BLOCKED);
    }
    return s;
  }

  /** A stable, plausible CPU time: a tenth of a second per id and vcpu, as if the guest idled. */
  double cpuSeconds() {
    return 0.1 * (id + 10 * vcpus);
  }

  DomainInfo info() {
    return DomainInfo.builder().rawName(name).id(id).memoryMib(memoryMib).vcpus(vcpus).state(state())
        .cpuSeconds(cpuSeconds()).build();
  }

  /** What {@code xl list -l} shows: the config as libxl holds it (disk targets without prefix). */
  DomainDetails details() {
    DomainDetails.Builder b = DomainDetails.builder().source(DomainDetails.Source.XL_JSON).domid(id).rawName(name).uuid(uuid)
        .guestType(type).maxMemoryKib(maxMemoryMib * 1024).targetMemoryKib(memoryMib * 1024).vcpus(vcpus);
    config.getString("kernel").ifPresent(b::kernel);
    config.getString("ramdisk").ifPresent(b::ramdisk);
    config.getString("extra").or(() -> config.getString("cmdline")).ifPresent(b::cmdline);
    config.getString("bootloader").ifPresent(b::bootloader);
    b.onPoweroff(config.getString("on_poweroff").orElse("destroy"));
    b.onReboot(config.getString("on_reboot").orElse("restart"));
    b.onCrash(config.getString("on_crash").orElse("destroy"));
    for (Disk d : disks) {
      DiskSpec.Builder db = DiskSpec.builder().vdev(d.spec().vdev()).format(d.spec().format().orElse("raw"))
          .access(d.spec().access().orElse(DiskSpec.Access.READ_WRITE));
      d.spec().target().ifPresent(db::target);
      if (d.spec().isCdrom()) {
        db.deviceType(DiskSpec.DeviceType.CDROM);
      }
      d.spec().script().ifPresent(db::script);
      b.addDisks(db.build());
    }
    for (Nic n : nics) {
      VifSpec.Builder vb = VifSpec.builder().mac(n.mac()).bridge(n.bridge());
      n.ips().forEach(vb::ip);
      n.spec().vifname().ifPresent(vb::vifname);
      n.spec().script().ifPresent(vb::script);
      n.spec().model().ifPresent(vb::model);
      n.spec().type().ifPresent(vb::type);
      b.addNics(vb.build());
    }
    return b.build();
  }

  List<BlockDevice> blockDevices() {
    return disks.stream().map(d -> new BlockDevice(d.vdev(), 0, id, BlockDevice.CONNECTED, d.eventChannel(), d.ringRef(),
        "/local/domain/0/backend/vbd/" + id + "/" + d.vdev())).toList();
  }

  List<NetworkDevice> networkDevices() {
    return nics.stream().map(n -> new NetworkDevice(n.devid(), 0, n.mac(), n.devid(), BlockDevice.CONNECTED, -1,
        514 + 516 * n.devid() + 8, 515 + 516 * n.devid() + 8, "/local/domain/0/backend/vif/" + id + "/" + n.devid())).toList();
  }

  @Override
  public String toString() {
    return name + " (id " + id + ")";
  }
}
