package dev.midplane.multipath.dm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.testkit.Fixtures;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.sysfs.DevNumber;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** dmsetup's outputs from the lab (device-mapper 1.02.185, kernel 6.1) and hand-written shapes. */
class DmsetupOutputTest {
  private static String fixture(String name) {
    return Fixtures.text(DmsetupOutputTest.class, name);
  }

  private static final DevNumber SDA = new DevNumber(8, 0);
  private static final DevNumber SDB = new DevNumber(8, 16);

  @Test
  void lsAndTree() {
    assertThat(DmsetupOutput.ls(fixture("dmsetup-ls.txt")))
        .containsExactly(new DmsetupDevice("vm-test", Optional.of(new DevNumber(254, 0)), List.of()));
    assertThat(DmsetupOutput.ls(fixture("dmsetup-ls-after-teardown.txt"))).isEmpty();
    assertThat(DmsetupOutput.lsTree(fixture("dmsetup-ls-tree.txt"))).containsExactly(
        new DmTreeNode(Optional.of("vm-test"), new DevNumber(254, 0), List.of(
            new DmTreeNode(Optional.empty(), SDA, List.of()), new DmTreeNode(Optional.empty(), SDB, List.of()))));

    List<DmTreeNode> nested = DmsetupOutput.lsTree(fixture("dmsetup-ls-tree-nested.txt"));
    assertThat(nested).extracting(n -> n.name().orElseThrow()).containsExactly("vm-testp1", "vg0-data");
    DmTreeNode map = nested.get(0).children().get(0);
    assertThat(map.name()).hasValue("vm-test");
    assertThat(map.children()).extracting(DmTreeNode::number).containsExactly(SDA, SDB);
    assertThat(nested.get(1).children().get(0).children()).extracting(DmTreeNode::number)
        .containsExactly(new DevNumber(8, 32), new DevNumber(8, 48));

    assertThatThrownBy(() -> DmsetupOutput.ls("vm-test 254:0\n")).isInstanceOf(MultipathParseException.class)
        .hasMessageContaining("line 1");
    assertThatThrownBy(() -> DmsetupOutput.lsTree(" |- (8:0)\n")).hasMessageContaining("a branch without a device above it");
  }

  @Test
  void theMultipathTableOfTheLab() {
    List<DmsetupDevice> all = DmsetupOutput.tables(fixture("dmsetup-table.txt"));
    DmTarget t = all.get(0).targets().get(0);
    assertThat(all.get(0).name()).isEqualTo("vm-test");
    assertThat(t.start()).isZero();
    assertThat(t.length()).isEqualTo(131072);
    assertThat(all.get(0).sizeBytes()).isEqualTo(64L << 20);

    MultipathTable table = t.multipathTable();
    assertThat(table.features()).isEmpty();
    assertThat(table.queueIfNoPath()).isFalse();
    assertThat(table.hardwareHandler()).hasValue("alua");
    assertThat(table.hardwareHandlerArgs()).isEmpty();
    assertThat(table.initialGroup()).isEqualTo(1);
    assertThat(table.groups()).containsExactly(
        new MultipathTable.Group("service-time", List.of(), 2, List.of(new MultipathTable.Path(SDB, List.of("1", "1")))),
        new MultipathTable.Group("service-time", List.of(), 2, List.of(new MultipathTable.Path(SDA, List.of("1", "1")))));
    assertThat(table.devices()).containsExactly(SDB, SDA);
    assertThat(table.render()).isEqualTo(t.parameters());
    assertThat(t.toString()).isEqualTo("0 131072 multipath 0 1 alua 2 1 service-time 0 1 2 8:16 1 1 service-time 0 1 2 8:0 1 1");
  }

  @Test
  void oneDevicesTableAfterGrowAndAfterAPathWasDeleted() {
    List<DmTarget> grown = DmsetupOutput.targets(fixture("dmsetup-table-resized.txt"));
    assertThat(grown).singleElement().satisfies(t -> assertThat(t.lengthBytes()).isEqualTo(1L << 30));
    MultipathTable onePath = DmsetupOutput.multipathTable(fixture("dmsetup-table-one-path.txt"));
    assertThat(onePath.groups()).hasSize(1);
    assertThat(onePath.devices()).containsExactly(SDA);
  }

