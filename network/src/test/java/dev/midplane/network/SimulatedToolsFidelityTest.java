package dev.midplane.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.names.HostName;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.network.sim.SimulatedNetworkTools;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulated {@code ip} against what the real one printed on Linux 6.1 for the same setup: the
 * bond and slave JSON of the capture (same fields at every level, same values where they do not
 * depend on the machine), and the refusals of the capture with their messages and exit codes.
 */
class SimulatedToolsFidelityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  Path root;
  Host host;

  private CommandResult ip(String... words) {
    List<String> argv = new ArrayList<>(List.of("ip"));
    argv.addAll(List.of(words));
    return host.run(Command.of(argv.toArray(String[]::new)));
  }

  /** The capture's setup: bond0, active-backup, miimon 100, over veth0a and veth1a, all up. */
  @BeforeEach
  void captureSetup() {
    SimulatedKernel kernel = SimulatedKernel.create(root, HostName.of("lab"), SimulatedSan.create());
    SimulatedNetworkTools.install(kernel);
    host = kernel.host();
    for (String[] c : new String[][] {
        {"link", "add", "veth0a", "type", "veth", "peer", "name", "veth0b"},
        {"link", "add", "veth1a", "type", "veth", "peer", "name", "veth1b"},
        {"link", "add", "bond0", "type", "bond", "mode", "active-backup", "miimon", "100"},
        {"link", "set", "veth0a", "master", "bond0"},
        {"link", "set", "veth1a", "master", "bond0"},
        {"link", "set", "veth0b", "up"}, {"link", "set", "veth1b", "up"}, {"link", "set", "bond0", "up"}}) {
      assertThat(ip(c).exitCode()).as("ip %s", String.join(" ", c)).isZero();
    }
  }

  private static JsonNode only(String json) throws Exception {
    JsonNode n = JSON.readTree(json);
    assertThat(n.isArray() && n.size() == 1).as("one link in %s", json).isTrue();
    return n.get(0);
  }

  /** Every field path of {@code n} ("linkinfo.info_data.miimon"), arrays as one element. */
  private static TreeSet<String> paths(JsonNode n, String prefix, TreeSet<String> out) {
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        out.add(prefix + e.getKey());
        paths(e.getValue(), prefix + e.getKey() + ".", out);
      }
    }
    return out;
  }

  private void sameAsCaptured(String fixture, String device, List<String> machineIndependent) throws Exception {
    JsonNode real = only(Fixtures.text(getClass(), fixture));
    CommandResult r = ip("-j", "-d", "link", "show", device);
    assertThat(r.exitCode()).isZero();
    JsonNode sim = only(r.stdout());
    assertThat(paths(sim, "", new TreeSet<>())).isEqualTo(paths(real, "", new TreeSet<>()));
    for (String p : machineIndependent) {
      assertThat(sim.at(p)).as(p).isEqualTo(real.at(p));
    }
  }

  @Test
  void theBondIsListedAsLinux61ListsIt() throws Exception {
    sameAsCaptured("ip-bond-master.json", "bond0", List.of("/ifname", "/flags", "/operstate", "/mtu", "/link_type",
        "/linkinfo/info_kind", "/linkinfo/info_data/mode", "/linkinfo/info_data/active_slave",
        "/linkinfo/info_data/miimon", "/linkinfo/info_data/arp_interval", "/linkinfo/info_data/arp_validate",
        "/linkinfo/info_data/fail_over_mac", "/linkinfo/info_data/primary_reselect", "/linkinfo/info_data/updelay"));
  }

  @Test
  void theActiveSlaveIsListedAsLinux61ListsIt() throws Exception {
    sameAsCaptured("ip-bond-slave.json", "veth0a", List.of("/ifname", "/link", "/flags", "/master", "/operstate",
        "/linkinfo/info_kind", "/linkinfo/info_slave_kind", "/linkinfo/info_slave_data/state",
        "/linkinfo/info_slave_data/mii_status", "/linkinfo/info_slave_data/link_failure_count"));
  }

  /** The {@code ip} refusals of errors-bond-and-vlan.txt, replayed on the same setup. */
  @Test
  void theRefusalsAreTheCapturedOnes() {
    assertThat(ip("link", "add", "link", "bond0", "name", "bond0.100", "type", "vlan", "id", "100").exitCode()).isZero();
    List<String> lines = Fixtures.text(getClass(), "errors-bond-and-vlan.txt").lines().toList();
    int checked = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("$ ip ")) {
        continue;
      }
      String[] words = lines.get(i).substring("$ ip ".length()).split(" ");
      String stderr = lines.get(i + 1);
      int exit = Integer.parseInt(lines.get(i + 2).replaceAll("\\(exit (\\d+)\\)", "$1"));
      CommandResult r = ip(words);
      assertThat(r.exitCode()).as(lines.get(i)).isEqualTo(exit);
      assertThat(r.stderr().strip()).as(lines.get(i)).isEqualTo(stderr);
      checked++;
    }
    assertThat(checked).isEqualTo(3);
  }
}
