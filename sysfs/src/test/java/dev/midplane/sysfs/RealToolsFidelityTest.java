package dev.midplane.sysfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated kernel's tree, read by the real {@code lsblk} and {@code lsscsi}, shows the same
 * disks, sizes, addresses and device-mapper children as the SDK's discovery; and the SDK's
 * discovery of this machine's real {@code /sys} (read only) agrees with {@code lsblk} and
 * {@code ip}.
 */
class RealToolsFidelityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalCommandRunner RUN = new LocalCommandRunner();

  @TempDir
  Path dir;

  private static CommandResult run(String... argv) {
    return RUN.run(Command.builder(argv).timeout(Duration.ofSeconds(60)).build()).requireSuccess("local");
  }

  /** A blade in an interesting state: maps, a deleted path, a blocked path, a grown LUN rescanned on one path. */
  private SimulatedKernel busyBlade() {
    SimulatedKernel k = DiscoveryTest.bladeWithMaps(dir, 5);
    Sysfs s = Sysfs.on(k.host());
    s.deleteEvenIfHeld(BlockDeviceName.of("sdc"));
    SimulatedSan san = k.san();
    Wwid grown = k.scsi().disk(BlockDeviceName.of("sdb")).orElseThrow().wwid();
    san.grow(grown, 20L << 30);
    s.rescan(BlockDeviceName.of("sdb"));
    san.cutPath(k.scsi().initiatorPorts().get(1), san.targetPorts().get(3).wwpn());
    return k;
  }

  @Test
  @RequiresReal(tools = "lsblk")
  void lsblkOnTheSimulatedTreeListsWhatDiscoveryFinds() throws IOException {
    SimulatedKernel k = busyBlade();
    Topology t = Sysfs.on(k.host()).discover().network(false).call();
    JsonNode out = JSON.readTree(run("lsblk", "--sysroot", k.root().toString(), "-J", "-b",
        "-o", "NAME,KNAME,MAJ:MIN,SIZE,TYPE,HCTL").stdout());

    Map<String, JsonNode> top = new TreeMap<>();
    out.get("blockdevices").forEach(n -> top.put(n.get("kname").asText(), n));
    assertThat(top.keySet()).containsExactlyInAnyOrderElementsOf(
        t.paths().stream().map(p -> p.device().value()).toList());
    for (ScsiPath p : t.paths()) {
      JsonNode n = top.get(p.device().value());
      assertThat(n.get("size").asLong()).as(p.device().value()).isEqualTo(p.sizeBytes());
      assertThat(n.get("maj:min").asText()).isEqualTo(p.dev().toString());
      assertThat(n.get("type").asText()).isEqualTo("disk");
      assertThat(Hctl.of(n.get("hctl").asText())).isEqualTo(p.hctl());
      List<String> children = new ArrayList<>();
      if (n.has("children")) {
        for (JsonNode c : n.get("children")) {
          children.add(c.get("kname").asText());
          DmDevice dm = t.dmDevices().stream().filter(d -> d.device().value().equals(c.get("kname").asText())).findFirst().orElseThrow();
          assertThat(c.get("name").asText()).isEqualTo(dm.name());
          assertThat(c.get("type").asText()).isEqualTo("mpath");
          assertThat(c.get("size").asLong()).isEqualTo(dm.sizeBytes());
          assertThat(c.get("maj:min").asText()).isEqualTo(dm.dev().toString());
        }
      }
      assertThat(children).as("holders of " + p.device()).containsExactlyInAnyOrderElementsOf(
          p.holders().stream().map(BlockDeviceName::value).toList());
    }
    assertThat(t.paths()).anyMatch(p -> p.sizeBytes() == 20L << 30);
    assertThat(t.paths()).anyMatch(p -> p.state().equals("blocked"));
  }

  private static final Pattern LSSCSI = Pattern.compile(
      "^\\[(\\d+:\\d+:\\d+:\\d+)]\\s+disk\\s+(.{8}) (.{16}) (.{4})\\s+/dev/(\\S+) \\[(\\d+:\\d+)]\\s+(\\d+)$");

  @Test
  @RequiresReal(tools = "lsscsi")
  void lsscsiOnTheSimulatedTreeListsWhatDiscoveryFinds() {
    SimulatedKernel k = busyBlade();
    Topology t = Sysfs.on(k.host()).discover().network(false).call();
    String sys = k.root().resolve("sys").toString();
    List<String> lines = run("lsscsi", "--sysfsroot=" + sys, "-k", "-d", "-s", "-s", "-s").stdoutLines();
    assertThat(lines).hasSize(t.paths().size());
    for (String l : lines) {
      Matcher m = LSSCSI.matcher(l);
      assertThat(m.matches()).as(l).isTrue();
      ScsiPath p = t.path(Hctl.of(m.group(1))).orElseThrow();
      assertThat(m.group(2).strip()).isEqualTo(p.vendor());
      assertThat(m.group(3).strip()).isEqualTo(p.model());
      assertThat(m.group(4).strip()).isEqualTo(p.revision());
      assertThat(m.group(5)).isEqualTo(p.device().value());
      assertThat(m.group(6)).isEqualTo(p.dev().toString());
      assertThat(Long.parseLong(m.group(7)) * 512).isEqualTo(p.sizeBytes());
    }
    // the transport view: each path's target port, and each HBA's own port name
    Map<String, String> rportOfTarget = new HashMap<>();
    for (String l : run("lsscsi", "--sysfsroot=" + sys, "-t", "-k").stdoutLines()) {
      String[] w = l.split("\\s+");
      rportOfTarget.put(w[0].substring(1, w[0].length() - 1), w[2]);
    }
    for (ScsiPath p : t.paths()) {
      FcRemotePort r = t.remotePorts().stream().filter(x -> x.name().equals(p.remotePort().orElseThrow())).findFirst().orElseThrow();
      assertThat(rportOfTarget.get(p.hctl().toString())).isEqualTo("fc:" + r.portName().sysfs() + "," + r.portId());
    }
    Set<String> hosts = new HashSet<>(run("lsscsi", "--sysfsroot=" + sys, "-H", "-t").stdoutLines());
    for (ScsiHost h : t.scsiHosts()) {
      assertThat(hosts).anySatisfy(l -> {
        assertThat(l).startsWith("[" + h.number() + "]").contains(h.procName());
        h.fc().ifPresent(fc -> assertThat(l).contains("fc:" + fc.portName().sysfs()));
      });
    }
  }

  @Test
  @RequiresReal(tools = "lsblk")
  void discoveryOfThisMachinesRealSysAgreesWithLsblk() throws IOException {
    Host local = Host.local();
    Topology t = Sysfs.on(local).discover().network(false).trackDuplicateReads(true).call();
    JsonNode out = JSON.readTree(run("lsblk", "-J", "-b", "-d", "-o", "KNAME,MAJ:MIN,SIZE,TYPE").stdout());
    Map<String, BlockDevice> found = new HashMap<>();
    t.blockDevices().forEach(b -> found.put(b.name().value(), b));
    Set<String> listed = new HashSet<>();
    for (JsonNode n : out.get("blockdevices")) {
      String name = n.get("kname").asText();
      listed.add(name);
      assertThat(found).as("discovery finds " + name).containsKey(name);
      assertThat(found.get(name).dev().toString()).isEqualTo(n.get("maj:min").asText());
      assertThat(found.get(name).sizeBytes()).as(name).isEqualTo(n.get("size").asLong());
    }
    assertThat(listed).isNotEmpty();
    // lsblk hides loop devices without a backing file and RAM disks; discovery lists every disk
    for (BlockDevice b : t.blockDevices()) {
      if (!listed.contains(b.name().value())) {
        assertThat(b.name().value().startsWith("loop") && b.sizeBytes() == 0 || b.dev().major() == 1)
            .as(b.name() + " is missing from lsblk").isTrue();
      }
    }
    assertThat(t.skipped()).isEmpty();
    assertThat(t.stats().duplicateReads()).isZero();
  }

  @Test
  @RequiresReal(tools = "ip")
  void discoveryOfThisMachinesNetworkAgreesWithIp() throws IOException {
    Map<String, JsonNode> before = ipLinks();
    Topology t = Sysfs.on(Host.local()).discover().storage(false).call();
    Map<String, JsonNode> after = ipLinks();
    int compared = 0;
    for (Map.Entry<String, JsonNode> e : before.entrySet()) {
      JsonNode a = after.get(e.getKey());
      if (a == null || !InterfaceName.isValid(e.getKey()) || a.get("ifindex").asInt() != e.getValue().get("ifindex").asInt()) {
        continue; // created or removed meanwhile by someone else
      }
      NetDevice d = t.netDevice(InterfaceName.of(e.getKey())).orElseThrow(() -> new AssertionError("not discovered: " + e.getKey()));
      assertThat(d.ifindex()).isEqualTo(a.get("ifindex").asInt());
      assertThat(d.mtu()).isEqualTo(a.get("mtu").asInt());
      if (a.has("address") && MacAddress.isValid(a.get("address").asText())) {
        assertThat(d.address()).contains(MacAddress.of(a.get("address").asText()));
      }
      List<String> flags = new ArrayList<>();
      a.get("flags").forEach(f -> flags.add(f.asText()));
      assertThat(d.adminUp()).isEqualTo(flags.contains("UP"));
      assertThat(d.kind() == NetDeviceKind.LOOPBACK).isEqualTo(flags.contains("LOOPBACK"));
      compared++;
    }
    assertThat(compared).isPositive();
  }

  private static Map<String, JsonNode> ipLinks() throws IOException {
    Map<String, JsonNode> m = new HashMap<>();
    JSON.readTree(run("ip", "-j", "link", "show").stdout()).forEach(n -> m.put(n.get("ifname").asText(), n));
    return m;
  }
}
