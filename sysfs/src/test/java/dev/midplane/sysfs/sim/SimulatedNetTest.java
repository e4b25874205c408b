package dev.midplane.sysfs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.files.Errno;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.sysfs.BondDevice;
import dev.midplane.sysfs.BondMode;
import dev.midplane.sysfs.BondSlave;
import dev.midplane.sysfs.Bonding;
import dev.midplane.sysfs.BridgePortState;
import dev.midplane.sysfs.ProcBonding;
import dev.midplane.sysfs.SlaveLinkState;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.VlanDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedNetTest {
  @TempDir
  Path dir;

  static final InterfaceName ETH0 = InterfaceName.of("eth0");
  static final InterfaceName ETH1 = InterfaceName.of("eth1");
  static final InterfaceName BOND0 = InterfaceName.of("bond0");
  SimulatedKernel kernel;
  SimulatedNet net;
  Sysfs sysfs;
  Bonding bonding;

  @BeforeEach
  void bareBlade() {
    kernel = SimulatedKernel.bareBlade(dir, HostName.of("blade1"), SimulatedSan.create());
    net = kernel.net();
    sysfs = Sysfs.on(kernel.host());
    bonding = sysfs.bonding();
  }

  private BondDevice bond0() {
    return sysfs.discover().storage(false).call().bond(BOND0).orElseThrow();
  }

  private static Errno errno(Throwable e) {
    return ((AttributeWriteException) e).errno().orElseThrow();
  }

  /** bond0 over eth0 and eth1, built through sysfs as bond.log's part C does. */
  private void bond0ThroughSysfs() {
    bonding.createBond(BOND0);
    bonding.setMode(BOND0, BondMode.ACTIVE_BACKUP);
    bonding.setMiimon(BOND0, 100);
    bonding.enslave(BOND0, ETH0);
    bonding.enslave(BOND0, ETH1);
    net.setUp(BOND0, true);
  }

  @Test
  void buildsAnActiveBackupBondThroughSysfs() {
    bond0ThroughSysfs();
    BondDevice b = bond0();
    assertThat(b.mode()).isEqualTo(BondMode.ACTIVE_BACKUP);
    assertThat(b.activeSlave()).contains(ETH0);
    assertThat(b.slaves()).extracting(BondSlave::name).containsExactly(ETH0, ETH1);
    assertThat(b.miiUp()).isTrue();
    ProcBonding proc = sysfs.procBonding(BOND0);
    assertThat(proc.activeSlave()).contains(ETH0);
    assertThat(proc.slaves()).extracting(ProcBonding.Slave::miiStatus).containsOnly(SlaveLinkState.UP);
    assertThat(proc).isEqualTo(net.procBonding(BOND0).orElseThrow());
    Topology t = sysfs.discover().storage(false).call();
    // enslaving opens the slave and gives it the bond's address (fail_over_mac none)
    assertThat(t.netDevice(ETH1).orElseThrow().adminUp()).isTrue();
    assertThat(t.netDevice(ETH1).orElseThrow().address()).isEqualTo(t.netDevice(BOND0).orElseThrow().address());
    assertThat(proc.slave(ETH1).orElseThrow().permanentMac()).isNotEqualTo(t.netDevice(ETH1).orElseThrow().address());
  }

  @Test
  void refusesWhatTheRealKernelRefusesWithTheSameErrno() {
    bond0ThroughSysfs();
    // errors-bond-and-vlan.txt and sysfs-create.txt, captured from Linux 6.1
    assertThatThrownBy(() -> bonding.setMode(BOND0, BondMode.BALANCE_RR)).isInstanceOf(AttributeWriteException.class)
        .hasMessageContaining("Directory not empty");
    assertThatThrownBy(() -> bonding.createBond(BOND0)).satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EEXIST));
    assertThatThrownBy(() -> bonding.enslave(BOND0, InterfaceName.of("nosuchdev")))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.ENODEV));
    net.setUp(InterfaceName.of("eth2"), true);
    assertThatThrownBy(() -> bonding.enslave(BOND0, InterfaceName.of("eth2")))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EPERM)).hasMessageContaining("enslaved while up");
    assertThatThrownBy(() -> bonding.enslave(BOND0, ETH1)).satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EBUSY));
    assertThatThrownBy(() -> bonding.setActiveSlave(BOND0, InterfaceName.of("eth2")))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EINVAL));
    bonding.setMiimon(BOND0, 0);
    assertThatThrownBy(() -> bonding.setUpdelay(BOND0, 100)).satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EPERM));
    assertThatThrownBy(() -> bonding.addArpIpTarget(BOND0, Ipv4Address.of("0.0.0.0")))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EINVAL));
    bonding.addArpIpTarget(BOND0, Ipv4Address.of("192.0.2.1"));
    assertThatThrownBy(() -> bonding.addArpIpTarget(BOND0, Ipv4Address.of("192.0.2.1")))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EINVAL));
    assertThatThrownBy(() -> kernel.host().writeAttribute("/sys/class/net/bonding_masters", "bond7"))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EPERM));
    assertThatThrownBy(() -> bonding.deleteBond(InterfaceName.of("eth3"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> bonding.deleteBondEvenIfInUse(InterfaceName.of("eth3")))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.ENODEV));
    // a mode change on a bond without slaves but up is EBUSY
    bonding.createBond(InterfaceName.of("bond1"));
    net.setUp(InterfaceName.of("bond1"), true);
    assertThatThrownBy(() -> bonding.setMode(InterfaceName.of("bond1"), BondMode.ACTIVE_BACKUP))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EBUSY));
  }

  /**
   * Found by the lab (BondingIT, "mode of an up bond without slaves"): Linux 6.1 checks an option's
   * flags before its value, so writing the mode a bond already has is EBUSY while it is up, and
   * ENOTEMPTY (before EBUSY) while it has slaves.
   */
  @Test
  void theModeFlagsAreCheckedBeforeTheValue() {
    InterfaceName bond1 = InterfaceName.of("bond1");
    bonding.createBond(bond1);
    net.setUp(bond1, true);
    assertThatThrownBy(() -> bonding.setMode(bond1, BondMode.BALANCE_RR))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EBUSY));
    assertThatThrownBy(() -> bonding.setMode(bond1, BondMode.BALANCE_RR)).hasMessageContaining("bond is up");
    bond0ThroughSysfs();
    assertThatThrownBy(() -> bonding.setMode(BOND0, BondMode.ACTIVE_BACKUP))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.ENOTEMPTY));
    assertThatThrownBy(() -> bonding.setFailOverMac(BOND0, dev.midplane.sysfs.FailOverMac.NONE))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.ENOTEMPTY));
  }

  /** bond_option_mode_set(): no ARP monitor in 802.3ad/tlb/alb, MII on at 100 ms, arp_validate reset. */
  @Test
  void aModeChangeResetsWhatTheKernelResets() {
    InterfaceName bond1 = InterfaceName.of("bond1");
    bonding.createBond(bond1);
    bonding.setMode(bond1, BondMode.ACTIVE_BACKUP);
    bonding.addArpIpTarget(bond1, Ipv4Address.of("192.0.2.1"));
    bonding.setArpInterval(bond1, 200);
    bonding.setArpValidate(bond1, dev.midplane.sysfs.ArpValidate.ALL);
    bonding.setMode(bond1, BondMode.BALANCE_XOR);
    BondDevice xor = sysfs.discover().storage(false).call().bond(bond1).orElseThrow();
    assertThat(xor.arpInterval()).isEqualTo(200);
    assertThat(xor.miimon()).isZero();
    assertThat(xor.arpValidate()).isEqualTo(dev.midplane.sysfs.ArpValidate.NONE);
    bonding.setMode(bond1, BondMode.IEEE_802_3AD);
    BondDevice lacp = sysfs.discover().storage(false).call().bond(bond1).orElseThrow();
    assertThat(lacp.arpInterval()).isZero();
    assertThat(lacp.miimon()).isEqualTo(100);
  }

  @Test
  void releasingTheActiveSlaveOfAnUpBondIsRefusedUnlessAsked() {
    bond0ThroughSysfs();
    assertThatThrownBy(() -> bonding.release(BOND0, ETH0)).isInstanceOf(UnsafeOperationException.class)
        .hasMessageContaining("active slave");
    bonding.release(BOND0, ETH1);
    bonding.enslave(BOND0, ETH1);
    bonding.releaseEvenIfActive(BOND0, ETH0);
    assertThat(bond0().activeSlave()).contains(ETH1);
    assertThat(sysfs.discover().storage(false).call().netDevice(ETH0).orElseThrow().adminUp()).isFalse();
  }

  @Test
  void deletingABondInUseIsRefusedWithEveryReason() {
    bond0ThroughSysfs();
    net.createBridge(InterfaceName.of("xenbr0"));
    net.setMaster(BOND0, InterfaceName.of("xenbr0"));
    net.createVlan(InterfaceName.of("bond0.100"), BOND0, 100);
    assertThatThrownBy(() -> bonding.deleteBond(BOND0)).isInstanceOf(UnsafeOperationException.class)
        .satisfies(e -> assertThat(((UnsafeOperationException) e).reasons()).containsExactlyInAnyOrder(
            "bond0 has slaves: eth0 eth1", "bond0 is a port of xenbr0", "bond0.100 is built on bond0"));
    assertThat(net.link(BOND0)).isPresent();
    bonding.deleteBondEvenIfInUse(BOND0);
    assertThat(net.link(BOND0)).isEmpty();
    assertThat(net.link(ETH0).orElseThrow().master()).isEmpty();
    assertThat(net.link(InterfaceName.of("bond0.100"))).isEmpty();
    bonding.createBond(InterfaceName.of("bond9"));
    bonding.deleteBond(InterfaceName.of("bond9"));
    assertThat(kernel.root().resolve("sys/class/net/bonding_masters")).hasBinaryContent("\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void miiMonitoringFailsOverOnCarrierLossAndCountsFailures() {
    bond0ThroughSysfs();
    net.setCarrier(ETH0, false);
    BondDevice b = bond0();
    assertThat(b.activeSlave()).contains(ETH1);
    assertThat(b.slave(ETH0).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.DOWN);
    assertThat(b.slave(ETH0).orElseThrow().linkFailureCount()).isEqualTo(1);
    net.setCarrier(ETH0, true);
    assertThat(bond0().activeSlave()).contains(ETH1);
    net.setUp(ETH1, false);
    b = bond0();
    assertThat(b.activeSlave()).contains(ETH0);
    assertThat(b.slave(ETH1).orElseThrow().linkFailureCount()).isEqualTo(1);
    net.setCarrier(ETH0, false);
    b = bond0();
    assertThat(b.activeSlave()).isEmpty();
    assertThat(b.miiUp()).isFalse();
    assertThat(sysfs.procBonding(BOND0).activeSlave()).isEmpty();
    assertThat(sysfs.discover().storage(false).call().netDevice(BOND0).orElseThrow().operstate()).isEqualTo("down");
  }

  @Test
  void aCutUpstreamIsInvisibleToMiiButSeenByTheArpMonitor() {
    bond0ThroughSysfs();
    net.setUpstream(ETH0, false);
    assertThat(bond0().activeSlave()).contains(ETH0);
    assertThat(bond0().slave(ETH0).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.UP);

    bonding.setArpInterval(BOND0, 200); // turns MII monitoring off, as the kernel does
    bonding.addArpIpTarget(BOND0, Ipv4Address.of("192.0.2.254"));
    BondDevice b = bond0();
    assertThat(b.miimon()).isZero();
    // taking over a running bond, the ARP monitor has heard nothing yet: every slave down once
    assertThat(b.activeSlave()).isEmpty();
    assertThat(b.slaves()).extracting(BondSlave::linkFailureCount).containsExactly(1, 1);
    kernel.advance(Duration.ofMillis(200));
    b = bond0();
    assertThat(b.activeSlave()).contains(ETH1);
    assertThat(b.slave(ETH0).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.DOWN);
    ProcBonding proc = sysfs.procBonding(BOND0);
    assertThat(proc.arpIntervalMs()).hasValue(200);
    assertThat(proc.arpIpTargets()).containsExactly(Ipv4Address.of("192.0.2.254"));
    net.setUpstream(ETH0, true);
    assertThat(bond0().slave(ETH0).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.UP);
    assertThat(bond0().activeSlave()).contains(ETH1);
  }

  /** bond0 under ARP monitoring (500 ms, one target) with {@code validate}, both slaves up, eth0 active. */
  private void bond0UnderArpMonitoring(String validate) {
    bonding.createBond(BOND0);
    bonding.setMode(BOND0, BondMode.ACTIVE_BACKUP);
    bonding.addArpIpTarget(BOND0, Ipv4Address.of("192.0.2.1"));
    bonding.setArpValidate(BOND0, dev.midplane.sysfs.ArpValidate.fromOption(validate).orElseThrow());
    bonding.setArpInterval(BOND0, 500);
    bonding.enslave(BOND0, ETH0);
    bonding.enslave(BOND0, ETH1);
    net.setUp(BOND0, true);
    assertThat(bond0().activeSlave()).contains(ETH0);
    assertThat(bond0().slaves()).extracting(BondSlave::miiStatus).containsOnly(SlaveLinkState.UP);
  }

  /**
   * The matrix the lab ran on Linux 6.1 (NetworkArpMonitorIT): a cut standby and one stray frame of
   * each kind. Unvalidated, the standby counts it, comes up, and goes down again three and a half
   * intervals later with one more link failure — any frame, or with a filter value only ARP;
   * validated, it stays down.
   */
  @Test
  void aCutStandbyComesUpOnStrayFramesOnlyWhereArpValidateLetsThemCount() {
    for (String v : List.of("none", "active", "backup", "all", "filter", "filter_active", "filter_backup")) {
      for (SimulatedNet.StrayFrame frame : SimulatedNet.StrayFrame.values()) {
        bareBlade();
        bond0UnderArpMonitoring(v);
        net.setUpstream(ETH1, false);
        assertThat(bond0().slave(ETH1).orElseThrow().miiStatus()).as(v).isEqualTo(SlaveLinkState.DOWN);
        int failures = bond0().slave(ETH1).orElseThrow().linkFailureCount();

        net.receiveStray(ETH1, frame);
        boolean validated = v.equals("backup") || v.equals("all") || v.equals("filter_backup");
        boolean counts = !validated && (frame == SimulatedNet.StrayFrame.ARP || !v.startsWith("filter"));
        String what = v + " " + frame;
        assertThat(bond0().slave(ETH1).orElseThrow().miiStatus()).as(what)
            .isEqualTo(counts ? SlaveLinkState.UP : SlaveLinkState.DOWN);
        kernel.advance(Duration.ofMillis(1749));
        assertThat(bond0().slave(ETH1).orElseThrow().miiStatus()).as(what)
            .isEqualTo(counts ? SlaveLinkState.UP : SlaveLinkState.DOWN);
        kernel.advance(Duration.ofMillis(1));
        BondDevice b = bond0();
        assertThat(b.slave(ETH1).orElseThrow().miiStatus()).as(what).isEqualTo(SlaveLinkState.DOWN);
        assertThat(b.slave(ETH1).orElseThrow().linkFailureCount()).as(what).isEqualTo(failures + (counts ? 1 : 0));
        assertThat(b.activeSlave()).as(what).contains(ETH0);
      }
    }
  }

  /**
   * Why a blade wants {@code arp_validate} on the active slave: with {@code none}, traffic from the
   * switch port itself keeps a cut active slave up for as long as it flows, and the bond stays on the
   * dead path; with {@code active} it fails over at once.
   */
  @Test
  void strayFramesKeepACutActiveSlaveUpOnlyWhereItIsNotValidated() {
    bond0UnderArpMonitoring("none");
    net.receiveStray(ETH0, SimulatedNet.StrayFrame.OTHER);
    net.setUpstream(ETH0, false);
    assertThat(bond0().activeSlave()).contains(ETH0);
    kernel.advance(Duration.ofMillis(1000));
    net.receiveStray(ETH0, SimulatedNet.StrayFrame.OTHER); // the switch port still talks
    kernel.advance(Duration.ofMillis(1249));
    assertThat(bond0().activeSlave()).contains(ETH0);
    kernel.advance(Duration.ofMillis(1));
    assertThat(bond0().activeSlave()).contains(ETH1);
    assertThat(bond0().slave(ETH0).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.DOWN);

    bareBlade();
    bond0UnderArpMonitoring("active");
    net.setUpstream(ETH0, false);
    net.receiveStray(ETH0, SimulatedNet.StrayFrame.OTHER);
    net.receiveStray(ETH0, SimulatedNet.StrayFrame.ARP);
    assertThat(bond0().activeSlave()).contains(ETH1);
  }

  @Test
  void strayFramesElsewhereChangeNothing() {
    bond0ThroughSysfs(); // MII monitoring: frames are not what it looks at
    net.setCarrier(ETH0, false);
    net.receiveStray(ETH0, SimulatedNet.StrayFrame.OTHER);
    assertThat(bond0().activeSlave()).contains(ETH1);
    net.receiveStray(InterfaceName.of("lo"), SimulatedNet.StrayFrame.ARP);
    assertThatThrownBy(() -> net.receiveStray(InterfaceName.of("eth9"), SimulatedNet.StrayFrame.ARP))
        .isInstanceOf(KernelException.class);
  }

  /**
   * What Linux 6.1 did in the lab when a running MII-monitored bond got ARP monitoring: every slave
   * down at once, then back within an interval or two; with arp_validate none or active the first
   * slave is active again, with backup or all the second one is (the probes rotate from it).
   */
  @Test
  void theArpMonitorTakingOverARunningBondStartsFromScratch() {
    for (String validate : List.of("none", "active", "backup", "all")) {
      if (net.link(BOND0).isPresent()) {
        net.delete(BOND0);
      }
      net.setUp(ETH0, false);
      net.setUp(ETH1, false);
      bond0ThroughSysfs();
      bonding.addArpIpTarget(BOND0, Ipv4Address.of("192.0.2.1"));
      bonding.setArpValidate(BOND0, dev.midplane.sysfs.ArpValidate.fromOption(validate).orElseThrow());
      bonding.setArpInterval(BOND0, 200);
      assertThat(bond0().activeSlave()).as(validate).isEmpty();
      kernel.advance(Duration.ofMillis(200));
      InterfaceName first = validate.equals("backup") || validate.equals("all") ? ETH1 : ETH0;
      assertThat(bond0().activeSlave()).as(validate).contains(first);
      kernel.advance(Duration.ofMillis(200));
      BondDevice b = bond0();
      assertThat(b.activeSlave()).as(validate).contains(first);
      assertThat(b.slaves()).as(validate).extracting(BondSlave::miiStatus).containsOnly(SlaveLinkState.UP);
      assertThat(b.slaves()).as(validate).extracting(BondSlave::linkFailureCount).containsExactly(1, 1);
    }
  }

  @Test
  void delaysRunOnTheSimulatedClock() {
    bond0ThroughSysfs();
    bonding.setDowndelay(BOND0, 200);
    bonding.setUpdelay(BOND0, 300);
    net.setCarrier(ETH0, false);
    assertThat(bond0().slave(ETH0).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.GOING_DOWN);
    assertThat(bond0().activeSlave()).contains(ETH0);
    kernel.advance(Duration.ofMillis(199));
    assertThat(bond0().activeSlave()).contains(ETH0);
    kernel.advance(Duration.ofMillis(1));
    assertThat(bond0().activeSlave()).contains(ETH1);
    net.setCarrier(ETH0, true);
    assertThat(bond0().slave(ETH0).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.GOING_BACK);
    assertThat(sysfs.procBonding(BOND0).slave(ETH0).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.GOING_BACK);
    kernel.advance(Duration.ofMillis(300));
    assertThat(bond0().slave(ETH0).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.UP);
    assertThat(sysfs.procBonding(BOND0).updelayMs()).isEqualTo(300);
  }

  @Test
  void thePrimaryComesBackWhenItsLinkDoes() {
    bond0ThroughSysfs();
    bonding.setPrimary(BOND0, java.util.Optional.of(ETH1));
    assertThat(bond0().activeSlave()).contains(ETH1);
    net.setCarrier(ETH1, false);
    assertThat(bond0().activeSlave()).contains(ETH0);
    net.setCarrier(ETH1, true);
    assertThat(bond0().activeSlave()).contains(ETH1);
    assertThat(sysfs.procBonding(BOND0).primarySlave()).contains(ETH1);
  }

  @Test
  void theBladePresetHasBondsAndBridges() {
    SimulatedKernel blade = SimulatedKernel.blade(dir.resolve("b2"), HostName.of("blade2"), SimulatedSan.create());
    Topology t = Sysfs.on(blade.host()).discover().storage(false).call();
    assertThat(t.bonds()).extracting(b -> b.name().value()).containsExactly("bond0", "bond1");
    assertThat(t.bond(InterfaceName.of("bond1")).orElseThrow().slaves()).extracting(s -> s.name().value()).containsExactly("eth2", "eth3");
    assertThat(t.bridges()).extracting(b -> b.name().value()).containsExactly("xenbr0", "xenbr1");
    assertThat(t.netDevices()).allMatch(d -> d.adminUp());
    // a blade switch uplink failure: only the ARP monitor would notice
    blade.net().setUpstream(InterfaceName.of("eth2"), false);
    assertThat(Sysfs.on(blade.host()).discover().storage(false).call().bond(InterfaceName.of("bond1")).orElseThrow()
        .activeSlave()).contains(InterfaceName.of("eth2"));
  }

  @Test
  void vlansAndBridgesBehaveLikeLinux() {
    bond0ThroughSysfs();
    InterfaceName vlan = InterfaceName.of("bond0.100");
    net.createVlan(vlan, BOND0, 100);
    assertThatThrownBy(() -> net.createVlan(InterfaceName.of("bond0.100b"), BOND0, 100)).isInstanceOf(KernelException.class)
        .satisfies(e -> {
          assertThat(((KernelException) e).errnoName()).isEqualTo("EEXIST");
          assertThat(((KernelException) e).extack()).contains("8021q: VLAN device already exists");
        });
    assertThatThrownBy(() -> net.createVlan(InterfaceName.of("bond0.5000"), BOND0, 5000)).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).extack()).contains("8021q: Invalid VLAN id"));
    assertThat(sysfs.vlanConfig().orElseThrow().devices()).containsExactly(new VlanDevice(vlan, 100, BOND0));
    net.setUp(BOND0, false);
    assertThatThrownBy(() -> net.setUp(vlan, true)).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).errnoName()).isEqualTo("ENETDOWN"));
    net.setUp(BOND0, true);
    assertThat(net.link(vlan).orElseThrow().operstate()).isEqualTo("up");

    InterfaceName br = InterfaceName.of("br100");
    net.createBridge(br);
    net.setMaster(vlan, br);
    net.setUp(br, true);
    Topology t = sysfs.discover().storage(false).call();
    assertThat(t.vlans()).hasSize(1);
    assertThat(t.bridge(br).orElseThrow().ports()).singleElement()
        .satisfies(p -> assertThat(p.state()).isEqualTo(BridgePortState.FORWARDING));
    assertThat(t.netDevice(br).orElseThrow().address()).isEqualTo(t.netDevice(BOND0).orElseThrow().address());
    net.delete(BOND0);
    assertThat(net.link(vlan)).isEmpty();
    assertThat(sysfs.vlanConfig().orElseThrow().devices()).isEmpty();
    assertThat(net.link(ETH0).orElseThrow().master()).isEmpty();
    assertThat(sysfs.discover().storage(false).call().bridge(br).orElseThrow().ports()).isEmpty();
    assertThatThrownBy(() -> net.delete(ETH0)).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).errnoName()).isEqualTo("EOPNOTSUPP"));
  }

  @Test
  void vethPairsAndVifsFollowTheirCounterpart() {
    InterfaceName a = InterfaceName.of("veth0a");
    InterfaceName b = InterfaceName.of("veth0b");
    net.createVethPair(a, b);
    net.setUp(a, true);
    assertThat(net.link(a).orElseThrow().operstate()).isEqualTo("lowerlayerdown");
    assertThat(net.link(a).orElseThrow().flags()).contains("NO-CARRIER", "UP");
    net.setUp(b, true);
    assertThat(net.link(a).orElseThrow().carrier()).isTrue();
    net.delete(b);
    assertThat(net.link(a)).isEmpty();
    InterfaceName vif = net.createVif(3, 0);
    assertThat(vif.value()).isEqualTo("vif3.0");
    net.setUp(vif, true);
    Topology t = sysfs.discover().storage(false).call();
    assertThat(t.netDevice(vif).orElseThrow().kind()).isEqualTo(dev.midplane.sysfs.NetDeviceKind.XEN_VIF);
    net.delete(vif);
    assertThat(kernel.root().resolve("sys/devices/xen-backend/vif-3-0")).doesNotExist();
    assertThat(kernel.root().resolve("sys/class/net/vif3.0")).doesNotExist();
  }

  @Test
  void aBondSlaveCannotBeABridgePortToo() {
    bond0ThroughSysfs();
    InterfaceName br = InterfaceName.of("br0");
    net.createBridge(br);
    net.setMaster(ETH1, br); // rtnetlink moves it: released from bond0, added to br0
    assertThat(bond0().slaves()).extracting(BondSlave::name).containsExactly(ETH0);
    assertThatThrownBy(() -> bonding.enslave(BOND0, ETH1)).satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EBUSY));
    assertThat(List.of(net.link(ETH1).orElseThrow().master().orElseThrow())).containsExactly(br);
  }

  /**
   * A device cannot become a lower of a master stacked on it (netdev_master_upper_dev_link()): a
   * VLAN of bond0 cannot be enslaved to bond0, a VLAN of a bridge cannot be that bridge's port.
   */
  @Test
  void noDeviceIsStackedUnderItself() {
    bond0ThroughSysfs();
    InterfaceName vlan = InterfaceName.of("bond0.100");
    net.createVlan(vlan, BOND0, 100);
    assertThatThrownBy(() -> bonding.enslave(BOND0, vlan)).satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EBUSY));
    assertThat(bond0().slaves()).extracting(BondSlave::name).containsExactly(ETH0, ETH1);
    InterfaceName br = InterfaceName.of("br0");
    net.createBridge(br);
    InterfaceName onBridge = InterfaceName.of("br0.5");
    net.createVlan(onBridge, br, 5);
    assertThatThrownBy(() -> net.setMaster(onBridge, br)).isInstanceOf(KernelException.class)
        .satisfies(e -> assertThat(((KernelException) e).errnoName()).isEqualTo("EBUSY"));
    assertThat(net.link(onBridge).orElseThrow().master()).isEmpty();
    net.setMaster(vlan, br);
    assertThat(net.link(vlan).orElseThrow().master()).contains(br);
  }

  /** An up device is refused for being up before its kind is checked: lo is always refused so. */
  @Test
  void anUpLoopbackIsRefusedForBeingUp() {
    bonding.createBond(BOND0);
    InterfaceName lo = InterfaceName.of("lo");
    assertThat(net.link(lo)).isPresent();
    net.setUp(lo, true);
    assertThatThrownBy(() -> bonding.enslave(BOND0, lo)).satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.EPERM))
        .hasMessageContaining("enslaved while up");
  }

  /** A bridge without ports has an all-zero address (brctl shows 8000.000000000000), as on Linux 6.1. */
  @Test
  void aBridgeTakesItsSmallestPortsAddressAndHasNoneWithoutPorts() throws Exception {
    InterfaceName br = InterfaceName.of("br9");
    net.createBridge(br);
    assertThat(net.link(br).orElseThrow().address().toString()).isEqualTo("00:00:00:00:00:00");
    assertThat(java.nio.file.Files.readString(kernel.host().path("/sys/class/net/br9/bridge/bridge_id")))
        .isEqualTo("8000.000000000000\n");
    net.setMaster(InterfaceName.of("eth3"), br);
    net.setMaster(InterfaceName.of("eth2"), br);
    assertThat(net.link(br).orElseThrow().address()).isEqualTo(net.link(InterfaceName.of("eth2")).orElseThrow().address());
    net.clearMaster(InterfaceName.of("eth2"));
    net.clearMaster(InterfaceName.of("eth3"));
    assertThat(net.link(br).orElseThrow().address().toString()).isEqualTo("00:00:00:00:00:00");
  }

  /** br_set_forward_delay(): with STP on only 2..30 s; brctl shows ERANGE ("Numerical result out of range"). */
  @Test
  void theForwardDelayIsRangeCheckedOnlyWithStp() throws Exception {
    InterfaceName br = InterfaceName.of("br9");
    net.createBridge(br);
    net.setBridgeForwardDelay(br, 0);
    net.setBridgeAgeingTime(br, 0);
    assertThat(java.nio.file.Files.readString(kernel.host().path("/sys/class/net/br9/bridge/forward_delay"))).isEqualTo("0\n");
    net.setBridgeStp(br, true);
    assertThatThrownBy(() -> net.setBridgeForwardDelay(br, 100))
        .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errnoName()).isEqualTo("ERANGE"));
    assertThatThrownBy(() -> kernel.host().writeAttribute("/sys/class/net/br9/bridge/forward_delay", "100"))
        .satisfies(e -> assertThat(errno(e)).isEqualTo(Errno.ERANGE));
    kernel.host().writeAttribute("/sys/class/net/br9/bridge/forward_delay", "400");
    assertThat(java.nio.file.Files.readString(kernel.host().path("/sys/class/net/br9/bridge/forward_delay"))).isEqualTo("400\n");
  }

  @Test
  void addressesBelongToTheirDeviceAndGoWithIt() {
    InterfaceName br = InterfaceName.of("br9");
    net.createBridge(br);
    net.addAddress(br, Ipv4Address.of("192.0.2.10"), 24);
    assertThatThrownBy(() -> net.addAddress(br, Ipv4Address.of("192.0.2.10"), 24))
        .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errnoName()).isEqualTo("EEXIST"));
    assertThat(net.addresses()).extracting(a -> a.device().value() + " " + a.address() + "/" + a.prefixLength() + " " + a.scope())
        .containsExactly("lo 127.0.0.1/8 host", "br9 192.0.2.10/24 global");
    assertThat(net.deleteAddress(br, Ipv4Address.of("192.0.2.99"), 24)).isFalse();
    net.addAddress(br, Ipv4Address.of("192.0.2.11"), 24);
    net.delete(br);
    assertThat(net.addresses()).extracting(a -> a.device().value()).containsExactly("lo");
  }

  /** The lab's way of cutting an upstream: the veth peer taken out of the bridge behind it. */
  @Test
  void aVethHasAnUpstreamTooAndOnlyTheArpMonitorSeesItGo() {
    InterfaceName a = InterfaceName.of("veth4a");
    InterfaceName b = InterfaceName.of("veth5a");
    net.createVethPair(a, InterfaceName.of("veth4b"));
    net.createVethPair(b, InterfaceName.of("veth5b"));
    net.setUp(InterfaceName.of("veth4b"), true);
    net.setUp(InterfaceName.of("veth5b"), true);
    InterfaceName bond = InterfaceName.of("bond2");
    bonding.createBond(bond);
    bonding.setMode(bond, BondMode.ACTIVE_BACKUP);
    bonding.addArpIpTarget(bond, Ipv4Address.of("192.0.2.1"));
    bonding.setArpInterval(bond, 200);
    bonding.enslave(bond, a);
    bonding.enslave(bond, b);
    net.setUp(bond, true);
    assertThat(sysfs.procBonding(bond).activeSlave()).contains(a);
    net.setUpstream(a, false);
    kernel.advance(Duration.ofMillis(500));
    ProcBonding p = sysfs.procBonding(bond);
    assertThat(p.activeSlave()).contains(b);
    assertThat(p.slave(a).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.DOWN);
    assertThatThrownBy(() -> net.setUpstream(InterfaceName.of("lo"), false)).isInstanceOf(KernelException.class);
  }
}
