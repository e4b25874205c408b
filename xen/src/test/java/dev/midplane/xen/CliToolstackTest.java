package dev.midplane.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.Host;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.xen.config.Dialect;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.DomainConfig;
import dev.midplane.xen.config.VifSpec;
import dev.midplane.xen.text.ParseFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every toolstack operation: the exact argv, and the real outputs (scripted) read back or mapped to exceptions. */
class CliToolstackTest {
  private static final DomainName DOMU = DomainName.of("domU");

  @TempDir
  Path root;
  private RecordingRunner runner;
  private Host host;
  private Toolstack xl;
  private Toolstack xm;

  @BeforeEach
  void setUp() {
    runner = RecordingRunner.scripted();
    host = ScriptedHosts.blade07(runner, root);
    xl = Toolstack.xl(host);
    xm = Toolstack.xm(host);
  }

  private static String fixture(String name) {
    return ToolstackOutputsTest.fixture(name);
  }

  private List<String> onlyArgv() {
    assertThat(runner.commandCount()).isEqualTo(1);
    return runner.takeCommand().argv();
  }

  // ------------------------------------------------------------------ queries

  @Test
  void listsDomains() {
    runner.on("xl", "list").reply(Reply.ok(fixture("xl-list-running.txt")));
    assertThat(xl.list()).extracting(DomainInfo::rawName).containsExactly("Domain-0", "domU");
    assertThat(onlyArgv()).containsExactly("xl", "list");
  }

  @Test
  void aListWithoutDomain0IsCutShort() {
    String text = fixture("xl-list-running.txt");
    runner.on("xl", "list").reply(Reply.ok(text.substring(0, text.indexOf("Domain-0")) + text.substring(text.indexOf("domU"))));
    assertThatThrownBy(xl::list).isInstanceOf(ParseFailedException.class).hasMessageContaining("no Domain-0 row");
  }

  @Test
  void cutOutputIsNeverParsed() {
    runner.on("xl", "list").reply(Reply.ok(fixture("xl-list-running.txt")));
    RecordingRunner wrapped = RecordingRunner.wrapping(runner);
    wrapped.on("xl", "list").fault(Fault.truncatedOutput(100));
    Toolstack t = Toolstack.xl(ScriptedHosts.blade07(wrapped, root));
    assertThatThrownBy(t::list).isInstanceOf(ParseFailedException.class).hasMessageContaining("middle of a line");

    // cut by the runner's output bound: flagged, and refused even where the cut falls on a line end
    String text = fixture("xl-list-running.txt");
    SimulatedRunner small = new SimulatedRunner("blade07", text.indexOf("domU")).register("xl", inv -> Reply.ok(text));
    assertThatThrownBy(() -> Toolstack.xl(Host.simulated("blade07", root, small)).list())
        .isInstanceOf(ParseFailedException.class).hasMessageContaining("cut at the runner's size bound");
  }

  @Test
  void findsOneDomainOrNone() {
    String list = fixture("xl-list-running.txt");
    String header = list.substring(0, list.indexOf('\n') + 1);
    runner.on("xl", "list", "domU").reply(Reply.ok(header + list.lines().toList().get(2) + "\n"));
    // written by hand in the format of xl 4.17's message for an unknown domain (find_domain in xl_utils.c)
    runner.on("xl", "list", "vm9").reply(Reply.fail(1, "vm9 is an invalid domain identifier (rc=-6)"));

    assertThat(xl.status(DOMU).id()).hasValue(1);
    assertThat(xl.find(DomainName.of("vm9"))).isEmpty();
    assertThatThrownBy(() -> xl.status(DomainName.of("vm9")))
        .isInstanceOfSatisfying(DomainNotFoundException.class, e -> {
          assertThat(e.object()).isEqualTo("vm9");
          assertThat(e.host()).isEqualTo("blade07");
          assertThat(e.argv()).containsExactly("xl", "list", "vm9");
          assertThat(e.getMessage()).contains("invalid domain identifier");
        });
  }

  @Test
  void xmSaysDoesNotExist() {
    // written by hand in the format of xm's error for an unknown domain
    runner.on("xm", "destroy").reply(Reply.fail(1, "Error: Domain 'web02' does not exist."));
    assertThatThrownBy(() -> xm.destroy(DomainName.of("web02"))).isInstanceOf(DomainNotFoundException.class)
        .hasMessageContaining("web02");
  }

