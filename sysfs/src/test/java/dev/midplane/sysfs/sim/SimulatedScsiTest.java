package dev.midplane.sysfs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.files.Errno;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.FcRemotePort;
import dev.midplane.sysfs.ScanAddress;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.Wwn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedScsiTest {
  @TempDir
  Path dir;

  SimulatedSan san;
  SimulatedKernel kernel;
  Sysfs sysfs;

  @BeforeEach
  void blade() {
    san = SimulatedSan.create();
    kernel = SimulatedKernel.bareBlade(dir, HostName.of("blade1"), san);
    sysfs = Sysfs.on(kernel.host());
  }

  private Topology storage() {
    return sysfs.discover().network(false).call();
  }

  @Test
  void aPresentedLunAppearsOnlyAfterAScanThroughEveryReachableTargetPort() {
    Wwid lun = san.createLun(8L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    assertThat(storage().paths()).isEmpty();

    sysfs.scan(1);
    assertThat(storage().pathsTo(lun)).extracting(ScsiPath::hctl)
        .containsExactly(Hctl.of(1, 0, 0, 0), Hctl.of(1, 0, 1, 0));
    sysfs.scan(2);
    Topology t = storage();
    assertThat(t.pathsTo(lun)).hasSize(4).allSatisfy(p -> {
      assertThat(p.sizeBytes()).isEqualTo(8L << 30);
      assertThat(p.isRunning()).isTrue();
    });
    assertThat(t.paths()).extracting(p -> p.device().value()).containsExactly("sda", "sdb", "sdc", "sdd");
    assertThat(t.pathsTo(lun)).extracting(p -> p.accessState().orElseThrow())
        .containsExactly("active/optimized", "active/non-optimized", "active/optimized", "active/non-optimized");
    // scanning again changes nothing
    sysfs.scan(1);
    assertThat(storage().paths()).hasSize(4);
  }

  @Test
  void aTargetedScanAddsOnlyThatLun() {
    Wwid a = san.createLun(1L << 30);
    Wwid b = san.createLun(1L << 30);
    san.present(a, kernel.scsi().initiatorPorts());
    san.present(b, kernel.scsi().initiatorPorts());
    long lunB = san.lun(b).orElseThrow().lunId();
    sysfs.scan(1, ScanAddress.of(0, 1, lunB));
    assertThat(storage().paths()).singleElement().satisfies(p -> {
      assertThat(p.hctl()).isEqualTo(Hctl.of(1, 0, 1, lunB));
      assertThat(p.wwid()).contains(b);
    });
  }

  @Test
  void aRemotePortThatLogsInAgainIsScanned() {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    assertThat(storage().paths()).isEmpty();
    Wwn hba = kernel.scsi().initiatorPorts().get(0);
    san.cutPort(hba);
    san.restorePort(hba);
    assertThat(storage().pathsTo(lun)).extracting(p -> p.hctl().host()).containsExactly(1, 1);
    // another blade on the same array sees nothing that is not masked to it
    SimulatedKernel other = SimulatedKernel.bareBlade(dir.resolve("b2"), HostName.of("blade2"), san);
    Sysfs.on(other.host()).scan(1);
    assertThat(Sysfs.on(other.host()).discover().network(false).call().paths()).isEmpty();
    assertThat(other.scsi().initiatorPorts()).doesNotContainAnyElementsOf(kernel.scsi().initiatorPorts());
  }

  @Test
  void rescanPicksUpAGrownLunPathByPath() {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(1);
    san.grow(lun, 3L << 30);
    sysfs.scan(1);
    assertThat(storage().pathsTo(lun)).allMatch(p -> p.sizeBytes() == 1L << 30);
    sysfs.rescan(BlockDeviceName.of("sda"));
    Topology t = storage();
    assertThat(t.path(BlockDeviceName.of("sda")).orElseThrow().sizeBytes()).isEqualTo(3L << 30);
    assertThat(t.path(BlockDeviceName.of("sdb")).orElseThrow().sizeBytes()).isEqualTo(1L << 30);
    assertThatThrownBy(() -> san.grow(lun, 1L << 30)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deleteRemovesTheDeviceAndEveryLinkToIt() throws IOException {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(1);
    Path root = kernel.root();
    assertThat(root.resolve("run/udev/data/b8:0")).exists();
    assertThat(Files.readSymbolicLink(root.resolve("dev/disk/by-id/scsi-" + lun))).hasToString("../../sdb");
    sysfs.delete(BlockDeviceName.of("sda"));
    for (String p : List.of("sys/block/sda", "sys/class/block/sda", "sys/dev/block/8:0", "sys/bus/scsi/devices/1:0:0:0",
        "sys/class/scsi_device/1:0:0:0", "sys/class/scsi_disk/1:0:0:0", "dev/sda", "run/udev/data/b8:0",
        "sys/devices/pci0000:00/0000:00:03.0/0000:06:00.0/host1/rport-1:0-0/target1:0:0")) {
      assertThat(root.resolve(p)).as(p).doesNotExist();
    }
    assertThat(Files.readSymbolicLink(root.resolve("dev/disk/by-id/scsi-" + lun))).hasToString("../../sdb");
    // the lowest free name comes back at the next scan
    sysfs.scan(1);
    assertThat(storage().path(Hctl.of(1, 0, 0, 0)).orElseThrow().device()).isEqualTo(BlockDeviceName.of("sda"));
    assertThatThrownBy(() -> sysfs.delete(BlockDeviceName.of("sdq"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void deleteRefusesAHeldPathAndRemovesItFromTheMapWhenForced() {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(1);
    kernel.deviceMapper().create("vm-a", Optional.of(lun.dmUuid()),
        SimulatedDeviceMapper.Table.of(2097152, "multipath", "0 0 1 1 round-robin 0 2 1 8:0 1 8:16 1"));
    assertThatThrownBy(() -> sysfs.delete(BlockDeviceName.of("sda"))).isInstanceOf(UnsafeOperationException.class)
        .hasMessageContaining("held by dm-0");
    sysfs.deleteEvenIfHeld(BlockDeviceName.of("sda"));
    Topology t = storage();
    assertThat(t.multipathMap("vm-a").orElseThrow().paths()).containsExactly(BlockDeviceName.of("sdb"));
    assertThat(kernel.root().resolve("sys/block/dm-0/slaves/sda")).doesNotExist();
    assertThat(kernel.deviceMapper().device("vm-a").orElseThrow().table().orElseThrow().devices()).hasSize(2);
  }

  @Test
  void anUnmappedLunsDevicesStayUntilDeleted() {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(1);
    san.unmap(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(1);
    sysfs.rescan(BlockDeviceName.of("sda"));
    assertThat(storage().pathsTo(lun)).hasSize(2);
    assertThat(san.presentedTo(kernel.scsi().initiatorPorts().get(0))).isEmpty();
  }

  @Test
  void aCutPathBlocksThenFailsIoThenRemovesTheDevicesOnTheKernelsClock() {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(1);
    sysfs.setFastIoFailTmo("rport-1:0-0", OptionalInt.of(5));
    sysfs.setDevLossTmo("rport-1:0-0", 30);
    Wwn init = kernel.scsi().initiatorPorts().get(0);
    Wwn target = san.targetPorts().get(0).wwpn();

    san.cutPath(init, target);
    Topology t = storage();
    assertThat(t.path(Hctl.of(1, 0, 0, 0)).orElseThrow().state()).isEqualTo("blocked");
    assertThat(rport(t, "rport-1:0-0").portState()).isEqualTo("Blocked");
    assertThat(t.path(Hctl.of(1, 0, 1, 0)).orElseThrow().state()).isEqualTo("running");
    // a blocked port refuses new timeouts, as fc_rport_set_dev_loss_tmo does
    assertThatThrownBy(() -> sysfs.setDevLossTmo("rport-1:0-0", 60)).isInstanceOf(AttributeWriteException.class)
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).contains(Errno.EBUSY));
    // rescan and scan cannot bring it back
    sysfs.rescan(BlockDeviceName.of("sda"));
    sysfs.scan(1);

    san.advance(Duration.ofSeconds(5));
    assertThat(storage().path(Hctl.of(1, 0, 0, 0)).orElseThrow().state()).isEqualTo("transport-offline");
    san.advance(Duration.ofSeconds(25));
    t = storage();
    assertThat(t.path(Hctl.of(1, 0, 0, 0))).isEmpty();
    assertThat(rport(t, "rport-1:0-0").portState()).isEqualTo("Not Present");
    assertThat(t.pathsTo(lun)).hasSize(1);

    san.restorePath(init, target);
    t = storage();
    assertThat(rport(t, "rport-1:0-0").portState()).isEqualTo("Online");
    assertThat(t.path(Hctl.of(1, 0, 0, 0))).get().satisfies(p -> assertThat(p.isRunning()).isTrue());
  }

  @Test
  void aPathRestoredBeforeDevLossRunsAgain() {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(2);
    Wwn hba = kernel.scsi().initiatorPorts().get(1);
    san.cutPort(hba);
    Topology t = storage();
    assertThat(t.scsiHost(2).orElseThrow().fc().orElseThrow().portState()).isEqualTo("Linkdown");
    assertThat(t.pathsTo(lun)).allMatch(p -> p.state().equals("blocked"));
    san.advance(Duration.ofSeconds(59));
    san.restorePort(hba);
    t = storage();
    assertThat(t.pathsTo(lun)).hasSize(2).allMatch(ScsiPath::isRunning);
    assertThat(t.scsiHost(2).orElseThrow().fc().orElseThrow().isOnline()).isTrue();
  }

  @Test
  void deviceStateAcceptsOnlyRunningAndOffline() throws IOException {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(1);
    BlockDeviceName sda = BlockDeviceName.of("sda");
    sysfs.setDeviceState(sda, Sysfs.DeviceState.OFFLINE);
    assertThat(storage().path(sda).orElseThrow().state()).isEqualTo("offline");
    assertThatThrownBy(() -> kernel.host().writeAttribute("/sys/block/sda/device/state", "blocked"))
        .isInstanceOf(AttributeWriteException.class).hasMessageContaining("EINVAL");
    sysfs.setDeviceState(sda, Sysfs.DeviceState.RUNNING);
    assertThat(storage().path(sda).orElseThrow().isRunning()).isTrue();
  }

  @Test
  void theLastRunningPathOfAMapIsNotTakenOfflineUnlessAsked() {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(1);
    kernel.deviceMapper().create("vm-a", Optional.of(lun.dmUuid()),
        SimulatedDeviceMapper.Table.of(2097152, "multipath", "0 0 1 1 round-robin 0 2 1 8:0 1 8:16 1"));
    sysfs.setDeviceState(BlockDeviceName.of("sda"), Sysfs.DeviceState.OFFLINE);
    assertThatThrownBy(() -> sysfs.setDeviceState(BlockDeviceName.of("sdb"), Sysfs.DeviceState.OFFLINE))
        .isInstanceOf(UnsafeOperationException.class).hasMessageContaining("sdb is the last running path of dm-0");
    assertThat(storage().path(BlockDeviceName.of("sdb")).orElseThrow().isRunning()).isTrue();
    sysfs.setOfflineEvenIfLastPath(BlockDeviceName.of("sdb"));
    assertThat(storage().path(BlockDeviceName.of("sdb")).orElseThrow().state()).isEqualTo("offline");
  }

  @Test
  void kernelRefusalsCarryTheirErrno() {
    assertThatThrownBy(() -> kernel.host().writeAttribute("/sys/class/scsi_host/host1/scan", "- -"))
        .isInstanceOf(AttributeWriteException.class)
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).contains(Errno.EINVAL))
        .hasMessageContaining("/sys/class/scsi_host/host1/scan").hasMessageContaining("blade1");
    assertThatThrownBy(() -> kernel.host().writeAttribute("/sys/class/scsi_host/host1/proc_name", "x"))
        .isInstanceOf(AttributeWriteException.class)
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).contains(Errno.EACCES));
    assertThatThrownBy(() -> sysfs.scan(7)).isInstanceOf(AttributeWriteException.class)
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).contains(Errno.ENOENT));
    assertThatThrownBy(() -> sysfs.setFastIoFailTmo("rport-1:0-0", OptionalInt.of(60)))
        .isInstanceOf(AttributeWriteException.class).hasMessageContaining("EINVAL");
    assertThatThrownBy(() -> sysfs.setDevLossTmo("rport-1:0-0", 601)).isInstanceOf(AttributeWriteException.class);
    sysfs.setFastIoFailTmo("rport-1:0-0", OptionalInt.of(5));
    sysfs.setDevLossTmo("rport-1:0-0", 3600);
    assertThat(rport(storage(), "rport-1:0-0").devLossTmo()).isEqualTo(3600);
    assertThatThrownBy(() -> sysfs.setDevLossTmo("../../etc", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTargetedScanOfAChannelTheHostLacksIsRefusedAsLinuxRefusesIt() {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    // an FC HBA has one channel; the SATA controller two, and one LUN per target
    for (String bad : List.of("1 0 0", "7 - -", "0 5000 0")) {
      assertThatThrownBy(() -> sysfs.scan(1, parse(bad))).as(bad)
          .isInstanceOfSatisfying(AttributeWriteException.class, e -> assertThat(e.errno()).contains(Errno.EINVAL));
    }
    assertThat(storage().paths()).isEmpty();
    sysfs.scan(0, parse("1 0 0"));
    assertThatThrownBy(() -> sysfs.scan(0, parse("0 0 1"))).isInstanceOf(AttributeWriteException.class);
    sysfs.scan(1, parse("0 - -"));
    assertThat(storage().pathsTo(lun)).hasSize(2);
  }

  private static ScanAddress parse(String words) {
    try {
      return SimulatedScsi.parseScan(words);
    } catch (KernelException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void disksAreResponsiveWhileTheArrayAnswersThroughTheirPort() {
    Wwid lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.scan(1);
    BlockDeviceName sda = BlockDeviceName.of("sda");
    assertThat(kernel.scsi().isResponsive(sda)).isTrue();
    san.unmap(lun, kernel.scsi().initiatorPorts());
    assertThat(kernel.scsi().disk(sda)).isPresent();
    assertThat(kernel.scsi().isResponsive(sda)).as("unmapped: the device stays, I/O fails").isFalse();
    san.present(lun, kernel.scsi().initiatorPorts());
    sysfs.setDeviceState(sda, Sysfs.DeviceState.OFFLINE);
    assertThat(kernel.scsi().isResponsive(sda)).isFalse();
    assertThat(kernel.scsi().isResponsive(BlockDeviceName.of("sdz"))).isFalse();
  }

  @Test
  void issueLipOnAnFcHostAndNotOnAPlainOne() {
    sysfs.issueLip(1);
    assertThatThrownBy(() -> sysfs.issueLip(0)).isInstanceOf(AttributeWriteException.class)
        .satisfies(e -> assertThat(((AttributeWriteException) e).errno()).contains(Errno.ENOENT));
  }

  @Test
  void sdNamesAndNumbersFollowTheKernel() {
    assertThat(SimulatedScsi.diskName(0)).isEqualTo("sda");
    assertThat(SimulatedScsi.diskName(25)).isEqualTo("sdz");
    assertThat(SimulatedScsi.diskName(26)).isEqualTo("sdaa");
    assertThat(SimulatedScsi.diskName(701)).isEqualTo("sdzz");
    assertThat(SimulatedScsi.diskName(702)).isEqualTo("sdaaa");
    assertThat(SimulatedScsi.sdDevNumber(1)).hasToString("8:16");
    assertThat(SimulatedScsi.sdDevNumber(16)).hasToString("65:0");
    assertThat(SimulatedScsi.sdDevNumber(128)).hasToString("128:0");
    assertThat(SimulatedScsi.sdDevNumber(256)).hasToString("8:256");
    assertThat(SimulatedScsi.sdDevNumber(16383)).hasToString("135:16368");
  }

  private static FcRemotePort rport(Topology t, String name) {
    return t.remotePorts().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }
}
