package dev.midplane.multipath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.plan.Plan;
import dev.midplane.multipath.backend.ToolsVersion;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.multipath.sim.SimulatedMultipathTools;
import dev.midplane.multipath.topology.CheckerState;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.multipath.topology.PathGroup;
import dev.midplane.multipath.topology.PathState;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.ScsiPath;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The whole LUN lifecycle on a simulated blade: the array presents a LUN, a scan finds its four
 * paths, the map {@code vm-web01} is made, the array grows the LUN, the map is grown, and removed
 * with its paths — with multipathd, without it, and with tools from before 0.4.9; and the
 * refusals that keep maps and data safe.
 */
class MultipathLifecycleTest extends OnASimulatedArray {
  @Test
  void presentScanCreateGrowResizeRemoveWithMultipathd() throws Exception {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory);
    Multipath mp = b.multipath;
    assertThat(mp.mode()).isEqualTo(Multipath.Mode.MULTIPATHD);

    // the array presents a LUN; a scan finds it through 2 HBAs × 2 target ports
    Wwid lun = Blades.presented(san, 10 * GIB, b);
    ScanCommand.Report scanned = mp.scan().call();
    assertThat(scanned.newPaths()).hasSize(4).allSatisfy(p -> assertThat(p.wwid()).contains(lun));
    assertThat(scanned.mapsMade()).as("not inventoried yet").isEmpty();
    assertThat(mp.devices()).isEmpty();

    // the map
    MultipathDevice web = mp.create(WEB, lun).vm(DomainName.of("web01")).call();
    MultipathDeviceStatus s = web.status();
    assertThat(s.name().value()).isEqualTo("vm-web01");
    assertThat(s.alias()).contains(WEB);
    assertThat(s.wwid()).isEqualTo(lun);
    assertThat(s.sizeBytes()).isEqualTo(10 * GIB);
    assertThat(s.paths()).hasSize(4).allSatisfy(p -> assertThat(p.isUp()).isTrue());
    // LIO's built-in entry: group by ALUA priority, queue for 12 checks, the alua handler
    assertThat(s.pathGroups()).extracting(g -> g.priority().orElseThrow()).containsExactly(50, 10);
    assertThat(s.features()).isEqualTo("1 queue_if_no_path");
    assertThat(s.hardwareHandler()).isEqualTo("1 alua");
    assertThat(s.isOpen()).isFalse();
    assertThat(s.isDegraded()).isFalse();
    assertThat(b.kernel.root().resolve("dev/mapper/vm-web01")).exists();
    assertThat(mp.inventory().find(lun)).contains(new Lun(WEB, lun, Optional.of(DomainName.of("web01")), Optional.empty()));
    MultipathConfig conf = MultipathConfig.parse(Files.readString(b.kernel.root().resolve("etc/multipath.conf")));
    assertThat(conf.blacklist().wwids()).contains(".*");
    assertThat(conf.blacklistExceptions().wwids()).contains("^" + lun + "$");
    assertThat(conf.multipath(lun.value()).orElseThrow().alias()).contains("vm-web01");
    assertThat(mp.devices()).extracting(MultipathDevice::key).containsExactly(lun.value());
    assertThat(mp.create(WEB, lun).plan().isEmpty()).as("creating it again changes nothing").isTrue();

    // the array grows the LUN; the map follows once resized
    san.grow(lun, 20 * GIB);
    assertThat(web.status().sizeBytes()).isEqualTo(10 * GIB);
    MultipathDeviceStatus grown = web.resize().call();
    assertThat(grown.sizeBytes()).isEqualTo(20 * GIB);
    assertThat(grown.scsiPaths()).extracting(ScsiPath::sizeBytes).containsOnly(20 * GIB);
    assertThat(mp.deviceMapper().table(grown.name()).lengthBytes()).isEqualTo(20 * GIB);

