package dev.midplane.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.testkit.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bonds and VLANs are not in this machine's kernel: their argv and their failures are checked
 * against scripted replies, with the error text a real kernel gave (fixture errors-bond-and-vlan).
 */
class NetworkPlanScriptedTest {
  @TempDir
  Path root;

  private static String kernelSays(String command) {
    List<String> lines = Fixtures.text(NetworkPlanScriptedTest.class, "errors-bond-and-vlan.txt").lines().toList();
    int i = lines.indexOf("$ " + command);
    assertThat(i).as("fixture has " + command).isNotNegative();
    return lines.get(i + 1);
  }

  @Test
  void bondsAndVlansAreCreatedWithTheKernelsOptionNamesAndTheirRefusalsRollBack() {
    RecordingRunner r = RecordingRunner.scripted();
    // Planning reads the blade as it is; the read-back after the batch finds the new bond (the
    // real bond0 listing, renamed).
    r.on("ip", "-j", "-d", "addr", "show").reply(Reply.ok(Fixtures.text(NetworkPlanScriptedTest.class, "ip-addr-bridges.json")))
        .once();
    r.on("ip", "-j", "-d", "addr", "show").reply(Reply.ok(
        Fixtures.text(NetworkPlanScriptedTest.class, "ip-bond0.json").replace("\"bond0\"", "\"bond1\"")
            .replace("\"miimon\":100", "\"miimon\":0").replace("\"arp_interval\":0", "\"arp_interval\":1000,"
                + "\"arp_ip_target\":[\"192.0.2.1\"]").replace("\"arp_validate\":null", "\"arp_validate\":\"all\"")));
    String refusal = kernelSays("ip link add link bond0 name bond0.100b type vlan id 100");
    assertThat(refusal).isEqualTo("Error: 8021q: VLAN device already exists.");
    r.on("ip", "-batch", "-").reply(new Reply(1, "", refusal + "\nCommand failed -:2\n"));
    r.on("ip", "link", "del").reply(Reply.ok());
    Host host = Host.of(HostName.of("scripted"), Host.Kind.SIMULATED, r, root, null, null);

    BondOptions arp = BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).arpInterval(1000)
        .addArpIpTargets(Ipv4Address.of("192.0.2.1")).arpValidate("all").build();
    Plan plan = Network.on(host, Network.Backend.IPROUTE2).change("bond1 with VLAN 100")
        .createBond(InterfaceName.of("bond1"), arp)
        .createVlan(InterfaceName.of("bond1"), 100)
        .attach("bond1.100", "xenbr1")
        .plan();
    assertThat(plan.dryRun()).contains(
        "$ ip link add bond1 type bond mode active-backup arp_interval 1000 arp_ip_target 192.0.2.1 arp_validate all",
        "$ ip link add link bond1 name bond1.100 type vlan id 100",
        "$ ip link set bond1.100 master xenbr1");

    assertThatThrownBy(plan::apply).isInstanceOf(PlanFailedException.class)
        .hasMessageContaining("create VLAN bond1.100")
        .hasMessageContaining("VLAN device already exists")
        .satisfies(e -> assertThat(((PlanFailedException) e).report().rolledBackCleanly()).isTrue());
    Command batch = r.commands().stream().filter(c -> c.argv().contains("-batch")).findFirst().orElseThrow();
    assertThat(batch.stdin()).contains("link add bond1 type bond mode active-backup arp_interval 1000 "
        + "arp_ip_target 192.0.2.1 arp_validate all\nlink add link bond1 name bond1.100 type vlan id 100\n"
        + "link set bond1.100 master xenbr1\n");
    assertThat(r.commands().get(r.commandCount() - 1).argv()).containsExactly("ip", "link", "del", "bond1");
  }
}