  @Test
  void theTableMultipathLogsWhenItCreatesAMap() {
    // from "13.357389 | vm-test: addmap [0 131072 multipath 0 1 alua 2 1 service-time 0 1 1 8:0 1 service-time 0 1 1 8:16 1]"
    MultipathTable generated = MultipathTable.parse("0 1 alua 2 1 service-time 0 1 1 8:0 1 service-time 0 1 1 8:16 1");
    assertThat(generated.groups()).extracting(MultipathTable.Group::pathArgCount).containsOnly(1);
    assertThat(generated.devices()).containsExactly(SDA, SDB);
  }

  @Test
  void tablesOfSeveralDevicesWithSegments() {
    List<DmsetupDevice> all = DmsetupOutput.tables(fixture("dmsetup-table-mixed.txt"));
    assertThat(all).extracting(DmsetupDevice::name).containsExactly("vg0-data", "vm-db01");
    assertThat(all.get(0).targets()).extracting(DmTarget::type).containsOnly("linear");
    assertThat(all.get(0).sizeBytes()).isEqualTo(3L << 29);
    assertThatThrownBy(() -> all.get(0).targets().get(0).multipathTable()).isInstanceOf(IllegalStateException.class);
    MultipathTable db = all.get(1).targets().get(0).multipathTable();
    assertThat(db.queueIfNoPath()).isTrue();
    assertThat(db.hardwareHandler()).hasValue("rdac");
    assertThat(db.initialGroup()).isZero();
    assertThat(db.groups().get(0).paths()).extracting(MultipathTable.Path::args).containsOnly(List.of("1000"));
    assertThat(db.devices()).hasSize(4);
  }

  @Test
  void statusOfTheLab() {
    MultipathStatus s = DmsetupOutput.statuses(fixture("dmsetup-status.txt")).get(0).targets().get(0).multipathStatus();
    assertThat(s.featureCounters()).containsExactly(0L, 1L);
    assertThat(s.queueingIo()).hasValue(false);
    assertThat(s.hardwareHandlerStatus()).isEmpty();
    assertThat(s.nextGroup()).isEqualTo(1);
    assertThat(s.groups()).extracting(MultipathStatus.Group::state)
        .containsExactly(MultipathStatus.GroupState.ACTIVE, MultipathStatus.GroupState.ENABLED);
    assertThat(s.paths()).containsExactly(
        new MultipathStatus.Path(SDB, true, 0, List.of("0", "1")), new MultipathStatus.Path(SDA, true, 0, List.of("0", "1")));

    MultipathStatus failed = DmsetupOutput.multipathStatus(fixture("dmsetup-status-path-failed.txt"));
    assertThat(failed.paths().get(1)).isEqualTo(new MultipathStatus.Path(SDA, false, 1, List.of("0", "1")));
    assertThat(failed.activePaths()).extracting(MultipathStatus.Path::device).containsExactly(SDB);

    assertThat(DmsetupOutput.multipathStatus(fixture("dmsetup-status-one-path.txt")).paths()).hasSize(1);
    MultipathStatus queued = DmsetupOutput.statuses(fixture("dmsetup-status-noudev.txt")).get(0).targets().get(0).multipathStatus();
    assertThat(queued.queueingIo()).as("no I/O yet, multipathd not running").hasValue(true);
    assertThat(queued.groups()).extracting(MultipathStatus.Group::state).containsOnly(MultipathStatus.GroupState.ENABLED);
  }

