package dev.midplane.examples.cli;

import static dev.midplane.examples.cli.Cli.fields;
import static dev.midplane.examples.cli.Cli.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.midplane.core.testkit.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code midplane parse} on real captured outputs (and the hand-written samples of layouts no
 * capture exists for), through the command line's entry point: every KIND, the fields the issue
 * requires, the facts of each capture, and bad files.
 */
class ParseCommandTest {
  @TempDir
  Path dir;

  /** The fixture without its provenance header, as a file the command reads. */
  private Path fixture(String name) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, Fixtures.text(ParseCommandTest.class, "/dev/midplane/examples/parse/" + name));
    return p;
  }

  /** Parses one fixture and returns its result object, asserting it parsed. */
  private JsonNode parsed(String kind, String name) throws IOException {
    Path file = fixture(name);
    Cli.Run run = Cli.run("parse", kind, file.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    List<JsonNode> lines = run.jsonLines();
    assertThat(lines).hasSize(1);
    assertThat(fields(lines.get(0))).containsExactly("file", "result");
    assertThat(lines.get(0).get("file").asText()).isEqualTo(file.toString());
    return lines.get(0).get("result");
  }

  @Test
  void multipathLlOfARealMapHasEveryRequiredField() throws IOException {
    JsonNode r = parsed("multipath-ll", "multipath-ll.txt");
    assertThat(fields(r)).containsExactly("maps", "warnings");
    JsonNode map = r.get("maps").get(0);
    assertThat(fields(map)).contains("name", "wwid", "sysfsName", "vendor", "product", "sizeBytes", "features",
        "hwhandler", "groups");
    assertThat(map.get("name").asText()).isEqualTo("vm-test");
    assertThat(map.get("wwid").asText()).isEqualTo("1Linux_scsi_debug_2000");
    assertThat(map.get("sysfsName").asText()).isEqualTo("dm-0");
    assertThat(map.get("vendor").asText()).isEqualTo("Linux");
    assertThat(map.get("product").asText()).isEqualTo("scsi_debug");
    assertThat(map.get("sizeBytes").asLong()).isEqualTo(64L << 20);
    assertThat(map.get("features").asText()).isEqualTo("0");
    assertThat(map.get("hwhandler").asText()).isEqualTo("1 alua");
    JsonNode groups = map.get("groups");
    assertThat(groups).hasSize(2);
    assertThat(fields(groups.get(0))).containsExactly("policy", "priority", "status", "paths");
    assertThat(groups.get(0).get("policy").asText()).isEqualTo("service-time 0");
    assertThat(groups.get(0).get("priority").asInt()).isEqualTo(50);
    assertThat(groups.get(0).get("status").asText()).isEqualTo("active");
    assertThat(groups.get(1).get("status").asText()).isEqualTo("enabled");
    JsonNode path = groups.get(0).get("paths").get(0);
    assertThat(fields(path)).containsExactly("hctl", "device", "devt", "dmState", "checkerState", "onlineState");
    assertThat(texts(path)).containsExactly("0:0:0:0", "sdb", "8:16", "active", "ready", "running");
    assertThat(texts(groups.get(1).get("paths").get(0))).containsExactly("1:0:0:0", "sda", "8:0", "active", "ready",
        "running");
    assertThat(r.get("warnings")).isEmpty();
  }

  @Test
  void multipathLlOfTheBracketLayoutKeepsLogLinesAsWarningsAndUnknownsAsNull() throws IOException {
    JsonNode r = parsed("multipath-ll", "brackets-0.4.8.txt");
    assertThat(r.get("maps")).hasSize(2);
    JsonNode second = r.get("maps").get(1);
    assertThat(second.get("name").asText()).isEqualTo("3600d0230000000000e13955cc3757800");
    assertThat(second.get("sizeBytes").asLong()).isEqualTo(269L << 30);
    JsonNode failed = second.get("groups").get(0).get("paths").get(0);
    assertThat(failed.get("device").asText()).isEqualTo("sdf");
    assertThat(failed.get("dmState").asText()).isEqualTo("failed");
    assertThat(failed.get("checkerState").asText()).isEqualTo("faulty");
    assertThat(failed.get("onlineState").isNull()).as("0.4.8 printed no online state").isTrue();
    assertThat(r.get("warnings")).hasSize(1);
    assertThat(r.get("warnings").get(0).get("text").asText()).contains("sdf: checker msg");
    assertThat(r.get("warnings").get(0).get("line").asInt()).isEqualTo(9);
  }

  @Test
  void multipathConfOfARealFile() throws IOException {
    JsonNode r = parsed("multipath-conf", "multipath.conf.txt");
    assertThat(fields(r)).contains("defaults", "blacklist", "blacklistExceptions", "multipaths", "devices");
    assertThat(r.get("defaults").get("find_multipaths").asText()).isEqualTo("no");
    assertThat(texts(r.get("blacklist").get("wwid"))).containsExactly(".*");
    assertThat(texts(r.get("blacklistExceptions").get("wwid"))).containsExactly("^1Linux_scsi_debug_2000$");
    JsonNode entry = r.get("multipaths").get(0);
    assertThat(entry.get("wwid").asText()).isEqualTo("1Linux_scsi_debug_2000");
    assertThat(entry.get("alias").asText()).isEqualTo("vm-test");
    assertThat(r.get("devices")).isEmpty();
  }

  @Test
  void multipathTOutputHasTheBuiltInDeviceTable() throws IOException {
    JsonNode r = parsed("multipath-conf", "multipath-t.txt");
    assertThat(r.get("devices").size()).isGreaterThan(50);
    assertThat(r.get("multipaths").get(0).get("alias").asText()).isEqualTo("vm-test");
  }

  @Test
  void dmsetupTableWithTheMultipathTargetParsed() throws IOException {
    JsonNode d = parsed("dmsetup-table", "dmsetup-table.txt").get("devices").get(0);
    assertThat(d.get("name").asText()).isEqualTo("vm-test");
    assertThat(d.get("sizeBytes").asLong()).isEqualTo(64L << 20);
    JsonNode seg = d.get("segments").get(0);
    assertThat(fields(seg)).contains("start", "length", "type", "parameters");
    assertThat(seg.get("length").asLong()).isEqualTo(131072);
    assertThat(seg.get("type").asText()).isEqualTo("multipath");
    JsonNode table = seg.get("multipathTable");
    assertThat(table.get("hwhandler").asText()).isEqualTo("alua");
    assertThat(table.get("groups")).hasSize(2);
    assertThat(table.get("groups").get(0).get("paths").get(0).get("devt").asText()).isEqualTo("8:16");
    assertThat(table.get("groups").get(1).get("paths").get(0).get("devt").asText()).isEqualTo("8:0");
  }

  @Test
  void dmsetupStatusShowsTheFailedPath() throws IOException {
    JsonNode d = parsed("dmsetup-status", "dmsetup-status-path-failed.txt").get("devices").get(0);
    assertThat(fields(d)).containsExactly("name", "sizeBytes", "segments");
    assertThat(d.get("name").isNull()).as("dmsetup status NAME does not print the name").isTrue();
    assertThat(d.get("sizeBytes").asLong()).isEqualTo(1L << 30);
    JsonNode status = d.get("segments").get(0).get("multipathStatus");
    assertThat(status.get("groups").get(0).get("state").asText()).isEqualTo("active");
    JsonNode failed = status.get("groups").get(1).get("paths").get(0);
    assertThat(failed.get("devt").asText()).isEqualTo("8:0");
    assertThat(failed.get("active").asBoolean()).isFalse();
    assertThat(failed.get("failCount").asLong()).isEqualTo(1);
  }

  @Test
  void procBondingWithTheKernelsShortModeName() throws IOException {
    JsonNode r = parsed("proc-bonding", "proc-bond0.txt");
    assertThat(fields(r)).contains("mode", "activeSlave", "miimonMs", "arpIntervalMs", "arpIpTargets", "slaves");
    assertThat(r.get("mode").asText()).isEqualTo("active-backup");
    assertThat(r.get("activeSlave").asText()).isEqualTo("veth0a");
    assertThat(r.get("miimonMs").asInt()).isEqualTo(100);
    assertThat(r.get("arpIntervalMs").asInt()).isZero();
    assertThat(r.get("arpIpTargets")).isEmpty();
    JsonNode slave = r.get("slaves").get(1);
    assertThat(fields(slave)).contains("name", "miiStatus", "linkFailureCount", "permanentAddress");
    assertThat(slave.get("name").asText()).isEqualTo("veth1a");
    assertThat(slave.get("miiStatus").asText()).isEqualTo("up");
    assertThat(slave.get("linkFailureCount").asInt()).isZero();
    assertThat(slave.get("permanentAddress").asText()).isEqualTo("ca:42:f7:83:c8:a5");
  }

  @Test
  void brctlShowWithContinuationLinesAndEmptyBridges() throws IOException {
    JsonNode bridges = parsed("brctl-show", "brctl-show.txt").get("bridges");
    assertThat(fields(bridges.get(0))).containsExactly("name", "id", "stp", "interfaces");
    assertThat(bridges.findValuesAsText("name")).containsExactly("br-empty", "xenbr0", "xenbr1");
    assertThat(texts(bridges.get(1).get("interfaces"))).containsExactly("eth0", "vif3.0");
    assertThat(bridges.get(1).get("id").asText()).isEqualTo("8000.8a6e1a692fcc");
    assertThat(bridges.get(2).get("stp").asBoolean()).isTrue();
    assertThat(bridges.get(0).get("interfaces")).isEmpty();
  }

  @Test
  void ipLinkJsonOfARealBond() throws IOException {
    JsonNode link = parsed("ip-link-json", "ip-bond0.json").get("links").get(0);
    assertThat(link.get("name").asText()).isEqualTo("bond0");
    assertThat(link.get("kind").asText()).isEqualTo("bond");
    assertThat(link.get("mac").asText()).isEqualTo("f2:16:5b:c9:27:34");
    assertThat(link.get("bond").get("mode").asText()).isEqualTo("active-backup");
    assertThat(link.get("bond").get("activeSlave").asText()).isEqualTo("veth0a");
    assertThat(link.get("bond").get("miimonMs").asInt()).isEqualTo(100);
    assertThat(link.get("vlan").isNull()).isTrue();
  }

  @Test
  void ebtablesListWithCounters() throws IOException {
    JsonNode table = parsed("ebtables-list", "ebtables-L-Lc.txt").get("tables").get(0);
    assertThat(table.get("name").asText()).isEqualTo("filter");
    assertThat(table.get("chains").findValuesAsText("name")).containsExactly("INPUT", "FORWARD", "OUTPUT");
    JsonNode forward = table.get("chains").get(1);
    assertThat(forward.get("policy").asText()).isEqualToIgnoringCase("ACCEPT");
    assertThat(forward.get("rules")).hasSize(2);
    assertThat(forward.get("rules").get(0).get("rule").asText()).contains("-i bond0.100");
    assertThat(forward.get("rules").get(1).get("action").asText()).isEqualToIgnoringCase("DROP");
    assertThat(forward.get("rules").get(1).get("packets").asLong()).isZero();
  }

  @Test
  void ifcfgValuesAsBashReadsThemAndWhatBashWouldDoDifferently() throws IOException {
    JsonNode r = parsed("ifcfg", "ifcfg-bond0");
    assertThat(r.get("values").get("DEVICE").asText()).isEqualTo("bond0");
    assertThat(r.get("values").get("BONDING_OPTS").asText()).isEqualTo("mode=active-backup miimon=100 updelay=200 primary=eth0");
    assertThat(r.get("values").get("BRIDGE").asText()).isEqualTo("xenbr0");
    assertThat(r.get("warnings").toString()).contains("TYPE");
  }

  @Test
  void xlListOfRealXen() throws IOException {
    JsonNode domains = parsed("xl-list", "xl-list-running.txt").get("domains");
    assertThat(fields(domains.get(0))).containsExactly("name", "id", "memoryMiB", "vcpus", "state", "cpuSeconds");
    JsonNode domU = domains.get(1);
    assertThat(domU.get("name").asText()).isEqualTo("domU");
    assertThat(domU.get("id").asInt()).isEqualTo(1);
    assertThat(domU.get("memoryMiB").asLong()).isEqualTo(128);
    assertThat(domU.get("vcpus").asInt()).isEqualTo(1);
    assertThat(domU.get("state").asText()).isEqualTo("r-----");
    assertThat(domU.get("cpuSeconds").asDouble()).isEqualTo(31.5);
  }

  @Test
  void xmListWithAnInactiveDomainHasANullId() throws IOException {
    JsonNode domains = parsed("xl-list", "xm-list.txt").get("domains");
    assertThat(domains.get(1).get("name").asText()).isEqualTo("db01");
    assertThat(domains.get(1).get("id").isNull()).isTrue();
    assertThat(domains.get(2).get("state").asText()).isEqualTo("-b----");
  }

  @Test
  void xlListLongInJsonAndXmListLongInSexpressions() throws IOException {
    JsonNode json = parsed("xl-list-long", "xl-list-l.json").get("domains");
    JsonNode domU = json.get(1);
    assertThat(domU.get("name").asText()).isEqualTo("domU");
    assertThat(domU.get("guestType").asText()).isEqualTo("pvh");
    assertThat(domU.get("vifs").get(0).get("mac").asText()).isEqualTo("00:16:3e:00:00:02");
    assertThat(domU.get("vifs").get(0).get("bridge").asText()).isEqualTo("xenbr0");
    JsonNode sxp = parsed("xl-list-long", "xm-list-long.sxp").get("domains");
    assertThat(sxp.size()).isGreaterThanOrEqualTo(2);
    assertThat(sxp.findValuesAsText("source")).allMatch(s -> s.startsWith("xm"));
  }

  @Test
  void domainConfigInXlSyntax() throws IOException {
    JsonNode r = parsed("domain-cfg", "xl-pvh-run6.cfg");
    assertThat(fields(r)).contains("name", "memoryMiB", "vcpus", "vifs", "disks", "settings");
    assertThat(r.get("dialect").asText()).isEqualTo("xl");
    assertThat(r.get("name").asText()).isEqualTo("domU");
    assertThat(r.get("memoryMiB").asLong()).isEqualTo(128);
    assertThat(r.get("vcpus").asInt()).isEqualTo(1);
    assertThat(fields(r.get("vifs").get(0))).contains("mac", "bridge");
    assertThat(r.get("vifs").get(0).get("bridge").asText()).isEqualTo("xenbr0");
    JsonNode disk = r.get("disks").get(0);
    assertThat(fields(disk)).contains("target", "vdev", "mode");
    assertThat(disk.get("target").asText()).isEqualTo("/root/disk0.img");
    assertThat(disk.get("vdev").asText()).isEqualTo("xvda");
    assertThat(disk.get("mode").asText()).isEqualTo("w");
    assertThat(r.get("settings").get("on_crash").asText()).isEqualTo("preserve");
    assertThat(r.get("settings").get("memory").asLong()).isEqualTo(128);
  }

  @Test
  void domainConfigInXmSyntaxWithMultipathDisks() throws IOException {
    JsonNode r = parsed("domain-cfg", "xm-plain.cfg");
    assertThat(r.get("dialect").asText()).isEqualTo("xm");
    assertThat(r.get("name").asText()).isEqualTo("web01");
    assertThat(r.get("disks")).hasSize(3);
    assertThat(r.get("disks").get(0).get("multipathAlias").asText()).isEqualTo("web01");
    assertThat(r.get("disks").get(2).get("cdrom").asBoolean()).isTrue();
    assertThat(texts(r.get("vifs").get(0).get("ips"))).containsExactly("192.0.2.21", "192.0.2.22");
    assertThat(r.get("settings").get("acpi").asBoolean()).isTrue();
    assertThat(r.get("settings").get("cpu_weight").asLong()).isEqualTo(256);
  }

  @Test
  void xendConfig() throws IOException {
    JsonNode r = parsed("xend-config", "xend-config.sxp");
    assertThat(fields(r)).contains("relocationServer", "relocationPort", "relocationHostsAllow", "settings");
    assertThat(r.get("relocationServer").asBoolean()).isTrue();
    assertThat(r.get("relocationPort").asInt()).isEqualTo(8002);
    assertThat(texts(r.get("relocationHostsAllow"))).hasSize(3).contains("blade0");
    assertThat(r.get("settings").get("loglevel").asText()).isEqualTo("INFO");
  }

  @Test
  void everyKindIsDocumentedInTheHelp() {
    Cli.Run help = Cli.run("parse", "--help");
    assertThat(help.code()).isZero();
    for (String kind : dev.midplane.examples.json.ParseKind.names()) {
      assertThat(help.out()).contains("  " + kind + " ");
    }
  }

  @Test
  void severalFilesGiveOneLineEachInOrderAndExit2WhenOneFails() throws IOException {
    Path good = fixture("xl-list-running.txt");
    Path bad = fixture("proc-bond0.txt");
    Cli.Run run = Cli.run("parse", "xl-list", good.toString(), bad.toString(), good.toString());
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    List<JsonNode> lines = run.jsonLines();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0).has("result")).isTrue();
    assertThat(fields(lines.get(1))).containsExactly("file", "error", "line");
    assertThat(lines.get(1).get("file").asText()).isEqualTo(bad.toString());
    assertThat(lines.get(1).get("line").asInt()).isEqualTo(1);
    assertThat(lines.get(1).get("error").asText()).contains("line 1");
    assertThat(lines.get(2).has("result")).isTrue();
  }

  @Test
  void aBrokenLineInTheMiddleIsNamed() throws IOException {
    String text = Fixtures.text(ParseCommandTest.class, "/dev/midplane/examples/parse/multipath-ll.txt");
    List<String> lines = new java.util.ArrayList<>(text.lines().toList());
    lines.add(3, "|-+- policy='service-time 0' prio=fifty status=active");
    Path file = dir.resolve("broken.txt");
    Files.writeString(file, String.join("\n", lines) + "\n");
    Cli.Run run = Cli.run("parse", "multipath-ll", file.toString());
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    JsonNode line = run.jsonLines().get(0);
    assertThat(line.get("line").asInt()).isEqualTo(4);
    assertThat(line.get("error").asText()).contains("line 4");
  }

  @Test
  void aTruncatedDmsetupTableIsAnErrorNotAShorterResult() throws IOException {
    Path file = dir.resolve("cut.txt");
    Files.writeString(file, "vm-test: 0 131072 multipath 0 1 alua 2 1 service-time 0 1 2 8:16 1 1 service-time 0 1\n");
    Cli.Run run = Cli.run("parse", "dmsetup-table", file.toString());
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.jsonLines().get(0).has("error")).isTrue();
    assertThat(run.jsonLines().get(0).has("result")).isFalse();
  }

  @Test
  void aMissingFileIsReportedLikeABadOne() {
    Path missing = dir.resolve("nope.txt");
    Cli.Run run = Cli.run("parse", "xl-list", missing.toString());
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    JsonNode line = run.jsonLines().get(0);
    assertThat(line.get("error").asText()).isEqualTo("no such file: " + missing);
    assertThat(line.get("line").isNull()).isTrue();
  }

  @Test
  void binaryInputIsRefused() throws IOException {
    Path bin = dir.resolve("bin");
    Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    Cli.Run run = Cli.run("parse", "xl-list", bin.toString());
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.jsonLines().get(0).get("error").asText()).contains("not UTF-8");
  }

  @Test
  void dashReadsStandardInput() throws IOException {
    String text = Fixtures.text(ParseCommandTest.class, "/dev/midplane/examples/parse/proc-bond0.txt");
    Environment env = Environment.system().withStdin(() -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    Cli.Run run = Cli.run(env, "parse", "proc-bonding", "-");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.jsonLines().get(0).get("file").asText()).isEqualTo("-");
    assertThat(run.jsonLines().get(0).get("result").get("activeSlave").asText()).isEqualTo("veth0a");
  }

  @Test
  void anUnknownKindIsBadUsageNamingTheKinds() throws IOException {
    Cli.Run run = Cli.run("parse", "multipath-lll", fixture("multipath-ll.txt").toString());
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("unknown KIND 'multipath-lll'").contains("multipath-ll, multipath-conf");
  }

  @Test
  void noFileIsBadUsage() {
    Cli.Run run = Cli.run("parse", "xl-list");
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.err()).contains("FILE");
  }
}
