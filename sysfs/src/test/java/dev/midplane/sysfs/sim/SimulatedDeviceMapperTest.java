package dev.midplane.sysfs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DmDevice;
import dev.midplane.sysfs.MultipathMap;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.UdevEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedDeviceMapperTest {
  @TempDir
  Path dir;

  SimulatedSan san;
  SimulatedKernel kernel;
  SimulatedDeviceMapper dm;
  Wwid lun;

  @BeforeEach
  void bladeWithALun() {
    san = SimulatedSan.create();
    kernel = SimulatedKernel.bareBlade(dir, HostName.of("blade1"), san);
    lun = san.createLun(1L << 30);
    san.present(lun, kernel.scsi().initiatorPorts());
    Sysfs.on(kernel.host()).scan(1);
    dm = kernel.deviceMapper();
  }

  private static SimulatedDeviceMapper.Table mpath(long sectors, String... devs) {
    StringBuilder p = new StringBuilder("0 1 alua 1 1 service-time 0 " + devs.length + " 1");
    for (String d : devs) {
      p.append(' ').append(d).append(" 1");
    }
    return SimulatedDeviceMapper.Table.of(sectors, "multipath", p.toString());
  }

  @Test
  void aMapIsVisibleEverywhereMultipathAndLsblkLook() throws IOException {
    dm.create("vm-web01", Optional.of(lun.dmUuid()), mpath(2097152, "8:0", "8:16"));
    Path r = kernel.root();
    assertThat(Files.readSymbolicLink(r.resolve("dev/mapper/vm-web01"))).hasToString("../dm-0");
    assertThat(r.resolve("dev/dm-0")).exists();
    assertThat(Files.readSymbolicLink(r.resolve("sys/dev/block/254:0"))).hasToString("../../devices/virtual/block/dm-0");
    assertThat(Files.readSymbolicLink(r.resolve("sys/block/dm-0/slaves/sda")))
        .hasToString("../../../../pci0000:00/0000:00:03.0/0000:06:00.0/host1/rport-1:0-0/target1:0:0/1:0:0:0/block/sda");
    assertThat(Files.readSymbolicLink(r.resolve("sys/block/sda/holders/dm-0")))
        .hasToString("../../../../../../../../../../virtual/block/dm-0");
    assertThat(r.resolve("sys/block/sda/holders/dm-0/dm/name")).hasContent("vm-web01");
    UdevEntry e = UdevEntry.parse(Files.readString(r.resolve("run/udev/data/b254:0")), "b254:0");
    assertThat(e.property("DM_NAME")).contains("vm-web01");
    assertThat(e.property("DM_UUID")).contains("mpath-" + lun);

    Topology t = Sysfs.on(kernel.host()).discover().network(false).call();
    MultipathMap m = t.multipathMapOf(lun).orElseThrow();
    assertThat(m.name()).isEqualTo("vm-web01");
    assertThat(m.alias()).isPresent();
    assertThat(m.device()).isEqualTo(BlockDeviceName.of("dm-0"));
    assertThat(m.sizeBytes()).isEqualTo(1L << 30);
    assertThat(m.paths()).extracting(BlockDeviceName::value).containsExactly("sda", "sdb");
    assertThat(m.suspended()).isFalse();
  }

  @Test
  void reloadAndResumeResizeAndRepath() {
    dm.create("vm-a", Optional.of(lun.dmUuid()), mpath(2097152, "8:0", "8:16"));
    dm.load("vm-a", mpath(4194304, "8:16"));
    assertThat(dm.device("vm-a").orElseThrow().sectors()).isEqualTo(2097152);
    assertThat(dm.device("vm-a").orElseThrow().inactiveTable()).isPresent();
    dm.suspend("vm-a");
    assertThat(Sysfs.on(kernel.host()).discover().network(false).call().dmDevices().get(0).suspended()).isTrue();
    dm.resume("vm-a");
    DmDevice d = Sysfs.on(kernel.host()).discover().network(false).call().dmDevices().get(0);
    assertThat(d.sizeBytes()).isEqualTo(2L << 30);
    assertThat(d.slaves()).extracting(BlockDeviceName::value).containsExactly("sdb");
    assertThat(kernel.root().resolve("sys/block/sda/holders/dm-0")).doesNotExist();
    assertThat(d.suspended()).isFalse();
  }

  @Test
  void removeRefusesAnOpenOrHeldDevice() {
    dm.create("vm-a", Optional.of(lun.dmUuid()), mpath(2097152, "8:0", "8:16"));
    dm.open("vm-a");
    assertThatThrownBy(() -> dm.remove("vm-a")).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).errnoName()).isEqualTo("EBUSY"));
    dm.close("vm-a");
    dm.create("vm-a-part1", Optional.of("part1-" + lun.dmUuid()), SimulatedDeviceMapper.Table.of(2000, "linear", "254:0 2048"));
    assertThatThrownBy(() -> dm.remove("vm-a")).isInstanceOf(KernelException.class);
    dm.remove("vm-a-part1");
    dm.remove("vm-a");
    assertThat(dm.devices()).isEmpty();
    assertThat(kernel.root().resolve("dev/mapper/vm-a")).doesNotExist();
    assertThat(kernel.root().resolve("sys/block/sda/holders")).isEmptyDirectory();
    // the minor is reused
    assertThat(dm.create("vm-b", Optional.empty(), mpath(2097152, "8:0")).kernelName().value()).isEqualTo("dm-0");
  }

  @Test
  void aPartitionMapCountsAsAnOpenerAndAReloadCanBeCleared() {
    dm.create("vm-a", Optional.of(lun.dmUuid()), mpath(2097152, "8:0", "8:16"));
    dm.create("vm-a-part1", Optional.of("part1-" + lun.dmUuid()), SimulatedDeviceMapper.Table.of(2000, "linear", "254:0 2048"));
    assertThat(dm.device("vm-a").orElseThrow().openCount()).isEqualTo(1);
    dm.remove("vm-a-part1");
    assertThat(dm.device("vm-a").orElseThrow().openCount()).isZero();

    dm.load("vm-a", mpath(4194304, "8:0", "8:16"));
    assertThat(dm.device("vm-a").orElseThrow().inactiveTable()).isPresent();
    dm.clear("vm-a");
    dm.resume("vm-a");
    assertThat(dm.device("vm-a").orElseThrow().sectors()).as("nothing was swapped in").isEqualTo(2097152);
  }

  @Test
  void errorsAreTheKernels() {
    dm.create("vm-a", Optional.of(lun.dmUuid()), mpath(2097152, "8:0"));
    assertThatThrownBy(() -> dm.create("vm-a", Optional.empty(), mpath(8, "8:0"))).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).errnoName()).isEqualTo("EBUSY"));
    assertThatThrownBy(() -> dm.create("vm-b", Optional.of(lun.dmUuid()), mpath(8, "8:0"))).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).errnoName()).isEqualTo("EBUSY"));
    assertThatThrownBy(() -> dm.create("vm-c", Optional.empty(), mpath(8, "8:240"))).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).errnoName()).isEqualTo("ENXIO"));
    assertThatThrownBy(() -> dm.remove("nope")).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).errnoName()).isEqualTo("ENXIO"));
    assertThatThrownBy(() -> dm.create("a/b", Optional.empty(), mpath(8, "8:0"))).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).errnoName()).isEqualTo("EINVAL"));
    assertThatThrownBy(() -> dm.close("vm-a")).isInstanceOf(KernelException.class);
    dm.rename("vm-a", "vm-z");
    assertThat(kernel.root().resolve("dev/mapper/vm-z")).exists();
    assertThat(kernel.root().resolve("dev/mapper/vm-a")).doesNotExist();
    assertThat(Sysfs.on(kernel.host()).discover().network(false).call().multipathMap("vm-z")).isPresent();
  }
}