    // removed: nothing left of it on the host
    web.remove().call();
    assertThat(web.exists()).isFalse();
    assertThat(b.storage().pathsTo(lun)).isEmpty();
    assertThat(b.storage().dmDevices()).isEmpty();
    assertThat(b.kernel.root().resolve("dev/mapper/vm-web01")).doesNotExist();
    assertThatThrownBy(web::status).isInstanceOf(NotFoundException.class).hasMessageContaining("vm-web01");
    assertThat(mp.inventory().find(lun)).as("the shared inventory keeps it unless asked to forget").isPresent();
  }

  @Test
  void dryRunsListTheExactCommandsAndAttributeWrites() {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory);
    Wwid lun = Blades.presentedAndScanned(san, 10 * GIB, b);

    Plan create = b.multipath.create(WEB, lun).plan();
    assertThat(create.commands()).extracting(Command::argv).containsExactly(List.of("multipathd", "reconfigure"));
    assertThat(create.dryRun()).contains("add vm-web01 " + lun + " to the LUN inventory (" + inventory + ")")
        .contains("write /etc/multipath.conf from the inventory").contains("$ multipathd reconfigure")
        .contains("wait until map vm-web01");
    // planning changed nothing on the host
    assertThat(b.storage().multipathMaps()).isEmpty();
    assertThat(inventory).doesNotExist();

    MultipathDevice web = b.multipath.create(WEB, lun).call();
    String resize = web.resize().plan().dryRun();
    for (String sd : List.of("sda", "sdb", "sdc", "sdd")) {
      assertThat(resize).contains("rescan path " + sd + " (").contains("write \"1\" to /sys/block/" + sd + "/device/rescan");
    }
    assertThat(resize).contains("$ multipathd resize map vm-web01");
    String remove = web.remove().plan().dryRun();
    assertThat(remove).contains("$ multipath -f vm-web01").contains("write \"1\" to /sys/block/sdd/device/delete")
        .contains("stay gone");
    assertThat(web.status().paths()).hasSize(4);
  }

  @Test
  void withoutADaemonTheCommandsDoItAndGrowingIsSuspendReloadResume() {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory, SimulatedMultipathTools.DEFAULT_VERSION, false, null);
    Multipath mp = b.multipath;
    assertThat(mp.mode()).isEqualTo(Multipath.Mode.COMMANDS);
    Wwid lun = Blades.presented(san, 10 * GIB, b);
    mp.scan().call();
    int before = b.runner.commandCount();
    MultipathDevice web = mp.create(WEB, lun).call();
    assertThat(b.runner.commands().subList(before, b.runner.commandCount())).extracting(Command::argv)
        .contains(List.of("multipath", lun.value())).noneMatch(a -> a.get(0).equals("multipathd") && !a.contains("show"));
    assertThat(web.status().paths()).hasSize(4);

    san.grow(lun, 12 * GIB);
    Plan p = web.resize().plan();
    assertThat(p.dryRun()).contains("$ dmsetup suspend vm-web01").contains("$ dmsetup reload vm-web01 --table")
        .contains("$ dmsetup resume vm-web01");
    before = b.runner.commandCount();
    assertThat(web.resize().toSize(12 * GIB).call().sizeBytes()).isEqualTo(12 * GIB);
    assertThat(b.runner.commands().subList(before, b.runner.commandCount())).extracting(c -> c.argv().get(0) + " " + c.argv().get(1))
        .containsSubsequence("dmsetup suspend", "dmsetup reload", "dmsetup resume");
    assertThat(mp.deviceMapper().info(MapName.of(WEB)).orElseThrow().suspended()).isFalse();

    web.remove().call();
    assertThat(b.storage().multipathMaps()).isEmpty();
    assertThat(b.storage().pathsTo(lun)).isEmpty();
  }

  @Test
  void toolsBefore049AreDrivenByCommandsAndReadInTheBracketLayout() {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory, new ToolsVersion(0, 4, 8), true, null);
    Multipath mp = b.multipath;
    assertThat(mp.mode()).as("0.4.8's multipathd takes no commands on its command line").isEqualTo(Multipath.Mode.COMMANDS);
    Wwid lun = Blades.presented(san, 10 * GIB, b);
    mp.scan().call();
    MultipathDevice web = mp.create(WEB, lun).call();
    assertThat(b.host.run(Command.of("multipath", "-ll")).stdout()).contains("[size=10G]").contains("\\_ ");
    assertThat(web.status().paths()).hasSize(4).allSatisfy(p -> assertThat(p.dmState()).isEqualTo(PathState.ACTIVE));
    san.grow(lun, 11 * GIB);
    assertThat(web.resize().call().sizeBytes()).isEqualTo(11 * GIB);
  }

  @Test
  void anInventoriedLunGetsItsMapWhenAScanFindsIt() {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory);
    Wwid lun = san.createLun(10 * GIB);
    // inventoried by another host before this one sees it
    dev.midplane.multipath.inventory.LunInventory.empty().add(Lun.of(WEB, lun)).write(inventory);
    assertThat(b.multipath.scan().call().mapsMade()).isEmpty();
    san.present(lun, b.kernel.scsi().initiatorPorts());
    ScanCommand.Report r = b.multipath.scan().call();
    assertThat(r.mapsMade()).containsExactly(WEB);
    assertThat(b.multipath.device(WEB).status().paths()).hasSize(4);
    assertThat(b.multipath.device(lun).status().name().value()).isEqualTo("vm-web01");
  }

  @Test
  void aDeletedPathLeavesTheMapDegradedAndATargetedScanBringsItBack() {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory);
    Wwid lun = Blades.presentedAndScanned(san, 10 * GIB, b);
    MultipathDevice web = b.multipath.create(WEB, lun).call();
    ScsiPath gone = web.status().scsiPaths().get(3);
    Sysfs.on(b.host).deleteEvenIfHeld(gone.device());
    MultipathDeviceStatus degraded = web.status();
    assertThat(degraded.paths()).hasSize(3);
    assertThat(degraded.isDegraded()).isFalse(); // three paths up is still redundant
    b.multipath.scan().at(gone.hctl()).call();
    assertThat(web.status().paths()).hasSize(4);
  }

  @Test
  void removeRefusesAnOpenMapAndAMapWithHoldersNamingThem() {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory);
    Wwid lun = Blades.presentedAndScanned(san, 10 * GIB, b);
    MultipathDevice web = b.multipath.create(WEB, lun).call();
    b.kernel.deviceMapper().open("vm-web01");
    SimulatedDeviceMapper.Device map = b.kernel.deviceMapper().device("vm-web01").orElseThrow();
    b.kernel.deviceMapper().create("vm-web01-part1", Optional.of("part1-" + lun.dmUuid()),
        SimulatedDeviceMapper.Table.of(2048, "linear", map.dev() + " 2048"));
    assertThatThrownBy(() -> web.remove().plan()).isInstanceOfSatisfying(UnsafeOperationException.class, e -> {
      assertThat(e.reasons()).hasSize(2);
      assertThat(e.reasons().get(0)).contains("vm-web01 is open");
      assertThat(e.reasons().get(1)).contains("held by [dm-1]");
    });
    assertThat(web.status().paths()).as("nothing changed").hasSize(4);
    b.kernel.deviceMapper().remove("vm-web01-part1");
    b.kernel.deviceMapper().close("vm-web01");
    web.remove().call();
    assertThat(web.exists()).isFalse();
  }

  @Test
  void resizeRefusesWithADownPathOrAShrinkSayingWhich() {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory);
    Wwid lun = Blades.presentedAndScanned(san, 10 * GIB, b);
    MultipathDevice web = b.multipath.create(WEB, lun).call();
    assertThatThrownBy(() -> web.resize().toSize(8 * GIB).plan()).isInstanceOf(UnsafeOperationException.class)
        .hasMessageContaining("refusing to shrink");

    Sysfs.on(b.host).setDeviceState(BlockDeviceName.of("sdc"), Sysfs.DeviceState.OFFLINE);
    san.grow(lun, 20 * GIB);
    assertThatThrownBy(() -> web.resize().plan()).isInstanceOfSatisfying(UnsafeOperationException.class, e ->
        assertThat(e.reasons()).singleElement().satisfies(r -> assertThat(r).startsWith("path sdc (")
            .contains("failed in device-mapper, checker faulty, device offline")));
    assertThat(web.status().sizeBytes()).isEqualTo(10 * GIB);
    Sysfs.on(b.host).setDeviceState(BlockDeviceName.of("sdc"), Sysfs.DeviceState.RUNNING);
    assertThat(web.status().paths()).extracting(MultipathPath::checkerState).containsOnly(CheckerState.READY);
    assertThat(web.resize().call().sizeBytes()).isEqualTo(20 * GIB);
  }

  @Test
  void createRefusesAliasConflictsAndHostsThatSeeNoPath() {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory);
    Wwid lun = Blades.presented(san, 10 * GIB, b);
    Wwid other = san.createLun(GIB);
    b.multipath.scan().call();
    b.multipath.create(WEB, lun).call();
    assertThatThrownBy(() -> b.multipath.create(MultipathAlias.of("vm-other"), lun).plan())
        .isInstanceOf(UnsafeOperationException.class).hasMessageContaining("the inventory names " + lun + " vm-web01");
    assertThatThrownBy(() -> b.multipath.create(WEB, other).plan()).isInstanceOf(UnsafeOperationException.class)
        .hasMessageContaining("the inventory gives alias vm-web01 to " + lun)
        .hasMessageContaining("device-mapper device dm-0 is called vm-web01 already");
    assertThatThrownBy(() -> b.multipath.create(MultipathAlias.of("vm-db01"), other).plan())
        .isInstanceOf(NotFoundException.class).hasMessageContaining("blade1 sees no path to it");
    assertThat(b.multipath.inventory().luns()).hasSize(1);
  }

  @Test
  void theStatusShowsGroupsAndFailedPathsAsMultipathSeesThem() {
    Blades.Blade b = Blades.blade(dir, "blade1", san, inventory);
    Wwid lun = Blades.presentedAndScanned(san, 10 * GIB, b);
    MultipathDevice web = b.multipath.create(WEB, lun).call();
    // fabric B's HBA loses its link: its two paths block
    san.cutPort(b.kernel.scsi().initiatorPorts().get(1));
    MultipathDeviceStatus s = web.status();
    assertThat(s.downPaths()).hasSize(2).allSatisfy(p -> {
      assertThat(p.dmState()).isEqualTo(PathState.FAILED);
      assertThat(p.checkerState()).isEqualTo(CheckerState.PENDING);
    });
    assertThat(s.upPaths()).hasSize(2);
    assertThat(s.isDegraded()).isTrue();
    assertThat(s.pathGroups()).extracting(PathGroup::number).containsExactly(1, 2);
    san.restorePort(b.kernel.scsi().initiatorPorts().get(1));
    assertThat(web.status().isDegraded()).isFalse();
  }
}
