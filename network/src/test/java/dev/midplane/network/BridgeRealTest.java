package dev.midplane.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.testkit.NetNs;
import dev.midplane.core.testkit.RealPrerequisites;
import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bridges through each backend on the real kernel, in a namespace the test makes. */
@RequiresReal(tools = {"ip", "bridge", "brctl"}, root = true,
    features = {RealPrerequisites.Feature.NETNS, RealPrerequisites.Feature.BRIDGE})
class BridgeRealTest {
  private static final InterfaceName BR = InterfaceName.of("xenbr0");
  private static final InterfaceName UPLINK = InterfaceName.of("eth0");
  private static final InterfaceName VIF = InterfaceName.of("vif1.0");

  @TempDir
  Path root;
  private NetNs ns;
  private Host host;

  @BeforeEach
  void setUp() {
    ns = NetNs.create("bridge");
    ns.execute("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth0p");
    ns.execute("ip", "link", "add", "vif1.0", "type", "veth", "peer", "name", "vif1.0p");
    host = Host.of(HostName.of("bridge-lab"), Host.Kind.LOCAL, ns.runner(), root, null, null);
  }

  @AfterEach
  void tearDown() {
    ns.close();
  }

  private List<BridgeStatus> both(Network.Backend expectedToAgreeWith) {
    List<BridgeStatus> ip = Network.on(host, Network.Backend.IPROUTE2).bridges();
    List<BridgeStatus> brctl = Network.on(host, Network.Backend.BRIDGE_UTILS).bridges();
    assertThat(brctl).as("brctl and ip agree").containsExactlyInAnyOrderElementsOf(ip);
    return expectedToAgreeWith == Network.Backend.IPROUTE2 ? ip : brctl;
  }

  @ParameterizedTest
  @EnumSource(Network.Backend.class)
  void createAttachListDetachDelete(Network.Backend backend) {
    Network net = Network.on(host, backend);
    Bridge br = net.bridge(BR);
    assertThat(br.exists()).isFalse();

    br.create(BridgeOptions.xen());
    assertThat(br.status().stp()).isFalse();
    assertThat(net.link(BR).orElseThrow().isUp()).isTrue();
    assertThat(net.link(BR).orElseThrow().bridge().orElseThrow().forwardDelayCs()).isZero();

    br.attach(UPLINK);
    br.attach(VIF);
    assertThat(br.ports()).containsExactly(UPLINK, VIF);
    assertThat(both(backend)).singleElement().satisfies(s -> assertThat(s.ports()).containsExactly(UPLINK, VIF));
    // iproute2's bridge tool, a third opinion: both ports are there, down (so not forwarding).
    assertThat(br.portStates()).containsOnlyKeys(UPLINK, VIF).containsValue("disabled");

    br.detach(VIF);
    assertThat(br.ports()).containsExactly(UPLINK);
    assertThat(net.link(VIF).orElseThrow().master()).isEmpty();

    br.delete();
    assertThat(br.exists()).isFalse();
    assertThat(net.link(UPLINK).orElseThrow().master()).isEmpty();
    assertThat(both(backend)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Network.Backend.class)
  void optionsAreAppliedAndReadBackTheSameByBothBackends(Network.Backend backend) {
    Network net = Network.on(host, backend);
    net.bridge("stp0").create(new BridgeOptions(true, Duration.ofSeconds(4), Optional.of(Duration.ZERO)));
    Link.BridgeInfo info = net.link(InterfaceName.of("stp0")).orElseThrow().bridge().orElseThrow();
    assertThat(info.stp()).isTrue();
    assertThat(info.forwardDelayCs()).isEqualTo(400);
    assertThat(info.ageingTimeCs()).isZero();
    assertThat(both(backend)).singleElement().satisfies(s -> assertThat(s.stp()).isTrue());
  }

  @ParameterizedTest
  @EnumSource(Network.Backend.class)
  void aRefusedChangeFailsWithTheKernelsWordsAndChangesNothing(Network.Backend backend) {
    Network net = Network.on(host, backend);
    net.bridge(BR).create(BridgeOptions.xen());
    assertThatThrownBy(() -> net.change("attach two").attach(UPLINK, BR).attach(InterfaceName.of("nosuch0"), BR).apply())
        .isInstanceOf(PlanFailedException.class)
        .hasMessageContaining("nosuch0")
        .satisfies(e -> assertThat(((PlanFailedException) e).report().rolledBackCleanly()).isTrue());
    assertThat(net.bridge(BR).ports()).as("the first attach was rolled back").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Network.Backend.class)
  void autoDetectionPrefersIproute2AndEitherChoiceCanBeForced(Network.Backend backend) {
    assertThat(Network.on(host).backend()).isEqualTo(Network.Backend.IPROUTE2);
    assertThat(Network.on(host, backend).backend()).isEqualTo(backend);
  }
}
