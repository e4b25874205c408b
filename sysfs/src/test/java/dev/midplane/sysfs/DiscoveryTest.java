package dev.midplane.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.Host;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryTest {
  @TempDir
  Path dir;

  /** A blade with {@code luns} LUNs of 1 GiB, each over 4 paths, and a multipath map per LUN. */
  static SimulatedKernel bladeWithMaps(Path root, int luns) {
    SimulatedSan san = SimulatedSan.create();
    List<Wwid> wwids = new ArrayList<>();
    for (int i = 0; i < luns; i++) {
      wwids.add(san.createLun((1L << 30) * (i + 1)));
    }
    SimulatedKernel k = SimulatedKernel.create(root, HostName.of("blade1"), san);
    k.scsi().addHost("ahci");
    int a = k.scsi().addFcHba("A");
    int b = k.scsi().addFcHba("B");
    for (Wwid w : wwids) {
      san.present(w, k.scsi().initiatorPorts());
    }
    Sysfs.on(k.host()).scan(a);
    Sysfs.on(k.host()).scan(b);
    for (int i = 0; i < luns; i++) {
      Wwid w = wwids.get(i);
      List<SimulatedDeviceMapper.Target> t = new ArrayList<>();
      StringBuilder params = new StringBuilder("0 1 alua 1 1 service-time 0 4 1");
      for (var d : k.scsi().disks()) {
        if (d.wwid().equals(w)) {
          params.append(' ').append(d.dev()).append(" 1");
        }
      }
      t.add(new SimulatedDeviceMapper.Target(0, ((1L << 30) * (i + 1)) / 512, "multipath", params.toString()));
      k.deviceMapper().create("vm-" + i, Optional.of(w.dmUuid()), new SimulatedDeviceMapper.Table(t));
    }
    return k;
  }

  @Test
  void discoversTheBladesStorageAndNetwork() {
    SimulatedKernel k = bladeWithMaps(dir, 3);
    Topology t = Sysfs.on(k.host()).topology();

    assertThat(t.host()).isEqualTo(HostName.of("blade1"));
    assertThat(t.scsiHosts()).extracting(ScsiHost::procName).containsExactly("ahci", "qla2xxx", "qla2xxx");
    assertThat(t.scsiHosts().get(1).fc()).get().satisfies(fc -> {
      assertThat(fc.isOnline()).isTrue();
      assertThat(fc.portName()).isEqualTo(k.scsi().hbas().get(0).portName());
    });
    assertThat(t.remotePorts()).hasSize(4).allMatch(FcRemotePort::isOnline);
    assertThat(t.paths()).hasSize(12);
    assertThat(t.paths()).extracting(ScsiPath::hctl).isSorted();
    ScsiPath first = t.paths().get(0);
    assertThat(first.hctl()).isEqualTo(Hctl.of(1, 0, 0, 0));
    assertThat(first.vendor()).isEqualTo("LIO-ORG");
    assertThat(first.model()).isEqualTo("midplane-lun");
    assertThat(first.revision()).isEqualTo("4.0");
    assertThat(first.state()).isEqualTo("running");
    assertThat(first.accessState()).contains("active/optimized");
    assertThat(first.wwidSource()).contains(WwidSource.UDEV_ID_SERIAL);
    assertThat(first.remotePort()).contains("rport-1:0-0");
    assertThat(first.sizeBytes()).isEqualTo(1L << 30);
    assertThat(first.holders()).containsExactly(BlockDeviceName.of("dm-0"));

    assertThat(t.multipathMaps()).hasSize(3);
    for (MultipathMap m : t.multipathMaps()) {
      assertThat(m.paths()).hasSize(4);
      assertThat(t.pathsTo(m.wwid())).extracting(ScsiPath::device).containsExactlyInAnyOrderElementsOf(m.paths());
      assertThat(t.pathsTo(m.wwid())).allMatch(p -> p.sizeBytes() == m.sizeBytes());
    }
    assertThat(t.multipathMap("vm-2")).get().satisfies(m -> assertThat(m.sizeBytes()).isEqualTo(3L << 30));
    assertThat(t.blockDevices()).hasSize(15);

    assertThat(t.bonds()).isEmpty();
    assertThat(t.netDevices()).extracting(d -> d.name().value()).containsExactly("lo");
    assertThat(t.skipped()).isEmpty();
  }

  @Test
  void discoveryReadsEachFileOnceAndAFixedNumberPerPath() {
    DiscoveryStats small = stats(dir.resolve("a"), 4);
    DiscoveryStats big = stats(dir.resolve("b"), 16);
    assertThat(small.duplicateReads()).isZero();
    assertThat(big.duplicateReads()).isZero();
    // 16 paths versus 64 paths: the difference is the cost of 48 paths and 12 maps
    long perPath = (big.operations() - small.operations()) / 48;
    assertThat(perPath).isLessThanOrEqualTo(8);
    assertThat(big.operations() - small.operations()).isEqualTo(3 * (stats(dir.resolve("c"), 8).operations() - small.operations()));
  }

  private static DiscoveryStats stats(Path root, int luns) {
    SimulatedKernel k = bladeWithMaps(root, luns);
    Topology t = Sysfs.on(k.host()).discover().network(false).trackDuplicateReads(true).call();
    assertThat(t.paths()).hasSize(4 * luns);
    return t.stats();
  }

  @Test
  void parallelDiscoveryFindsExactlyWhatSequentialDiscoveryFinds() {
    SimulatedKernel k = bladeWithMaps(dir, 64);
    Topology one = Sysfs.on(k.host()).discover().parallelism(1).trackDuplicateReads(true).call();
    Topology four = Sysfs.on(k.host()).discover().parallelism(4).trackDuplicateReads(true).call();
    assertThat(one.paths()).hasSize(256);
    assertThat(four).isEqualTo(one);
    assertThat(four.stats()).isEqualTo(one.stats());
    assertThat(four.stats().duplicateReads()).isZero();
    assertThat(four.paths().get(0).holders()).containsExactly(BlockDeviceName.of("dm-0"));
  }

  @Test
  void aDeviceDeletedDuringParallelDiscoveryIsSkippedToo() {
    SimulatedKernel k = bladeWithMaps(dir, 64);
    Host h = k.host();
    AtomicBoolean deleted = new AtomicBoolean();
    Topology t = Sysfs.on(h).discover().parallelism(3).hook(p -> {
      if (p.toString().endsWith("/block/sdq/size") && !deleted.getAndSet(true)) {
        h.writeAttribute("/sys/block/sdq/device/delete", "1");
      }
    }).call();
    assertThat(deleted).isTrue();
    assertThat(t.paths()).hasSize(255);
    assertThat(t.skipped()).singleElement().satisfies(s -> assertThat(s.object()).contains("sdq"));
  }

  @Test
  void aDeviceDeletedDuringDiscoveryIsSkippedAndTheRestIsComplete() throws IOException {
    SimulatedKernel k = bladeWithMaps(dir, 2);
    Host h = k.host();
    AtomicBoolean deleted = new AtomicBoolean();
    Topology t = Sysfs.on(h).discover().hook(p -> {
      if (!deleted.get() && p.toString().endsWith("/size") && p.toString().contains("/block/sdb")) {
        deleted.set(true);
        h.writeAttribute("/sys/block/sdb/device/delete", "1");
      }
    }).call();
    assertThat(deleted).isTrue();
    assertThat(t.skipped()).singleElement().satisfies(s -> {
      assertThat(s.object()).contains("sdb");
      assertThat(s.reason()).isEqualTo("vanished during discovery");
    });
    assertThat(t.paths()).hasSize(7).noneMatch(p -> p.device().value().equals("sdb"));
    assertThat(t.multipathMaps()).hasSize(2);
  }

  /**
   * Linux refuses to read {@code access_state} (EINVAL) until a device handler with access states
   * is attached, as the lab showed: that path has no access state; it is not skipped.
   */
  @Test
  void anAccessStateTheKernelRefusesToReadIsNoAccessState() {
    SimulatedKernel k = bladeWithMaps(dir, 1);
    Topology t = Sysfs.on(k.host()).discover().network(false).hook(p -> {
      if (p.getFileName().toString().equals("access_state")) {
        throw new java.nio.file.FileSystemException(p.toString(), null, "Invalid argument");
      }
    }).call();
    assertThat(t.skipped()).isEmpty();
    assertThat(t.paths()).hasSize(4).allSatisfy(p -> assertThat(p.accessState()).isEmpty());
    assertThat(Sysfs.on(k.host()).discover().network(false).call().paths())
        .allSatisfy(p -> assertThat(p.accessState()).isPresent());
  }

  @Test
  void aDanglingDeviceLinkIsSkipped() throws IOException {
    SimulatedKernel k = bladeWithMaps(dir, 1);
    Files.createSymbolicLink(k.root().resolve("sys/dev/block/8:240"), Path.of("../../devices/pci0000:00/gone/host9/target9:0:0/9:0:0:0/block/sdp"));
    Topology t = Sysfs.on(k.host()).discover().network(false).call();
    assertThat(t.paths()).hasSize(4);
    assertThat(t.skipped()).singleElement().satisfies(s -> assertThat(s.path()).endsWith("/block/sdp/size"));
  }

  @Test
  void withoutUdevTheWwidComesFromSysfs() {
    SimulatedSan san = SimulatedSan.create();
    Wwid w = san.createLun(Wwid.of("1Linux_scsi_debug_2000"), "naa.33333330000007d0", 64L << 20);
    SimulatedKernel k = SimulatedKernel.withoutUdev(dir, HostName.of("blade2"), san);
    san.present(w, List.of());
    int a = k.scsi().addFcHba("A");
    san.present(w, k.scsi().initiatorPorts());
    Sysfs.on(k.host()).scan(a);
    Topology t = Sysfs.on(k.host()).discover().network(false).call();
    assertThat(t.paths()).hasSize(2).allSatisfy(p -> {
      assertThat(p.wwid()).contains(Wwid.of("333333330000007d0"));
      assertThat(p.wwidSource()).contains(WwidSource.SYSFS_WWID);
      // from the inquiry attribute now, with the same result as from udev's record
      assertThat(List.of(p.vendor(), p.model(), p.revision())).containsExactly("LIO-ORG", "midplane-lun", "4.0");
    });
  }

  @Test
  void withUdevTheWwidIsMultipathsNotTheSysfsSpelling() {
    SimulatedSan san = SimulatedSan.create();
    Wwid w = san.createLun(Wwid.of("1Linux_scsi_debug_2000"), "naa.33333330000007d0", 64L << 20);
    SimulatedKernel k = SimulatedKernel.create(dir, HostName.of("blade2"), san);
    int a = k.scsi().addFcHba("A");
    san.present(w, k.scsi().initiatorPorts());
    Sysfs.on(k.host()).scan(a);
    Topology t = Sysfs.on(k.host()).discover().network(false).call();
    assertThat(t.paths()).hasSize(2).allSatisfy(p -> {
      assertThat(p.wwid()).contains(w);
      assertThat(p.wwidSource()).contains(WwidSource.UDEV_ID_SERIAL);
    });
  }

  @Test
  void discoversTheBladesNetwork() {
    SimulatedKernel k = SimulatedKernel.blade(dir, HostName.of("blade3"), SimulatedSan.create());
    Topology t = Sysfs.on(k.host()).discover().storage(false).call();
    InterfaceName bond0 = InterfaceName.of("bond0");
    assertThat(t.netDevices()).extracting(d -> d.name().value())
        .containsExactly("lo", "eth0", "eth1", "eth2", "eth3", "bond0", "xenbr0", "bond1", "xenbr1");
    assertThat(t.bond(bond0)).get().satisfies(b -> {
      assertThat(b.mode()).isEqualTo(BondMode.ACTIVE_BACKUP);
      assertThat(b.miimon()).isEqualTo(100);
      assertThat(b.activeSlave()).contains(InterfaceName.of("eth0"));
      assertThat(b.slaves()).extracting(BondSlave::name).containsExactly(InterfaceName.of("eth0"), InterfaceName.of("eth1"));
      assertThat(b.slaves()).extracting(BondSlave::active).containsExactly(true, false);
      assertThat(b.miiUp()).isTrue();
    });
    assertThat(t.bridge(InterfaceName.of("xenbr0"))).get().satisfies(br -> {
      assertThat(br.ports()).containsExactly(new BridgeDevice.BridgePort(bond0, BridgePortState.FORWARDING));
      assertThat(br.stpEnabled()).isFalse();
    });
    assertThat(t.netDevice(InterfaceName.of("eth1"))).get().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(NetDeviceKind.ETHERNET);
      assertThat(d.master()).contains(bond0);
      assertThat(d.carrier()).contains(true);
      assertThat(d.speedMbps()).hasValue(10000);
      assertThat(d.operstate()).isEqualTo("up");
    });
    assertThat(t.netDevice(bond0)).get().satisfies(d -> {
      assertThat(d.kind()).isEqualTo(NetDeviceKind.BOND);
      assertThat(d.master()).contains(InterfaceName.of("xenbr0"));
      assertThat(d.address()).isEqualTo(t.netDevice(InterfaceName.of("eth0")).orElseThrow().address());
    });
    assertThat(t.netDevice(InterfaceName.of("lo"))).get().satisfies(d -> assertThat(d.kind()).isEqualTo(NetDeviceKind.LOOPBACK));
    assertThat(t.vlans()).isEmpty();
    assertThat(t.skipped()).isEmpty();
  }
}