  @Test
  void infoInBothFormats() {
    DmInfo expected = new DmInfo("vm-test", new DevNumber(254, 0), true, false, false, false, 0, 1, 0,
        Optional.of("mpath-1Linux_scsi_debug_2000"));
    assertThat(DmsetupOutput.info(fixture("dmsetup-info.txt"))).containsExactly(expected);
    assertThat(DmsetupOutput.infoColumns(fixture("dmsetup-info-c.txt"))).containsExactly(expected);
    assertThat(DmsetupOutput.infoColumns(fixture("dmsetup-info-c-noudev.txt")).get(0).events()).isEqualTo(1);
    assertThat(expected.isMultipath()).isTrue();
    assertThat(expected.isOpen()).isFalse();

    List<DmInfo> two = DmsetupOutput.info(fixture("dmsetup-info-suspended.txt"));
    assertThat(two.get(0)).isEqualTo(new DmInfo("vm-test", new DevNumber(254, 0), true, true, true, false, 1, 1, 3,
        Optional.of("mpath-1Linux_scsi_debug_2000")));
    assertThat(two.get(1).readOnly()).isTrue();
    assertThat(two.get(1).isOpen()).isTrue();
  }

  @Test
  void deps() {
    assertThat(DmsetupOutput.depsByName(fixture("dmsetup-deps-devname.txt"))).containsExactly("sda", "sdb");
    assertThat(DmsetupOutput.deps("2 dependencies\t: (8, 0) (8, 16)\n")).containsExactly(SDA, SDB);
    assertThatThrownBy(() -> DmsetupOutput.deps(fixture("dmsetup-deps-devname.txt"))).hasMessageContaining("use depsByName");
    assertThatThrownBy(() -> DmsetupOutput.deps("3 dependencies\t: (8, 0) (8, 16)\n")).hasMessageContaining("announces 3");
  }

  @Test
  void cutOrMiscountedTablesSayWhere() {
    assertThatThrownBy(() -> MultipathTable.parse("0 1 alua 2 1 service-time 0 1 2 8:16 1 1 service-time 0 1 2 8:0"))
        .isInstanceOf(MultipathParseException.class)
        .hasMessageContaining("cut short: expected path argument after word 17");
    assertThatThrownBy(() -> MultipathTable.parse("0 1 alua 1 1 service-time 0 1 2 8:16 1 1 8:0 1 1"))
        .hasMessageContaining("word 13: unexpected '8:0' after the last path group");
    assertThatThrownBy(() -> MultipathTable.parse("0 1 alua 2 3 service-time 0 1 2 8:16 1 1 service-time 0 1 2 8:0 1 1"))
        .hasMessageContaining("word 5: initial path group 3 is out of range 0–2");
    assertThatThrownBy(() -> MultipathTable.parse("0 1 alua 1 1 service-time 0 1 2 sdb 1 1"))
        .hasMessageContaining("expected path device as major:minor, found 'sdb'");
    assertThatThrownBy(() -> MultipathTable.parse("x")).hasMessageContaining("word 1: expected number of feature words, found 'x'");
    assertThatThrownBy(() -> DmsetupOutput.multipathStatus("0 2097152 multipath 2 0 1 0 1 1 Q 0 1 2 8:0 A 0 0 1\n"))
        .hasMessageContaining("group state must be A, E or D, found 'Q'")
        .satisfies(e -> assertThat(((MultipathParseException) e).line()).isEqualTo(1));
    assertThatThrownBy(() -> DmsetupOutput.multipathStatus("0 2097152 multipath 2 0 1 0 1 1 A 0 1 2 8:0 X 0 0 1\n"))
        .hasMessageContaining("path state must be A or F");
    assertThatThrownBy(() -> DmsetupOutput.multipathTable("0 2097152 linear 8:0 0\n")).hasMessageContaining("type linear");
    assertThatThrownBy(() -> DmsetupOutput.targets("")).hasMessageContaining("no target line");
    assertThatThrownBy(() -> DmsetupOutput.tables("vm-test: 0 131072 multipath 0 0 0 0\nother: 0 8 linear 8:0 0\nvm-test: 8 8 linear 8:0 8\n"))
        .hasMessageContaining("line 3: device vm-test appears twice, apart");
    assertThatThrownBy(() -> DmsetupOutput.info("Name: vm-test\nState: ACTIVE\n")).hasMessageContaining("cut short?");
    assertThatThrownBy(() -> DmsetupOutput.infoColumns("vm-test 254 0 L--w 0 1 0 mpath-1x\n"))
        .hasMessageContaining("expected the default header");
  }
}
