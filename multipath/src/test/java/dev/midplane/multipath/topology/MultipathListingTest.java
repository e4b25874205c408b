package dev.midplane.multipath.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The topology parser on real captures (multipath-tools 0.9.4) and hand-written samples of other shapes. */
class MultipathListingTest {
  private static final MapName VM_TEST = MapName.of(MultipathAlias.of("vm-test"));

  private static MultipathListing parse(String fixture) {
    return MultipathListing.parse(Fixtures.text(MultipathListingTest.class, fixture));
  }

  private static MultipathPath path(String hctl, String dev, String devt, PathState dm, CheckerState chk, DeviceState st) {
    return MultipathPath.builder().hctl(Hctl.of(hctl)).device(BlockDeviceName.of(dev)).deviceNumber(DevNumber.parse(devt))
        .dmState(dm).checkerState(chk).deviceState(st).build();
  }

  @Test
  void theHealthyMapOfTheLab() {
    MultipathListing l = parse("multipath-ll.txt");

    assertThat(l.messages()).isEmpty();
    MapTopology m = l.map(VM_TEST).orElseThrow();
    assertThat(m).isEqualTo(MapTopology.builder()
        .name(VM_TEST).wwid(Wwid.of("1Linux_scsi_debug_2000")).sysfsName("dm-0").vendor("Linux").product("scsi_debug")
        .size(DisplayedSize.parse("64M")).features("0").hardwareHandler("1 alua").writeProtect(WriteProtect.RW)
        .addPathGroups(PathGroup.builder().number(1).selector("service-time 0").priority(50).state(PathGroupState.ACTIVE)
            .addPaths(path("0:0:0:0", "sdb", "8:16", PathState.ACTIVE, CheckerState.READY, DeviceState.RUNNING)).build())
        .addPathGroups(PathGroup.builder().number(2).selector("service-time 0").priority(10).state(PathGroupState.ENABLED)
            .addPaths(path("1:0:0:0", "sda", "8:0", PathState.ACTIVE, CheckerState.READY, DeviceState.RUNNING)).build())
        .build());
    assertThat(m.hasAlias()).isTrue();
    assertThat(m.upPaths()).hasSize(2);
    assertThat(m.size().orElseThrow().matches(64L << 20)).isTrue();
    assertThat(l.map(Wwid.of("1Linux_scsi_debug_2000"))).contains(m);
  }

