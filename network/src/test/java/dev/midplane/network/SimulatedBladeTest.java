package dev.midplane.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.plan.Plan;
import dev.midplane.network.persist.BladeLayout;
import dev.midplane.network.persist.IfcfgStore;
import dev.midplane.network.persist.InterfaceConfig;
import dev.midplane.network.sim.SimulatedNetworkTools;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bare simulated blade (eth0–eth3, nothing configured) driven through the simulated {@code ip}:
 * the whole blade layout as one plan, persisted; the advisor's ARP proposal; and the reason for it,
 * an upstream cut that only the ARP monitor sees.
 */
class SimulatedBladeTest {
  static final InterfaceName BOND0 = InterfaceName.of("bond0");
  static final InterfaceName BOND1 = InterfaceName.of("bond1");
  static final InterfaceName ETH0 = InterfaceName.of("eth0");
  static final InterfaceName ETH1 = InterfaceName.of("eth1");
  static final InterfaceName XENBR0 = InterfaceName.of("xenbr0");
  static final Ipv4Address GATEWAY = Ipv4Address.of("192.0.2.1");

  @TempDir
  Path root;
  SimulatedKernel kernel;
  RecordingRunner recorder;
  Host host;

  @BeforeEach
  void bareBlade() {
    kernel = SimulatedKernel.bareBlade(root, HostName.of("blade1"), SimulatedSan.create());
    SimulatedNetworkTools.install(kernel);
    recorder = RecordingRunner.wrapping(kernel.runner());
    host = kernel.host().withRunner(recorder);
  }

  /** The standard layout, the management address on xenbr0, and VLANs 101–120 on bond1 with their bridges. */
  static BladeLayout bigLayout() {
    BladeLayout standard = BladeLayout.standard();
    BladeLayout.Builder b = BladeLayout.builder().addAllUplinks(standard.uplinks())
        .management(new BladeLayout.Management(XENBR0, new InterfaceConfig.Ipv4(Ipv4Address.of("192.0.2.10"), 24, Optional.of(GATEWAY))));
    IntStream.rangeClosed(101, 120).forEach(id -> b.addVlans(new BladeLayout.VlanBridge(BOND1, id, InterfaceName.of("br" + id))));
    return b.build();
  }

  /**
   * Planning reads the host once; applying runs every link change in one {@code ip -batch -} and
   * verifies every step from one read; the ifcfg files are written without any process.
   */
  @Test
  void aHundredStepLayoutFromABareBladeRunsAsTwoProcessesAndIsPersisted() {
    Network net = Network.on(host, Network.Backend.IPROUTE2);
    int before = recorder.commands().size();
    Plan plan = net.layoutPlan(bigLayout(), IfcfgStore.on(host));
    assertThat(plan.steps()).hasSizeGreaterThanOrEqualTo(100);
    assertThat(recorder.commands().subList(before, recorder.commands().size())).as("to plan").hasSize(1);
    int planned = recorder.commands().size();
    plan.apply();
    List<Command> ran = recorder.commands().subList(planned, recorder.commands().size());
    assertThat(ran).as("processes to apply and verify %d steps", plan.steps().size()).hasSize(2);
    assertThat(ran.get(0).argv()).containsExactly("ip", "-batch", "-");
    assertThat(ran.get(0).stdin().orElseThrow().lines()).hasSizeGreaterThanOrEqualTo(100);

    BondStatus bond0 = net.bond(BOND0).status();
    assertThat(bond0.mode()).isEqualTo(BondOptions.Mode.ACTIVE_BACKUP);
    assertThat(bond0.slaves()).extracting(BondStatus.SlaveStatus::name).containsExactly(ETH0, ETH1);
    assertThat(bond0.activeSlave()).contains(ETH0);
    assertThat(net.bond(BOND1).slaves()).containsExactly(InterfaceName.of("eth2"), InterfaceName.of("eth3"));
    assertThat(net.link(InterfaceName.of("bond1.120")).orElseThrow().master()).contains(InterfaceName.of("br120"));
    assertThat(net.managementDevices()).contains(XENBR0);
    assertThat(plan.verify()).isEmpty();

    // the same devices, as the next boot will read them
    List<InterfaceConfig> stored = IfcfgStore.on(host).interfaces();
    assertThat(stored).containsExactlyInAnyOrderElementsOf(bigLayout().interfaces());
    assertThat(root.resolve("etc/sysconfig/network-scripts/ifcfg-bond0")).content().contains("BONDING_OPTS=");
  }