  @Test
  void readsHostInfoAndDetails() {
    runner.on("xl", "info").reply(Reply.ok(fixture("xl-info-debian.txt")));
    runner.on("xl", "list", "-l").reply(Reply.ok(fixture("xl-list-l.json")));
    runner.on("xm", "list", "--long").reply(Reply.ok(Fixtures.text(dev.midplane.xen.sxp.XendConfig.class, "xm-list-long.sxp")));

    assertThat(xl.info().freeMemoryMib()).isEqualTo(1000);
    assertThat(xl.details()).extracting(DomainDetails::rawName).containsExactly("Domain-0", "domU");
    assertThat(xm.details()).extracting(DomainDetails::rawName).containsExactly("Domain-0", "web01");
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("xl", "info"), List.of("xl", "list", "-l"), List.of("xm", "list", "--long"));
  }

  @Test
  void detailsOfOneDomain() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.node.ArrayNode all = (com.fasterxml.jackson.databind.node.ArrayNode) json.readTree(fixture("xl-list-l.json"));
    String onlyDomU = json.writerWithDefaultPrettyPrinter().writeValueAsString(json.createArrayNode().add(all.get(1))) + "\n";
    runner.on("xl", "list", "-l", "domU").reply(Reply.ok(onlyDomU));
    runner.on("xl", "list", "-l", "other").reply(Reply.ok(onlyDomU));

    assertThat(xl.details(DOMU).guestType()).contains("pvh");
    assertThatThrownBy(() -> xl.details(DomainName.of("other"))).isInstanceOf(ParseFailedException.class)
        .hasMessageContaining("expected the details of other");
  }

  // ------------------------------------------------------------------ create

  @Test
  void xlCreatesFromAFileItWritesAndRemoves() {
    DomainConfig cfg = DomainConfig.parse(Fixtures.text(DomainConfig.class, "xl-pvh-run6.cfg"), Dialect.XL);
    AtomicReference<String> seen = new AtomicReference<>();
    SimulatedRunner sim = new SimulatedRunner("blade07").register("xl", inv -> {
      try {
        seen.set(Files.readString(root.resolve("run/midplane/xen/domU.cfg")));
      } catch (java.io.IOException e) {
        return Reply.fail(3, "Failed to read config file: " + e.getMessage());
      }
      return new Reply(0, "", "Parsing config from /run/midplane/xen/domU.cfg\n");
    });
    RecordingRunner rec = RecordingRunner.wrapping(sim);
    Toolstack.xl(ScriptedHosts.blade07(rec, root)).create(cfg);
    Command c = rec.takeCommand();
    assertThat(c.argv()).containsExactly("xl", "create", "/run/midplane/xen/domU.cfg");
    assertThat(c.timeout()).contains(Toolstack.CHANGE_TIMEOUT);
    assertThat(seen.get()).isEqualTo(cfg.render());
    assertThat(root.resolve("run/midplane/xen/domU.cfg")).doesNotExist();
  }

  @Test
  void xmCreatesFromAFileItWritesAndRemoves() {
    AtomicReference<String> seen = new AtomicReference<>();
    SimulatedRunner sim = new SimulatedRunner("blade07").register("xm", inv -> {
      assertThat(inv.args()).containsExactly("create", "/run/midplane/xen/web01.cfg");
      try {
        seen.set(Files.readString(root.resolve("run/midplane/xen/web01.cfg")));
      } catch (java.io.IOException e) {
        return Reply.fail(1, "Error: " + e.getMessage());
      }
      return Reply.ok("Using config file \"/run/midplane/xen/web01.cfg\".\nStarted domain web01 (id=3)\n");
    });
    Toolstack t = Toolstack.xm(Host.simulated("blade07", root, sim));
    DomainConfig xmCfg = DomainConfig.parse(Fixtures.text(DomainConfig.class, "xm-plain.cfg"), Dialect.XM);
    t.create(xmCfg);
    assertThat(seen.get()).isEqualTo(xmCfg.render());
    assertThat(root.resolve("run/midplane/xen/web01.cfg")).doesNotExist();

    // an xl config is converted for xm
    DomainConfig xlCfg = DomainConfig.parse(Fixtures.text(DomainConfig.class, "xl-features.cfg"), Dialect.XL)
        .withName(DomainName.of("web01"));
    t.create(xlCfg);
    assertThat(DomainConfig.parse(seen.get(), Dialect.XM).vifs()).hasSize(2);
  }

  @Test
  void createsFromAFileOnTheHost() {
    runner.on("xl", "create").reply(new Reply(0, "", fixture("xl-create.txt")));
    xl.create("/etc/xen/domU.cfg");
    assertThat(onlyArgv()).containsExactly("xl", "create", "/etc/xen/domU.cfg");
  }

  @Test
  void aHotplugTimeoutSaysWhichScriptWasKilled() {
    runner.on("xl", "create").reply(Reply.fail(3, fixture("xl-create-hotplug-timeout.txt")));
    DomainConfig cfg = DomainConfig.parse(Fixtures.text(DomainConfig.class, "xl-pvh-run6.cfg"), Dialect.XL);
    assertThatThrownBy(() -> xl.create(cfg)).isInstanceOfSatisfying(HotplugFailedException.class, e -> {
      assertThat(e.script()).isEqualTo("/etc/xen/scripts/block");
      assertThat(e.action()).isEqualTo("add");
      assertThat(e.operation()).isEqualTo("create domain domU");
      assertThat(e.exitCode()).hasValue(3);
      assertThat(e.host()).isEqualTo("blade07");
      assertThat(e.argv()).containsExactly("xl", "create", "/run/midplane/xen/domU.cfg");
      assertThat(e.errorLines()).hasSize(3).anyMatch(l -> l.contains("unable to add disk devices"));
      assertThat(e.getMessage()).contains("`xl create /run/midplane/xen/domU.cfg` on blade07 exited with 3 (create domain domU)")
          .contains("hint: libxl killed the hotplug script '/etc/xen/scripts/block add'");
    });
  }

  @Test
  void anAbortAtExitSaysTheOperationMayHaveCompleted() {
    runner.on("xl", "create").reply(Reply.fail(134, "Parsing config from /etc/xen/domU.cfg\n" + fixture("xl-abort-libgcc.txt")));
    assertThatThrownBy(() -> xl.create("/etc/xen/domU.cfg")).isInstanceOfSatisfying(ToolstackAbortedException.class, e -> {
      assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("may have completed"));
      assertThat(e.errorLines()).containsExactly("libgcc_s.so.1 must be installed for pthread_cancel to work");
    });
  }

  // ------------------------------------------------------------------ lifecycle

  @Test
  void lifecycleArgv() {
    runner.on("xl").reply(Reply.ok());
    runner.on("xm").reply(Reply.ok());
    xl.shutdown(DOMU, Duration.ofSeconds(90));
    xl.requestShutdown(DOMU);
    xl.reboot(DOMU);
    xl.pause(DOMU);
    xl.unpause(DOMU);
    xl.destroy(DOMU);
    xm.shutdown(DOMU, Duration.ofSeconds(90));
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("xl", "shutdown", "-w", "domU"), List.of("xl", "shutdown", "domU"), List.of("xl", "reboot", "domU"),
        List.of("xl", "pause", "domU"), List.of("xl", "unpause", "domU"), List.of("xl", "destroy", "domU"),
        List.of("xm", "shutdown", "-w", "domU"));
    assertThat(runner.commands().get(0).timeout()).contains(Duration.ofSeconds(90));
  }

  @Test
  void aShutdownThatTakesTooLongSaysSo() {
    runner.on("xl", "shutdown").fault(Fault.timeout());
    assertThatThrownBy(() -> xl.shutdown(DOMU, Duration.ofSeconds(5))).isInstanceOfSatisfying(ToolstackException.class, e -> {
      assertThat(e.getCause()).isInstanceOf(CommandTimeoutException.class);
      assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("did not shut down within PT5S"));
    });
  }

  @Test
  void refusesToStopTheControlDomain() {
    for (Runnable r : List.<Runnable>of(() -> xl.destroy(DomainName.DOMAIN0), () -> xl.shutdown(DomainName.DOMAIN0, Duration.ofSeconds(1)),
        () -> xl.pause(DomainName.DOMAIN0), () -> xl.migrate(DomainName.DOMAIN0, HostName.of("blade08")),
        () -> xl.save(DomainName.DOMAIN0, "/tmp/x", false), () -> xl.reboot(DomainName.DOMAIN0))) {
      assertThatThrownBy(r::run).isInstanceOf(UnsafeOperationException.class).hasMessageContaining("control domain");
    }
    assertThat(runner.commandCount()).isZero();
  }

  // ------------------------------------------------------------------ devices

  @Test
  void attachesAndListsDisksWithTheRealSpec() {
    runner.on("xl", "block-attach").reply(Reply.ok());
    runner.on("xl", "block-list").reply(Reply.ok(fixture("xl-block-list.txt")));
    runner.on("xl", "block-detach").reply(Reply.ok());
    // the spec the real run attached
    xl.blockAttach(DOMU, DiskSpec.parse("format=raw, vdev=xvdb, access=rw, target=/xl/disk1.img"));
    assertThat(xl.blockList(DOMU)).extracting(b -> b.vdevName().orElseThrow()).containsExactly("xvda", "xvdb");
    xl.blockDetach(DOMU, "xvdb");
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("xl", "block-attach", "domU", "format=raw, vdev=xvdb, access=rw, target=/xl/disk1.img"),
        List.of("xl", "block-list", "domU"), List.of("xl", "block-detach", "domU", "xvdb"));
  }

  @Test
  void xmAttachesDisksWithItsOwnArguments() {
    runner.on("xm", "block-attach").reply(Reply.ok());
    xm.blockAttach(DomainName.of("web01"), DiskSpec.multipath(MultipathAlias.of("web01-data"), "xvdb", DiskSpec.Access.READ_WRITE));
    xm.blockAttach(DomainName.of("web01"), DiskSpec.builder().target("/dev/mapper/web01-logs").vdev("xvdc").build());
    xm.blockAttach(DomainName.of("web01"), DiskSpec.parse("file:/iso/a.iso,hdc:cdrom,r"));
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("xm", "block-attach", "web01", "phy:/dev/mapper/web01-data", "xvdb", "w"),
        List.of("xm", "block-attach", "web01", "phy:/dev/mapper/web01-logs", "xvdc", "w"),
        List.of("xm", "block-attach", "web01", "file:/iso/a.iso", "hdc:cdrom", "r"));
    assertThatThrownBy(() -> xm.blockAttach(DomainName.of("web01"), DiskSpec.parse("vdev=xvdd, discard, target=/dev/mapper/x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot carry");
    assertThatThrownBy(() -> xm.blockAttach(DomainName.of("web01"), DiskSpec.parse("vdev=xvdd, format=qcow2, target=/srv/x.qcow2")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefixed target");
    assertThat(runner.commandCount()).isEqualTo(3);
  }

  @Test
  void attachesAndDetachesInterfaces() {
    runner.on("xl").reply(Reply.ok());
    xl.networkAttach(DOMU, VifSpec.of(MacAddress.of("00:16:3e:00:00:03"), InterfaceName.of("xenbr0")));
    xl.networkDetach(DOMU, MacAddress.of("00:16:3e:00:00:03"));
    xl.networkDetach(DOMU, 1);
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("xl", "network-attach", "domU", "mac=00:16:3e:00:00:03", "bridge=xenbr0"),
        List.of("xl", "network-detach", "domU", "00:16:3e:00:00:03"),
        List.of("xl", "network-detach", "domU", "1"));
  }

  @Test
  void xmDetachesByMacThroughTheDeviceId() {
    runner.on("xm", "network-list").reply(Reply.ok(fixture("xm-network-list.txt")));
    runner.on("xm", "network-detach").reply(Reply.ok());
    xm.networkDetach(DomainName.of("web01"), MacAddress.of("00:16:3e:2a:5b:02"));
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("xm", "network-list", "web01"), List.of("xm", "network-detach", "web01", "1"));
    assertThatThrownBy(() -> xm.networkDetach(DomainName.of("web01"), MacAddress.of("00:16:3e:99:99:99")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("no interface with this MAC");
  }

  @Test
  void listsInterfaces() {
    runner.on("xl", "network-list").reply(Reply.ok(fixture("xl-network-list.txt")));
    assertThat(xl.networkList(DOMU)).extracting(NetworkDevice::index).containsExactly(0, 1);
  }

  // ------------------------------------------------------------------ save, restore, detect

  @Test
  void savesAndRestores() {
    runner.on("xl", "save").reply(new Reply(0, "", fixture("xl-save-pv.txt")));
    runner.on("xl", "restore").reply(new Reply(0, "", fixture("xl-restore.txt")));
    xl.save(DOMU, "/xl/domU.save", false);
    xl.save(DOMU, "/xl/domU.save", true);
    xl.restore("/xl/domU.save", false);
    xl.restore("/xl/domU.save", true);
    assertThat(runner.commands()).extracting(Command::argv).containsExactly(
        List.of("xl", "save", "domU", "/xl/domU.save"), List.of("xl", "save", "-c", "domU", "/xl/domU.save"),
        List.of("xl", "restore", "/xl/domU.save"), List.of("xl", "restore", "-p", "/xl/domU.save"));
  }

  @Test
  void detectsTheToolstackThatWorks() {
    runner.on("xl", "info").reply(Reply.ok(fixture("xl-info-debian.txt")));
    assertThat(Toolstack.detect(host).kind()).isEqualTo(Toolstack.Kind.XL);

    RecordingRunner old = RecordingRunner.scripted();
    old.on("xl", "info").fault(Fault.notInstalled());
    old.on("xm", "info").reply(Reply.ok(fixture("xm-info.txt")));
    assertThat(Toolstack.detect(Host.of(HostName.of("blade01"), Host.Kind.SIMULATED, old, root, null, null)).kind())
        .isEqualTo(Toolstack.Kind.XM);

    RecordingRunner none = RecordingRunner.scripted();
    none.on("xl", "info").fault(Fault.notInstalled());
    none.on("xm", "info").reply(Reply.fail(1, "Error: Unable to connect to xend: No such file or directory. Is xend running?"));
    assertThatThrownBy(() -> Toolstack.detect(Host.of(HostName.of("blade02"), Host.Kind.SIMULATED, none, root, null, null)))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Xen toolstack 'blade02' not found")
        .hasMessageContaining("No such file or directory")
        .hasMessageContaining("Is xend running?");
  }
}
