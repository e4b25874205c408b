package dev.midplane.multipath.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** multipathd's JSON and tables, from the real captures. */
class MultipathdOutputTest {
  private static String fixture(String name) {
    return Fixtures.text(MultipathdOutputTest.class, name);
  }

  @Test
  void showMapsJson() {
    MultipathListing l = MultipathListing.parseJson(fixture("multipathd-show-maps-json.txt"));

    MapTopology m = l.maps().get(0);
    assertThat(m.name().value()).isEqualTo("vm-test");
    assertThat(m.wwid()).isEqualTo(Wwid.of("1Linux_scsi_debug_2000"));
    assertThat(m.sysfsName()).hasValue("dm-0");
    assertThat(m.vendor()).hasValue("Linux");
    assertThat(m.product()).hasValue("scsi_debug");
    assertThat(m.revision()).hasValue("0191");
    assertThat(m.features()).hasValue("0");
    assertThat(m.hardwareHandler()).hasValue("1 alua");
    assertThat(m.writeProtect()).hasValue(WriteProtect.RW);
    assertThat(m.dmState()).hasValue("active");
    assertThat(m.queueing()).hasValue("-");
    assertThat(m.action()).hasValue("create");
    assertThat(m.pathFaults()).hasValue(0);
    assertThat(m.size()).as("JSON has no size").isEmpty();
    assertThat(m.pathGroups()).extracting(PathGroup::number, g -> g.priority().getAsInt(), PathGroup::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, 50, PathGroupState.ACTIVE),
        org.assertj.core.groups.Tuple.tuple(2, 10, PathGroupState.ENABLED));
    MultipathPath sdb = m.paths().get(0);
    assertThat(sdb.device()).hasValue(BlockDeviceName.of("sdb"));
    assertThat(sdb.deviceNumber()).hasValue(new DevNumber(8, 16));
    assertThat(sdb.hctl()).as("JSON has no H:C:T:L").isEmpty();
    assertThat(sdb.checker()).hasValue("tur");
    assertThat(sdb.priority()).hasValue(50);
    assertThat(sdb.deviceState()).hasValue(DeviceState.RUNNING);
    assertThat(sdb.hostWwpn()).as("[undef] is absent").isEmpty();
    assertThat(m.upPaths()).hasSize(2);
  }

  @Test
  void jsonAgreesWithTheTopologyOfTheSameMoment() {
    MapTopology json = MultipathListing.parseJson(fixture("multipathd-show-maps-json.txt")).maps().get(0);
    MapTopology tree = MultipathListing.parse(fixture("multipathd-show-topology.txt")).maps().get(0);
    assertThat(json.name()).isEqualTo(tree.name());
    assertThat(json.wwid()).isEqualTo(tree.wwid());
    assertThat(json.pathGroups()).extracting(PathGroup::selector, PathGroup::priority, PathGroup::state)
        .isEqualTo(tree.pathGroups().stream().map(g -> org.assertj.core.groups.Tuple.tuple(g.selector(), g.priority(), g.state())).toList());
    assertThat(json.paths()).extracting(MultipathPath::device, MultipathPath::deviceNumber, MultipathPath::dmState,
            MultipathPath::checkerState, MultipathPath::deviceState)
        .isEqualTo(tree.paths().stream().map(p -> org.assertj.core.groups.Tuple.tuple(p.device(), p.deviceNumber(),
            p.dmState(), p.checkerState(), p.deviceState())).toList());
  }

  @Test
  void brokenJsonIsAnErrorWithLineOrPath() {
    String json = fixture("multipathd-show-maps-json.txt");
    String cut = json.substring(0, json.indexOf("\"paths\": [{"));
    assertThatThrownBy(() -> MultipathListing.parseJson(cut))
        .isInstanceOf(MultipathParseException.class)
        .hasMessageContaining("Unexpected end-of-input")
        .satisfies(e -> assertThat(((MultipathParseException) e).line()).isPositive());
    assertThatThrownBy(() -> MultipathListing.parseJson(json.replace("\"dev\" : \"sda\",", "")))
        .hasMessageContaining("maps[0].path_groups[1].paths[0]: missing \"dev\"");
    assertThatThrownBy(() -> MultipathListing.parseJson(json.replace("\"paths\" : 2,", "\"paths\" : 3,")))
        .hasMessageContaining("maps[0]: \"paths\" says 3 but the path groups hold 2");
    assertThatThrownBy(() -> MultipathListing.parseJson(json.replace("\"major_version\": 0", "\"major_version\": 1")))
        .hasMessageContaining("unsupported major_version 1");
    assertThatThrownBy(() -> MultipathListing.parseJson(json.replace("\"chk_st\" : \"ready\"", "\"chk_st\" : \"sleepy\"")))
        .hasMessageContaining("unknown chk_st \"sleepy\"");
    assertThatThrownBy(() -> MultipathListing.parseJson("[]")).hasMessageContaining("expected a JSON object");
  }

  @Test
  void showMapJsonOfOneMap() {
    String json = fixture("multipathd-show-maps-json.txt");
    String one = json.replace("\"maps\": [{", "\"map\": {").replaceAll("\\}\\]\\s*\\}\\s*$", "}\n}\n");
    assertThat(MultipathListing.parseJson(one).maps()).singleElement()
        .satisfies(m -> assertThat(m.name().value()).isEqualTo("vm-test"));
  }

  @Test
  void showMapsAndShowPaths() {
    MultipathdTable maps = MultipathdTable.parse(fixture("multipathd-show-maps.txt"));
    assertThat(maps.headers()).containsExactly("name", "sysfs", "uuid");
    assertThat(maps.rows()).containsExactly(Map.of("name", "vm-test", "sysfs", "dm-0", "uuid", "1Linux_scsi_debug_2000"));

    MultipathdTable paths = MultipathdTable.parse(fixture("multipathd-show-paths.txt"));
    assertThat(paths.headers()).containsExactly("hcil", "dev", "dev_t", "pri", "dm_st", "chk_st", "dev_st", "next_check");
    assertThat(paths.column("dev")).containsExactly("sdb", "sda");
    assertThat(paths.column("next_check")).containsExactly("XXXXX..... 2/4", "XXXXX..... 2/4");
    assertThat(paths.row("dev", "sda")).hasValueSatisfying(r -> assertThat(r.get("pri")).isEqualTo("10"));

    MultipathdTable failed = MultipathdTable.parse(fixture("multipathd-show-paths-failed.txt"));
    assertThat(failed.row("dev", "sda").orElseThrow())
        .containsEntry("dm_st", "failed").containsEntry("chk_st", "faulty").containsEntry("dev_st", "running");
  }

  @Test
  void formatStringsWithSpacesInsideValues() {
    MultipathdTable maps = MultipathdTable.parse(fixture("multipathd-show-maps-format.txt"));
    assertThat(maps.headers()).containsExactly("name", "uuid", "sysfs", "vend/prod/rev", "size", "paths", "queueing", "dm-st");
    assertThat(maps.rows().get(0)).containsEntry("vend/prod/rev", "Linux,scsi_debug").containsEntry("size", "64M")
        .containsEntry("paths", "2").containsEntry("dm-st", "active");

    MultipathdTable paths = MultipathdTable.parse(fixture("multipathd-show-paths-format.txt"));
    assertThat(paths.column("uuid")).containsOnly("1Linux_scsi_debug_2000");
    assertThat(paths.column("hcil")).containsExactly("0:0:0:0", "1:0:0:0");
    assertThat(paths.column("vend/prod/rev")).containsOnly("Linux,scsi_debug");

    String row = "%-3s %-18s %-18s %-18s %s%n";
    MultipathdTable fc = MultipathdTable.parse(
        String.format(row, "dev", "host WWNN", "host WWPN", "target WWPN", "vend/prod/rev")
            + String.format(row, "sdb", "0x20000025b5000a01", "0x20000025b5000b01", "0x500a0981891b8dc5", "HP,LOGICAL VOLUME"));
    assertThat(fc.headers()).containsExactly("dev", "host WWNN", "host WWPN", "target WWPN", "vend/prod/rev");
    assertThat(fc.rows().get(0)).containsEntry("host WWPN", "0x20000025b5000b01").containsEntry("vend/prod/rev", "HP,LOGICAL VOLUME");
  }

  @Test
  void misalignedOrCutRowsAreErrors() {
    assertThatThrownBy(() -> MultipathdTable.parse("name    sysfs uuid\nvm-test-longer dm-0 1x\n"))
        .isInstanceOf(MultipathParseException.class).hasMessageContaining("line 2")
        .hasMessageContaining("runs into it");
    assertThatThrownBy(() -> MultipathdTable.parse("name    sysfs uuid\nvm-test dm-0\n"))
        .hasMessageContaining("the row ends before column 'uuid'");
    assertThat(MultipathdTable.parse("").rows()).isEmpty();
    assertThatThrownBy(() -> MultipathdTable.parse("dev dev\nsda sdb\n")).hasMessageContaining("appears twice");
  }
}