  @Test
  void anUpstreamCutFailsOverOnlyOnceTheAdvisorsArpMonitoringIsOn() throws Exception {
    Network net = Network.on(host);
    assertThat(net.backend()).isEqualTo(Network.Backend.IPROUTE2);
    IfcfgStore store = IfcfgStore.on(host);
    net.layoutPlan(bigLayout(), store).apply();

    ArpAdvisor.Advice advice = net.arpAdvisor().target(XENBR0, GATEWAY).interval(Duration.ofMillis(200)).review();
    assertThat(advice.healthy()).isFalse();
    assertThat(advice.findings(BOND0)).extracting(ArpAdvisor.Finding::kind).containsExactly(ArpAdvisor.Kind.MII_ONLY);
    // bond1 carries only VLANs without an address of the host: no target can be used from it
    assertThat(advice.findings(BOND1)).extracting(ArpAdvisor.Finding::kind)
        .containsExactly(ArpAdvisor.Kind.MII_ONLY, ArpAdvisor.Kind.NO_TARGETS_GIVEN);
    assertThat(advice.proposals()).containsOnlyKeys(BOND0);
    assertThat(advice.proposals().get(BOND0).arpIpTargets()).containsExactly(GATEWAY);

    // with miimon the cut behind eth0 goes unseen: the bond keeps sending into a dead switch
    kernel.net().setUpstream(ETH0, false);
    kernel.advance(Duration.ofSeconds(2));
    assertThat(net.bond(BOND0).activeSlave()).contains(ETH0);
    kernel.net().setUpstream(ETH0, true);

    advice.plan(store).apply();
    BondStatus s = net.bond(BOND0).status();
    assertThat(s.monitor()).isEqualTo(BondStatus.Monitor.ARP);
    assertThat(s.miimon()).isZero();
    assertThat(s.arpIpTargets()).containsExactly(GATEWAY);
    assertThat(s.arpValidate()).isEqualTo("all");
    String ifcfg = Files.readString(root.resolve("etc/sysconfig/network-scripts/ifcfg-bond0"));
    assertThat(ifcfg).contains("arp_ip_target=192.0.2.1").contains("arp_interval=200").doesNotContain("miimon=100");
    // the ARP monitor starts from scratch: with arp_validate all the probes rotate from eth1, which
    // comes back first and carries the traffic from then on (as Linux 6.1 did in the lab)
    kernel.advance(Duration.ofSeconds(1));
    assertThat(net.bond(BOND0).activeSlave()).contains(ETH1);
    assertThat(net.arpAdvisor().target(XENBR0, GATEWAY).review().findings(BOND0)).extracting(ArpAdvisor.Finding::kind)
        .containsExactly(ArpAdvisor.Kind.ARP_MONITORED);
    long before = net.bond(BOND0).status().slave(ETH1).orElseThrow().linkFailures();
    kernel.net().setUpstream(ETH1, false);
    kernel.advance(Duration.ofSeconds(2));
    BondStatus cut = net.bond(BOND0).status();
    assertThat(cut.activeSlave()).contains(ETH0);
    assertThat(cut.slave(ETH1).orElseThrow().linkFailures()).isGreaterThan(before);
  }

  @Test
  void theDryRunShowsEveryCommandAndFileAndChangesNothing() {
    Plan plan = Network.on(host, Network.Backend.IPROUTE2).layoutPlan(BladeLayout.standard(), IfcfgStore.on(host));
    String dry = plan.dryRun();
    assertThat(dry).contains("$ ip link add bond0 type bond mode active-backup miimon 100")
        .contains("$ ip link set eth3 master bond1").contains("$ ip link set bond1 master xenbr1")
        .contains("write /etc/sysconfig/network-scripts/ifcfg-eth3");
    // a dry run changes nothing
    assertThat(kernel.net().link(BOND0)).isEmpty();
    assertThat(root.resolve("etc/sysconfig/network-scripts/ifcfg-bond0")).doesNotExist();
  }
}
