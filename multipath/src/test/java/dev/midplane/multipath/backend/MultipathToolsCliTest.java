package dev.midplane.multipath.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.InvalidNameException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.multipath.topology.CheckerState;
import dev.midplane.multipath.topology.LogLine;
import dev.midplane.multipath.topology.MultipathListing;
import dev.midplane.sysfs.BlockDeviceName;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multipath-tools backend builds exact argv lists and reads the real outputs. */
class MultipathToolsCliTest {
  private static final MapName VM_TEST = MapName.of(MultipathAlias.of("vm-test"));
  private final RecordingRunner runner = RecordingRunner.scripted();
  private final MultipathTools tools = MultipathTools.cli(Captures.host(runner), Duration.ofSeconds(30));

  private Command taken() {
    Command c = runner.takeCommand();
    assertThat(c.timeout()).hasValue(Duration.ofSeconds(30));
    assertThat(c.stdin()).isEmpty();
    return c;
  }

  @Test
  void versionFromTheUsageText() {
    runner.enqueue(new Reply(0, "", Captures.text("backend/multipath-h.txt")));
    assertThat(tools.version()).isEqualTo(new ToolsVersion(0, 9, 4));
    assertThat(taken().argv()).containsExactly("multipath", "-h");

    // 0.4.x printed the same first line, then exited 1 (written by hand after multipath-tools 0.4.9's usage()).
    runner.enqueue(new Reply(1, "", "multipath-tools v0.4.9 (04/04, 2009)\nUsage:\n  multipath [-c|-w|-W] [-d] [-r] [-v lvl] [-p pol] [-b fil] [-q] [dev]\n"));
    ToolsVersion old = tools.version();
    assertThat(old).isEqualTo(new ToolsVersion(0, 4, 9));
    assertThat(old.atLeast(ToolsVersion.TREE_LAYOUT)).isTrue();
    assertThat(old.atLeast(ToolsVersion.JSON)).isFalse();

    runner.enqueue(Reply.fail(127, "sh: multipath: not found"));
    assertThatThrownBy(tools::version).isInstanceOf(CommandFailedException.class).hasMessageContaining("multipath -h");
  }

  @Test
  void topologyKeepsStderrAsMessages() {
    String captured = Captures.text("topology/multipath-ll-noudev.txt");
    String warning = captured.lines().findFirst().orElseThrow();
    runner.enqueue(new Reply(0, captured.substring(warning.length() + 1), warning + "\n"));

    MultipathListing l = tools.topology();
    assertThat(taken().argv()).containsExactly("multipath", "-ll");
    assertThat(l.maps()).singleElement().satisfies(m -> assertThat(m.name()).isEqualTo(VM_TEST));
    assertThat(l.messages()).as("after the 6 lines of stdout").containsExactly(new LogLine(7, warning));
  }

  @Test
  void oneMapByNameOrNone() {
    runner.enqueue(Reply.ok(Captures.text("topology/multipath-ll.txt")));
    assertThat(tools.topology(VM_TEST)).hasValueSatisfying(m -> assertThat(m.paths()).hasSize(2));
    assertThat(taken().argv()).containsExactly("multipath", "-ll", "vm-test");

    runner.enqueue(Reply.ok(""));
    assertThat(tools.topology(MapName.of(Wwid.of("1Linux_scsi_debug_2000")))).isEmpty();
    assertThat(taken().argv()).containsExactly("multipath", "-ll", "1Linux_scsi_debug_2000");

    runner.enqueue(Reply.ok(Captures.text("topology/multipath-ll.txt")));
    assertThat(tools.topology(MapName.of(Wwid.of("1Linux_scsi_debug_2000")))).as("found by its WWID").isPresent();

    // multipath-tools 0.9.4 exits 1 with no output when the argument names no map
    runner.enqueue(Reply.fail(1, ""));
    assertThat(tools.topology(VM_TEST)).isEmpty();
    runner.enqueue(Reply.fail(1, "Warning: multipath devices exist, but multipathd service is not running"));
    assertThat(tools.topology(VM_TEST)).as("only the daemon warning").isEmpty();
    // any other failure is one
    runner.enqueue(Reply.fail(1, "error parsing config file"));
    assertThatThrownBy(() -> tools.topology(VM_TEST)).isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("error parsing config file");
  }

