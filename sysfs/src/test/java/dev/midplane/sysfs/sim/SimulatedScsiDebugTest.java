package dev.midplane.sysfs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.files.Errno;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.ScanAddress;
import dev.midplane.sysfs.ScsiHost;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.UdevEntry;
import dev.midplane.sysfs.WwidSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scsi_debug preset against what the real driver showed in the lab (captures of Debian 12's
 * kernel 6.1 with {@code add_host=2 num_tgts=1 max_luns=1 dev_size_mb=64 vpd_use_hostno=0}).
 */
class SimulatedScsiDebugTest {
  static final Wwid LUN = Wwid.of("1Linux_scsi_debug_2000");

  @TempDir
  Path dir;

  private static Topology storage(SimulatedKernel k) {
    return Sysfs.on(k.host()).discover().network(false).call();
  }

  @Test
  void oneLunOnTwoPseudoHostsAsTheLabShowsIt() throws IOException {
    SimulatedKernel k = SimulatedScsiDebug.lab().boot(dir, HostName.of("lab-sim"));
    Topology t = storage(k);
    assertThat(t.scsiHosts()).extracting(ScsiHost::number, ScsiHost::procName, h -> h.fc().isPresent())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "scsi_debug", false),
            org.assertj.core.groups.Tuple.tuple(1, "scsi_debug", false));
    assertThat(t.paths()).extracting(ScsiPath::hctl).containsExactly(Hctl.of(0, 0, 0, 0), Hctl.of(1, 0, 0, 0));
    assertThat(t.paths()).allSatisfy(p -> {
      assertThat(p.wwid()).contains(LUN);
      assertThat(p.wwidSource()).contains(WwidSource.UDEV_ID_SERIAL);
      assertThat(List.of(p.vendor(), p.model(), p.revision())).containsExactly("Linux", "scsi_debug", "0191");
      assertThat(p.sizeBytes()).isEqualTo(64L << 20);
      assertThat(p.remotePort()).isEmpty();
      assertThat(p.isRunning()).isTrue();
    });
    // scsi_debug answers access state host_no % 3: host0 optimized, host1 non-optimized
    assertThat(t.paths()).extracting(p -> p.accessState().orElseThrow())
        .containsExactly("active/optimized", "active/non-optimized");
    Path sda = k.root().resolve("sys/block/sda/device");
    assertThat(sda.toRealPath().toString()).endsWith("sys/devices/pseudo_0/adapter0/host0/target0:0:0/0:0:0:0");
    assertThat(Files.readString(sda.resolve("wwid")).strip()).isEqualTo("naa.33333330000007d0");
    assertThat(Files.readString(sda.resolve("dh_state")).strip()).isEqualTo("alua");
    assertThat(k.root().resolve("dev/disk/by-path")).isEmptyDirectory();
    assertThat(k.root().resolve("dev/disk/by-id/scsi-SLinux_scsi_debug_2000")).exists();
    assertThat(k.root().resolve("dev/disk/by-id/scsi-333333330000007d0")).exists();
    assertThat(k.root().resolve("dev/disk/by-id/wwn-0x33333330000007d0")).exists();
  }

  @Test
  void udevRecordsWhatTheRealUdevRecorded() throws IOException {
    SimulatedKernel k = SimulatedScsiDebug.lab().boot(dir, HostName.of("lab-sim"));
    Map<String, String> real = new TreeMap<>();
    Fixtures.text(getClass(), "/dev/midplane/sysfs/scsi/udevadm-info-sda.txt").lines().filter(l -> l.startsWith("E: "))
        .map(l -> l.substring(3)).forEach(l -> real.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    // the real sda is host1's disk; here host1's disk is sdb (probe order differs, as it may on Linux)
    UdevEntry sim = UdevEntry.parse(Files.readString(k.root().resolve("run/udev/data/b8:16")), "b8:16");
    for (String key : List.of("ID_SERIAL", "ID_SERIAL_SHORT", "ID_SCSI_SERIAL", "ID_VENDOR", "ID_VENDOR_ENC", "ID_MODEL",
        "ID_MODEL_ENC", "ID_REVISION", "ID_WWN", "ID_WWN_WITH_EXTENSION", "ID_BUS", "ID_TYPE", "SCSI_TPGS")) {
      assertThat(sim.property(key)).as(key).contains(real.get(key));
    }
  }

  @Test
  void aGrownStoreShowsAfterARescanOfEachPath() {
    SimulatedKernel k = SimulatedScsiDebug.lab().boot(dir, HostName.of("lab-sim"));
    Sysfs s = Sysfs.on(k.host());
    k.host().writeAttribute("/sys/bus/pseudo/drivers/scsi_debug/virtual_gb", "1");
    assertThat(storage(k).paths()).extracting(ScsiPath::sizeBytes).containsOnly(64L << 20);
    s.rescan(BlockDeviceName.of("sda"));
    assertThat(storage(k).paths()).extracting(ScsiPath::sizeBytes).containsExactly(1L << 30, 64L << 20);
    s.rescan(BlockDeviceName.of("sdb"));
    assertThat(storage(k).paths()).extracting(ScsiPath::sizeBytes).containsOnly(1L << 30);
    assertThatThrownBy(() -> k.host().writeAttribute("/sys/bus/pseudo/drivers/scsi_debug/virtual_gb", "-1"))
        .isInstanceOfSatisfying(AttributeWriteException.class, e -> assertThat(e.errno()).contains(Errno.EINVAL));
  }

  @Test
  void aDeletedPathComesBackWithAWildcardOrATargetedScan() {
    SimulatedKernel k = SimulatedScsiDebug.lab().boot(dir, HostName.of("lab-sim"));
    Sysfs s = Sysfs.on(k.host());
    List<String> events = new ArrayList<>();
    k.scsi().addListener(new SimulatedScsi.DiskListener() {
      @Override
      public void added(SimulatedScsi.Disk d) {
        events.add("added " + d.name() + " " + d.hctl());
      }

      @Override
      public void removed(SimulatedScsi.Disk d) {
        events.add("removed " + d.name() + " " + d.hctl());
      }
    });
    s.delete(BlockDeviceName.of("sdb"));
    assertThat(storage(k).paths()).extracting(ScsiPath::hctl).containsExactly(Hctl.of(0, 0, 0, 0));
    assertThat(k.root().resolve("sys/devices/pseudo_0/adapter1/host1/target1:0:0")).doesNotExist();
    s.scan(1, ScanAddress.of(0, 0, 0));
    assertThat(storage(k).pathsTo(LUN)).hasSize(2);
    s.delete(BlockDeviceName.of("sdb"));
    s.scan(1);
    assertThat(storage(k).pathsTo(LUN)).extracting(ScsiPath::hctl).containsExactly(Hctl.of(0, 0, 0, 0), Hctl.of(1, 0, 0, 0));
    assertThat(events).containsExactly("removed sdb 1:0:0:0", "added sdb 1:0:0:0", "removed sdb 1:0:0:0", "added sdb 1:0:0:0");
  }

  @Test
  void aScanOutsideTheHostsChannelsTargetsOrLunsIsRefused() {
    SimulatedKernel k = SimulatedScsiDebug.lab().boot(dir, HostName.of("lab-sim"));
    for (String bad : List.of("7 0 0", "1 - -", "0 1 0", "0 0 60000")) {
      assertThatThrownBy(() -> k.host().writeAttribute("/sys/class/scsi_host/host0/scan", bad)).as(bad)
          .isInstanceOfSatisfying(AttributeWriteException.class, e -> assertThat(e.errno()).contains(Errno.EINVAL));
    }
    k.host().writeAttribute("/sys/class/scsi_host/host0/scan", "0 0 5");
    assertThat(storage(k).paths()).hasSize(2);
  }

  @Test
  void withoutADeviceHandlerThereIsNoAccessStateAndThePathsAreStillFound() throws IOException {
    SimulatedKernel k = SimulatedScsiDebug.lab().withoutDeviceHandler().boot(dir, HostName.of("lab-sim"));
    Topology t = storage(k);
    assertThat(t.pathsTo(LUN)).hasSize(2).allSatisfy(p -> assertThat(p.accessState()).isEmpty());
    assertThat(Files.readString(k.root().resolve("sys/block/sda/device/dh_state")).strip()).isEqualTo("detached");
    // the driver answers REPORT TARGET PORT GROUPS all the same (multipath's alua prioritizer asks it)
    assertThat(k.scsi().targetPortGroupState(BlockDeviceName.of("sdb"))).contains("active/non-optimized");
    assertThat(t.skipped()).isEmpty();
  }

  @Test
  void addHostAddsAPathAndTakesTheNewestHostAway() throws IOException {
    SimulatedKernel k = SimulatedScsiDebug.lab().boot(dir, HostName.of("lab-sim"));
    k.host().writeAttribute("/sys/bus/pseudo/drivers/scsi_debug/add_host", "1");
    Topology t = storage(k);
    assertThat(t.pathsTo(LUN)).extracting(p -> p.hctl().host()).containsExactly(0, 1, 2);
    assertThat(t.path(Hctl.of(2, 0, 0, 0)).orElseThrow().accessState()).contains("standby");
    assertThat(Files.readString(k.root().resolve("sys/bus/pseudo/drivers/scsi_debug/add_host")).strip()).isEqualTo("3");
    k.host().writeAttribute("/sys/bus/pseudo/drivers/scsi_debug/add_host", "-1");
    t = storage(k);
    assertThat(t.scsiHosts()).extracting(ScsiHost::number).containsExactly(0, 1);
    assertThat(t.pathsTo(LUN)).hasSize(2);
    assertThat(k.root().resolve("sys/devices/pseudo_0/adapter2")).doesNotExist();
  }

  @Test
  void devicesAreNumberedByTargetAndLun() {
    SimulatedKernel k = new SimulatedScsiDebug(1, 2, 2, 8, true).boot(dir, HostName.of("lab-sim"));
    assertThat(storage(k).paths()).extracting(p -> p.hctl() + "=" + p.wwid().orElseThrow()).containsExactly(
        "0:0:0:0=1Linux_scsi_debug_2000", "0:0:0:1=1Linux_scsi_debug_2001",
        "0:0:1:0=1Linux_scsi_debug_3000", "0:0:1:1=1Linux_scsi_debug_3001");
    assertThat(SimulatedScsiDebug.sysfsWwid(1, 1)).isEqualTo("naa.3333333000000bb9");
  }

  /** The real {@code lsscsi} reads the simulated tree as it read the real kernel's. */
  @Test
  @RequiresReal(tools = "lsscsi")
  void lsscsiOnTheSimulatedTreePrintsWhatItPrintedInTheLab() {
    SimulatedKernel k = SimulatedScsiDebug.lab().boot(dir, HostName.of("lab-sim"));
    CommandResult r = new LocalCommandRunner().run(Command.builder("lsscsi", "--sysfsroot=" + k.root().resolve("sys"), "-k", "-s")
        .timeout(Duration.ofSeconds(30)).build()).requireSuccess("local");
    // -k: the kernel names, as the guest (whose /dev has the nodes) printed them; the names depend
    // on probe order, which differs between runs of Linux too
    assertThat(withoutDeviceNames(r.stdout()))
        .isEqualTo(withoutDeviceNames(Fixtures.text(getClass(), "/dev/midplane/sysfs/scsi/lsscsi-s.txt")));
  }

  private static List<String> withoutDeviceNames(String lsscsi) {
    return lsscsi.lines().map(l -> l.replaceAll("/dev/sd[a-z]+", "/dev/sdX")).toList();
  }
}