  @Test
  void theLabAfterGrowDeleteRescanOfflineAndAThirdPath() {
    assertThat(parse("multipath-ll-resized.txt").maps()).singleElement().satisfies(m -> {
      assertThat(m.size()).hasValue(DisplayedSize.parse("1.0G"));
      assertThat(m.size().orElseThrow().matches(1L << 30)).isTrue();
      assertThat(m.size().orElseThrow().matches(64L << 20)).isFalse();
    });
    assertThat(parse("multipath-ll-one-path-deleted.txt").maps()).singleElement().satisfies(m -> {
      assertThat(m.pathGroups()).singleElement().satisfies(g -> {
        assertThat(g.priority()).hasValue(10);
        assertThat(g.state()).isEqualTo(PathGroupState.ACTIVE);
      });
      assertThat(m.paths()).extracting(p -> p.device().orElseThrow().value()).containsExactly("sda");
    });
    assertThat(parse("multipath-ll-three-paths.txt").maps().get(0).pathGroups())
        .extracting(PathGroup::number, g -> g.priority().getAsInt(), g -> g.paths().get(0).device().orElseThrow().value())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 50, "sdb"),
            org.assertj.core.groups.Tuple.tuple(2, 10, "sda"),
            org.assertj.core.groups.Tuple.tuple(3, 1, "sdc"));
    MapTopology offline = parse("multipath-ll-path-offline.txt").maps().get(0);
    assertThat(offline.paths().get(1)).isEqualTo(
        path("1:0:0:0", "sda", "8:0", PathState.FAILED, CheckerState.FAULTY, DeviceState.OFFLINE));
    assertThat(offline.pathGroups().get(1).priority()).hasValue(0);
    assertThat(offline.upPaths()).extracting(p -> p.device().orElseThrow().value()).containsExactly("sdb");
  }

  @Test
  void withoutUdevTheWarningsComeFirstAndAreKept() {
    MultipathListing l = parse("multipath-ll-noudev.txt");
    assertThat(l.messages()).containsExactly(
        new LogLine(1, "14.119035 | Warning: multipath devices exist, but multipathd service is not running"));
    assertThat(l.maps()).singleElement().satisfies(m -> assertThat(m.pathGroups())
        .extracting(PathGroup::state).containsExactly(PathGroupState.ENABLED, PathGroupState.ENABLED));

    MultipathListing vanished = parse("multipath-ll-path-vanished-noudev.txt");
    assertThat(vanished.messages()).extracting(LogLine::text).containsExactly(
        "43.357566 | get_udev_device: failed to look up 8:16 with type 1",
        "43.362566 | vm-test: discarding non-existing path 8:16",
        "43.362849 | vm-test: removing empty pathgroup 1",
        "43.369283 | Warning: multipath devices exist, but multipathd service is not running");
    assertThat(vanished.maps().get(0).size()).hasValue(DisplayedSize.parse("2.0G"));
    assertThat(vanished.maps().get(0).paths()).hasSize(1);

    MapTopology offline = parse("multipath-ll-path-offline-noudev.txt").maps().get(0);
    assertThat(offline.paths().get(0)).isEqualTo(
        path("0:0:0:0", "sda", "8:0", PathState.ACTIVE, CheckerState.FAULTY, DeviceState.OFFLINE));
    assertThat(offline.paths().get(0).isUp()).isFalse();
  }

  @Test
  void createAndReloadTopologiesCarryTheActionAndUndefStates() {
    MultipathListing created = parse("multipath-v2-create-noudev.txt");
    assertThat(created.messages()).hasSize(4);
    assertThat(created.messages().get(2).text()).endsWith(
        "vm-test: addmap [0 131072 multipath 0 1 alua 2 1 service-time 0 1 1 8:0 1 service-time 0 1 1 8:16 1]");
    MapTopology m = created.maps().get(0);
    assertThat(m.action()).hasValue("create");
    assertThat(m.sysfsName()).isEmpty();
    assertThat(m.writeProtect()).hasValue(WriteProtect.UNDEF);
    assertThat(m.pathGroups()).extracting(PathGroup::state).containsOnly(PathGroupState.UNDEF);
    assertThat(m.paths()).extracting(MultipathPath::dmState).containsOnly(PathState.UNDEF);

    MapTopology reloaded = parse("multipath-r-v2-reload-path-back-noudev.txt").maps().get(0);
    assertThat(reloaded.action()).hasValue("reload");
    assertThat(reloaded.paths()).extracting(MultipathPath::dmState).containsExactly(PathState.ACTIVE, PathState.UNDEF);
    assertThat(parse("multipath-r-v2-reload-noudev.txt").maps().get(0).paths()).hasSize(1);

    assertThat(parse("multipathd-show-topology.txt").maps().get(0).action()).hasValue("create");
  }

  @Test
  void namesOfVerbosityOne() {
    assertThat(MultipathListing.parseNames(Fixtures.text(getClass(), "multipath-ll-v1.txt"))).containsExactly(VM_TEST);
    assertThat(MultipathListing.parseNames("12.5 | Warning: multipath devices exist, but multipathd service is not running\n"
        + "vm-a\n1ATA     WDC X\n")).extracting(MapName::value).containsExactly("vm-a", "1ATA     WDC X");
    assertThatThrownBy(() -> MultipathListing.parseNames("vm-a\nbad;name\n"))
        .isInstanceOf(MultipathParseException.class).hasMessageContaining("line 2");
  }

  @Test
  void handWrittenTreeShapes() {
    MultipathListing l = parse("tree-hand-written.txt");

    assertThat(l.messages()).extracting(LogLine::line, LogLine::text).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, "Nov 25 10:00:00 | sdc: tur checker reports path is down"),
        org.assertj.core.groups.Tuple.tuple(9, "Nov 25 10:00:01 | sde: path checker pending"),
        org.assertj.core.groups.Tuple.tuple(16, "DM message failed [fail_if_no_path]"));
    assertThat(l.maps()).extracting(m -> m.name().value()).containsExactly(
        "vm-web01", "3600a0b800026b2820000004e4d2f6b4c", "vm-gone", "1ATA     WDC WD1003FBYX-01Y7B1",
        "iqn.2001-05.com.equallogic:0-8a0906-lun7");

    MapTopology web = l.maps().get(0);
    assertThat(web.paths()).extracting(MultipathPath::checkerState)
        .containsExactly(CheckerState.READY, CheckerState.READY, CheckerState.FAULTY, CheckerState.PENDING);
    assertThat(web.features()).hasValue("1 queue_if_no_path");

    MapTopology byWwid = l.maps().get(1);
    assertThat(byWwid.hasAlias()).isFalse();
    assertThat(byWwid.vendor()).hasValue("HP");
    assertThat(byWwid.product()).hasValue("LOGICAL VOLUME");
    assertThat(byWwid.size().orElseThrow().approximateBytes()).isEqualTo(2L << 40);

    MapTopology gone = l.maps().get(2);
    assertThat(gone.vendor()).isEmpty();
    assertThat(gone.product()).isEmpty();
    assertThat(gone.pathGroups()).isEmpty();

    MapTopology spaced = l.maps().get(3);
    assertThat(spaced.wwid()).isEqualTo(Wwid.of("1ATA     WDC WD1003FBYX-01Y7B1"));
    assertThat(spaced.name().asAlias()).isEmpty();
    assertThat(spaced.product()).hasValue("WDC WD1003FBYX-0");

    MapTopology iqn = l.maps().get(4);
    assertThat(iqn.writeProtect()).hasValue(WriteProtect.RO);
    assertThat(iqn.paths().get(0)).isEqualTo(MultipathPath.builder().deviceNumber(new DevNumber(8, 128))
        .dmState(PathState.FAILED).checkerState(CheckerState.FAULTY).deviceState(DeviceState.UNKNOWN).build());
    assertThat(iqn.paths().get(0).hctl()).isEmpty();
    assertThat(iqn.paths().get(0).device()).isEmpty();
  }

  @Test
  void multipathDashLRunsNoCheckers() {
    MapTopology m = parse("multipath-l-hand-written.txt").maps().get(0);
    assertThat(m.paths()).extracting(MultipathPath::checkerState).containsOnly(CheckerState.UNDEF);
    assertThat(m.pathGroups()).extracting(g -> g.priority().getAsInt()).containsOnly(0);
  }

  @Test
  void theBracketLayoutOf048() {
    MultipathListing l = parse("brackets-0.4.8.txt");

    assertThat(l.messages()).extracting(LogLine::text).containsExactly("sdf: checker msg is \"tur checker reports path is down\"");
    MapTopology ibm = l.maps().get(0);
    assertThat(ibm.name()).isEqualTo(MapName.of(MultipathAlias.of("mpath1")));
    assertThat(ibm.vendor()).hasValue("IBM");
    assertThat(ibm.product()).hasValue("1815      FAStT");
    assertThat(ibm.size()).hasValue(DisplayedSize.parse("20G"));
    assertThat(ibm.features()).hasValue("1 queue_if_no_path");
    assertThat(ibm.hardwareHandler()).hasValue("1 rdac");
    assertThat(ibm.writeProtect()).hasValue(WriteProtect.RW);
    assertThat(ibm.pathGroups()).extracting(PathGroup::selector, PathGroup::priority, PathGroup::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("round-robin 0", OptionalInt.of(6), PathGroupState.ACTIVE),
        org.assertj.core.groups.Tuple.tuple("round-robin 0", OptionalInt.of(0), PathGroupState.ENABLED));
    assertThat(ibm.paths()).extracting(MultipathPath::checkerState)
        .containsExactly(CheckerState.READY, CheckerState.READY, CheckerState.GHOST, CheckerState.GHOST);
    assertThat(ibm.paths()).allSatisfy(p -> assertThat(p.deviceState()).isEmpty());
    assertThat(ibm.upPaths()).hasSize(4);

    MapTopology winsys = l.maps().get(1);
    assertThat(winsys.hasAlias()).isFalse();
    assertThat(winsys.paths().get(0)).isEqualTo(MultipathPath.builder().hctl(Hctl.of("2:0:0:0")).device(BlockDeviceName.of("sdf"))
        .deviceNumber(new DevNumber(8, 80)).dmState(PathState.FAILED).checkerState(CheckerState.FAULTY).build());
  }

  @Test
  void theBracketLayoutOf047() {
    MultipathListing l = parse("brackets-0.4.7.txt");
    assertThat(l.maps()).hasSize(2);
    MapTopology m = l.maps().get(0);
    assertThat(m.sysfsName()).isEmpty();
    assertThat(m.vendor()).isEmpty();
    assertThat(m.size()).hasValue(DisplayedSize.parse("10G"));
    assertThat(m.features()).hasValue("1 queue_if_no_path");
    assertThat(m.hardwareHandler()).hasValue("0");
    assertThat(m.writeProtect()).isEmpty();
    MapTopology big = l.maps().get(1);
    assertThat(big.size().orElseThrow().text()).isEqualTo("1.5T");
    assertThat(big.pathGroups().get(0).priority()).isEmpty();
    assertThat(big.paths().get(0).checkerState()).isEqualTo(CheckerState.UNDEF);
  }

  static Stream<Arguments> broken() {
    String header = "vm-test (1Linux_scsi_debug_2000) dm-0 Linux,scsi_debug\n";
    String size = "size=64M features='0' hwhandler='1 alua' wp=rw\n";
    return Stream.of(
        Arguments.of(header, 1, "output ends after the header"),
        Arguments.of(header + size + "|-+- policy='service-time 0' prio=50 status=active\n", 3, "path group 1 has no paths"),
        Arguments.of(header + size + "|-+- policy='service-time 0' prio=50 status=active\n| |- 0:0:0:0 sdb 8:16 active ready running\n",
            4, "is not marked last"),
        Arguments.of(header + size + "|-+- policy='service-time 0' prio=50 status=active\n| `- 0:0:0:0 sdb 8:16 active ready running\n",
            4, "ends without a path group marked last"),
        Arguments.of(header + size + "`-+- policy='service-time 0' prio=50 status=active\n  `- 0:0:0:0 sdb 8:16 active ready running\n"
            + "`-+- policy='service-time 0' prio=10 status=enabled\n", 5, "a path group after the one marked last"),
        Arguments.of(header + size + "`-+- policy='service-time 0' prio=50 status=active\n| `- 0:0:0:0 sdb 8:16 active ready running\n",
            4, "indentation does not fit"),
        Arguments.of(header + size + "`-+- policy='service-time 0' prio=50 status=active\n  `- 0:0:0:0 sdb 8:16 active ready\n",
            4, "expected 'H:C:T:L dev major:minor"),
        Arguments.of(header + size + "`-+- policy='service-time 0' prio=50 status=active\n  `- 0:0:0:0 sdb 8:16 active sleepy running\n",
            4, "unknown checker state 'sleepy'"),
        Arguments.of(header + size + "`-+- policy='service-time 0' prio=50 status=busy\n  `- 0:0:0:0 sdb 8:16 active ready running\n",
            3, "unknown path group state 'busy'"),
        Arguments.of(header + size + "`-+- policy='service-time 0' prio=50 status=active\n  `- 0:0:x:0 sdb 8:16 active ready running\n",
            4, "invalid SCSI address"),
        Arguments.of(header + size + "`-+- policy='service-time 0' prio=50 status=active\n  `- 0:0:0:0 sd$(x) 8:16 active ready running\n",
            4, "invalid block device name"),
        Arguments.of(header + "size=64Q features='0' hwhandler='0' wp=rw\n", 2, "not a multipath size"),
        Arguments.of(header + "size=6.4.4M features='0' hwhandler='0' wp=rw\n", 2, "not a multipath size"),
        Arguments.of(header + "features='0'\n", 2, "expected the size line"),
        Arguments.of(size, 1, "a size line without a map header"),
        Arguments.of("garbage here\n", 1, "not a map header, topology line or log message"),
        Arguments.of("vm;rm (1x) dm-0 A,B\n" + size, 1, "invalid"),
        Arguments.of("vm-test (1Linux) dm-0 Linux\n" + size, 1, "expected 'vendor,product'"),
        Arguments.of("mpath0 (3600508b4000156d700012000000b0000)\n[size=10 GB][features=\"0\"][hwhandler=\"0\"]\n"
            + " \\_ 0:0:0:1 sda 8:0   [active][ready]\n", 3, "a path before any path group"));
  }

  @ParameterizedTest(name = "[{index}] line {1}: {2}")
  @MethodSource("broken")
  void malformedOrTruncatedOutputIsAnErrorWithTheLine(String text, int line, String message) {
    assertThatThrownBy(() -> MultipathListing.parse(text))
        .isInstanceOf(MultipathParseException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((MultipathParseException) e).line()).isEqualTo(line));
  }

  @Test
  void emptyOutputIsNoMaps() {
    assertThat(MultipathListing.parse("").maps()).isEmpty();
    assertThat(MultipathListing.parse("12.0 | Warning: no maps\n").messages()).hasSize(1);
    assertThat(Optional.of(MultipathListing.parse("\n\n").maps())).hasValue(List.of());
  }
}
