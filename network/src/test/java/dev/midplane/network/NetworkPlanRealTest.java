package dev.midplane.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.core.plan.StepOutcome;
import dev.midplane.core.testkit.NetNs;
import dev.midplane.core.testkit.RealPrerequisites;
import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Network plans on the real kernel: batching, rollback, and the management-connection refusal. */
@RequiresReal(tools = {"ip"}, root = true, features = {RealPrerequisites.Feature.NETNS, RealPrerequisites.Feature.BRIDGE})
class NetworkPlanRealTest {
  @TempDir
  Path root;
  private NetNs ns;

  @BeforeEach
  void setUp() {
    ns = NetNs.create("plan");
  }

  @AfterEach
  void tearDown() {
    ns.close();
  }

  private Host host(CommandRunner runner) {
    return Host.of(HostName.of("plan-lab"), Host.Kind.LOCAL, runner, root, null, null);
  }

  private void veths(String prefix, int n) {
    StringBuilder batch = new StringBuilder();
    for (int i = 0; i < n; i++) {
      batch.append("link add ").append(prefix).append(i).append(" type veth peer name ").append(prefix).append(i)
          .append("p\n");
    }
    ns.runner().run(Command.builder("ip", "-batch", "-").stdin(batch.toString()).build()).requireSuccess("ns");
  }

  @Test
  void aHundredStepPlanRunsInOneBatchAndOneReadBack() {
    veths("p", 40);
    RecordingRunner r = RecordingRunner.wrapping(ns.runner());
    Network net = Network.on(host(r), Network.Backend.IPROUTE2);
    NetworkChange c = net.change("ten bridges of four ports");
    for (int b = 0; b < 10; b++) {
      c.createBridge("xb" + b, BridgeOptions.xen());
    }
    for (int p = 0; p < 40; p++) {
      c.attach("p" + p, "xb" + (p / 4)).up("p" + p);
    }
    for (int b = 0; b < 10; b++) {
      c.up("xb" + b);
    }
    Plan plan = c.plan();
    assertThat(plan.steps()).hasSize(100);
    int beforeApply = r.commandCount();
    assertThat(beforeApply).as("building the plan read the host once").isEqualTo(1);

    PlanReport report = plan.apply();

    List<Command> applied = r.commands().subList(beforeApply, r.commandCount());
    assertThat(applied).extracting(cmd -> String.join(" ", cmd.argv()))
        .containsExactly("ip -batch -", "ip -j -d addr show");
    assertThat(report.steps()).hasSize(100).allMatch(s -> s.status() == StepOutcome.Status.APPLIED);
    List<BridgeStatus> bridges = net.bridges();
    assertThat(bridges).hasSize(10).allMatch(b -> b.ports().size() == 4);
    assertThat(plan.verify()).as("no drift right after").isEmpty();
  }

  @Test
  void theDryRunListsTheExactCommands() {
    veths("p", 1);
    Network net = Network.on(host(ns.runner()), Network.Backend.IPROUTE2);
    String dry = net.change("one bridge").createBridge("xb0", BridgeOptions.xen()).attach("p0", "xb0").up("xb0")
        .plan().dryRun();
    assertThat(dry).contains("plan: one bridge (one ip -batch, one read-back)",
        "1. create bridge xb0", "$ ip link add xb0 type bridge stp_state 0 forward_delay 0",
        "2. attach p0 to xb0", "$ ip link set p0 master xb0",
        "3. set xb0 up", "$ ip link set xb0 up");
    assertThat(net.bridges()).as("a dry run changes nothing").isEmpty();
  }

  @Test
  void aFailingLineRollsBackTheLinesBeforeIt() {
    veths("p", 2);
    Network net = Network.on(host(ns.runner()), Network.Backend.IPROUTE2);
    assertThatThrownBy(() -> net.change("half").createBridge("xb0", BridgeOptions.xen()).attach("p0", "xb0")
        .attach("missing0", "xb0").attach("p1", "xb0").apply())
        .isInstanceOf(PlanFailedException.class)
        .satisfies(e -> {
          PlanReport rep = ((PlanFailedException) e).report();
          assertThat(rep.steps()).extracting(StepOutcome::status).containsExactly(StepOutcome.Status.UNDONE,
              StepOutcome.Status.UNDONE, StepOutcome.Status.FAILED, StepOutcome.Status.NOT_RUN);
          assertThat(rep.steps().get(2).detail()).contains("line 3").contains("missing0");
          assertThat(rep.rolledBackCleanly()).isTrue();
        });
    assertThat(net.bridges()).isEmpty();
    assertThat(net.link(InterfaceName.of("p0")).orElseThrow().master()).isEmpty();
    assertThat(net.link(InterfaceName.of("p1")).orElseThrow().master()).isEmpty();
  }