  @Test
  void namesConfigAndDaemonViews() {
    runner.on("multipath", "-ll", "-v1").reply(Reply.ok(Captures.text("topology/multipath-ll-v1.txt")));
    runner.on("multipath", "-t").reply(Reply.ok(Captures.text("config/multipath-t.txt")));
    runner.on("multipathd", "show", "topology").reply(Reply.ok(Captures.text("topology/multipathd-show-topology.txt")));
    runner.on("multipathd", "show", "maps", "json").reply(Reply.ok(Captures.text("topology/multipathd-show-maps-json.txt")));
    runner.on("multipathd", "show", "paths").reply(Reply.ok(Captures.text("topology/multipathd-show-paths.txt")));

    assertThat(tools.mapNames()).containsExactly(VM_TEST);
    assertThat(tools.effectiveConfig().multipath("1Linux_scsi_debug_2000").orElseThrow().alias()).hasValue("vm-test");
    assertThat(tools.daemonTopology().maps().get(0).action()).hasValue("create");
    assertThat(tools.daemonMaps().get(0).paths()).extracting(p -> p.checker().orElseThrow()).containsOnly("tur");
    assertThat(tools.daemonPaths().column("chk_st")).containsOnly("ready");
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("multipath", "-ll", "-v1"), List.of("multipath", "-t"), List.of("multipathd", "show", "topology"),
        List.of("multipathd", "show", "maps", "json"), List.of("multipathd", "show", "paths"));
  }

  @Test
  void changesRunExactlyTheirCommand() {
    runner.on("multipathd").reply(Reply.ok("ok\n"));
    runner.on("multipath").reply(Reply.ok(""));
    Wwid wwid = Wwid.of("3600a0b800026b2820000004d4d2f6b4b");

    tools.reconfigure();
    tools.addMap(wwid);
    tools.createMap(wwid);
    tools.resizeMap(VM_TEST);
    tools.flushMap(VM_TEST);
    tools.removePath(BlockDeviceName.of("sdb"));
    tools.failPath(BlockDeviceName.of("sda"));
    tools.reinstatePath(BlockDeviceName.of("nvme0n1"));

    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("multipathd", "reconfigure"),
        List.of("multipathd", "add", "map", "3600a0b800026b2820000004d4d2f6b4b"),
        List.of("multipath", "3600a0b800026b2820000004d4d2f6b4b"),
        List.of("multipathd", "resize", "map", "vm-test"),
        List.of("multipath", "-f", "vm-test"),
        List.of("multipathd", "del", "path", "sdb"),
        List.of("multipathd", "fail", "path", "sda"),
        List.of("multipathd", "reinstate", "path", "nvme0n1"));
  }

  @Test
  void multipathdRefusalsAreFailuresWithTheirReply() {
    runner.enqueue(new Reply(1, "fail\n", ""));
    assertThatThrownBy(() -> tools.resizeMap(VM_TEST))
        .isInstanceOfSatisfying(CommandFailedException.class, e -> {
          assertThat(e.argv()).containsExactly("multipathd", "resize", "map", "vm-test");
          assertThat(e.exitCode()).hasValue(1);
          assertThat(e.host()).isEqualTo("blade1");
          assertThat(e.getMessage()).contains("multipathd replied: fail");
        });
    runner.enqueue(new Reply(0, "fail\n", ""));
    assertThatThrownBy(tools::reconfigure).isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("was refused by multipathd");
    runner.enqueue(Fault.exit(1, "error -104 receiving packet"));
    assertThatThrownBy(tools::daemonTopology).hasMessageContaining("error -104 receiving packet");
  }

  @Test
  void failuresOfMultipathCarryTheirEvidence() {
    runner.enqueue(Fault.exit(1, "vm-test: map in use\nfailed to remove multipath map vm-test"));
    assertThatThrownBy(() -> tools.flushMap(VM_TEST))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("`multipath -f vm-test` on blade1 exited with 1: vm-test: map in use");
    runner.enqueue(Fault.timeout());
    assertThatThrownBy(tools::topology).isInstanceOf(CommandTimeoutException.class);
  }

  @Test
  void outputCutShortIsRefusedNotHalfRead() {
    SimulatedRunner sim = new SimulatedRunner("blade1")
        .register("multipath", inv -> Reply.ok(Captures.text("topology/multipath-ll-three-paths.txt")))
        .register("multipathd", inv -> Reply.ok(Captures.text("topology/multipathd-show-maps-json.txt")));
    RecordingRunner recording = RecordingRunner.wrapping(sim);
    MultipathTools t = MultipathTools.cli(Captures.host(recording));
    String full = Captures.text("topology/multipath-ll-three-paths.txt");

    recording.on("multipath", "-ll").fault(Fault.truncatedOutput(full.indexOf("1:0:0:0"))).once();
    assertThatThrownBy(t::topology).isInstanceOf(MultipathParseException.class)
        .satisfies(e -> assertThat(((MultipathParseException) e).line()).isEqualTo(6));
    assertThat(t.topology().maps().get(0).paths()).hasSize(3);

    recording.on("multipathd").fault(Fault.truncatedOutput(700)).once();
    assertThatThrownBy(t::daemonMaps).isInstanceOf(MultipathParseException.class).hasMessageContaining("end-of-input");
    assertThat(t.daemonMaps().get(0).upPaths()).extracting(p -> p.checkerState()).containsOnly(CheckerState.READY);
  }

  @Test
  void hostilePathNamesAreRefusedBeforeAnythingRuns() {
    for (String bad : List.of("-f", "sdb;reboot", "../sda", "", "sd b")) {
      assertThatThrownBy(() -> tools.removePath(BlockDeviceName.of(bad))).isInstanceOf(InvalidNameException.class);
    }
    assertThat(runner.commandCount()).isZero();
  }
}