  @Test
  void aStepTheReadBackDoesNotConfirmRollsBackEverythingTheBatchDid() {
    veths("p", 3);
    // The read-back after the batch "loses" p0's master: step 2 fails its verification, so the
    // batch's later lines and the earlier steps must all be taken back.
    AtomicInteger reads = new AtomicInteger();
    CommandRunner doctored = cmd -> {
      CommandResult res = ns.runner().run(cmd);
      if (cmd.argv().equals(List.of("ip", "-j", "-d", "addr", "show")) && reads.incrementAndGet() == 2) {
        String out = res.stdout();
        int at = out.indexOf("\"ifname\":\"p0\"");
        int master = out.indexOf("\"master\":\"xb0\",", at);
        out = out.substring(0, master) + out.substring(master + "\"master\":\"xb0\",".length());
        return CommandResult.builder().from(res).stdout(out).build();
      }
      return res;
    };
    Network net = Network.on(host(doctored), Network.Backend.IPROUTE2);
    assertThatThrownBy(() -> net.change("three ports").createBridge("xb0", BridgeOptions.xen()).attach("p0", "xb0")
        .attach("p1", "xb0").attach("p2", "xb0").up("xb0").apply())
        .isInstanceOf(PlanFailedException.class)
        .hasMessageContaining("p0 is not a port of xb0");
    Network plain = Network.on(host(ns.runner()), Network.Backend.IPROUTE2);
    assertThat(plain.bridges()).isEmpty();
    for (String p : List.of("p0", "p1", "p2")) {
      assertThat(plain.link(InterfaceName.of(p)).orElseThrow().master()).as(p).isEmpty();
    }
  }

  @Test
  void cuttingTheManagementConnectionIsRefusedWithEveryReason() {
    ns.execute("ip", "link", "add", "xenbr0", "type", "bridge");
    veths("eth", 1);
    ns.execute("ip", "link", "add", "vif5.0", "type", "veth", "peer", "name", "vif5.0p");
    ns.execute("ip", "link", "set", "eth0", "master", "xenbr0");
    ns.execute("ip", "link", "set", "vif5.0", "master", "xenbr0");
    ns.execute("ip", "link", "set", "xenbr0", "up");
    ns.execute("ip", "addr", "add", "192.0.2.10/24", "dev", "xenbr0");
    Network net = Network.on(host(ns.runner()));
    assertThat(net.managementDevices()).containsExactly(InterfaceName.of("xenbr0"));

    assertThatThrownBy(() -> net.change("maintenance").detach("eth0").down("xenbr0").plan())
        .isInstanceOf(UnsafeOperationException.class)
        .satisfies(e -> assertThat(((UnsafeOperationException) e).reasons()).containsExactly(
            "detach eth0 from xenbr0: xenbr0 carries the management address 192.0.2.10/24 and eth0 is its uplink"
                + " (allowLosingManagement() to go ahead)",
            "set xenbr0 down: it carries the management address 192.0.2.10/24 (allowLosingManagement() to go ahead)"));
    assertThatThrownBy(() -> net.bridge("xenbr0").delete()).isInstanceOf(UnsafeOperationException.class);
    assertThatThrownBy(() -> net.change("down").down("eth0").plan()).isInstanceOf(UnsafeOperationException.class)
        .hasMessageContaining("eth0 is its uplink");
    assertThat(net.bridge("xenbr0").ports()).containsExactly(InterfaceName.of("eth0"), InterfaceName.of("vif5.0"));

    // A VM's port may go; and an operator who means it can take the uplink too.
    net.bridge("xenbr0").detach(InterfaceName.of("vif5.0"));
    net.change("really").detach("eth0").allowLosingManagement().apply();
    assertThat(net.bridge("xenbr0").ports()).isEmpty();
  }

  @Test
  void deletingABridgeRollsBackToTheSameBridgeWithItsPorts() {
    veths("p", 2);
    Network net = Network.on(host(ns.runner()), Network.Backend.IPROUTE2);
    net.change("setup").createBridge("xb0", BridgeOptions.xen()).attach("p0", "xb0").attach("p1", "xb0").up("xb0").apply();
    BridgeStatus before = net.bridge("xb0").status();
    assertThatThrownBy(() -> net.change("delete then fail").deleteBridge(InterfaceName.of("xb0"))
        .attach("missing0", "xb1").apply()).isInstanceOf(PlanFailedException.class);
    BridgeStatus after = net.bridge("xb0").status();
    assertThat(after.ports()).isEqualTo(before.ports());
    assertThat(after.stp()).isEqualTo(before.stp());
    assertThat(net.link(InterfaceName.of("xb0")).orElseThrow().isUp()).isTrue();
  }
}
