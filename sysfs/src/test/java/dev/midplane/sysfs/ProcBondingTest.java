package dev.midplane.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.Fixtures;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ProcBondingTest {
  private static String fixture(String name) {
    return Fixtures.text(ProcBondingTest.class, "bonding/" + name);
  }

  private static InterfaceName n(String s) {
    return InterfaceName.of(s);
  }

  @Test
  void parsesAnActiveBackupBondWithMiiMonitoring() {
    ProcBonding b = ProcBonding.parse(fixture("proc-bond0.txt"));
    assertThat(b.driverVersion()).isEqualTo("v6.1.0-56-amd64");
    assertThat(b.mode()).isEqualTo(BondMode.ACTIVE_BACKUP);
    assertThat(b.usesPrimary()).isTrue();
    assertThat(b.primarySlave()).isEmpty();
    assertThat(b.activeSlave()).contains(n("veth0a"));
    assertThat(b.miiUp()).isTrue();
    assertThat(b.miimon()).isEqualTo(100);
    assertThat(b.updelayMs()).isZero();
    assertThat(b.downdelayMs()).isZero();
    assertThat(b.peerNotificationDelayMs()).hasValue(0);
    assertThat(b.arpIntervalMs()).isEmpty();
    assertThat(b.arpIpTargets()).isEmpty();
    assertThat(b.slaves()).extracting(ProcBonding.Slave::name).containsExactly(n("veth0a"), n("veth1a"));
    ProcBonding.Slave s = b.slave(n("veth1a")).orElseThrow();
    assertThat(s.miiStatus()).isEqualTo(SlaveLinkState.UP);
    assertThat(s.speedMbps()).hasValue(10000);
    assertThat(s.duplex()).contains("full");
    assertThat(s.linkFailureCount()).isZero();
    assertThat(s.permanentMac()).contains(MacAddress.of("ca:42:f7:83:c8:a5"));
    assertThat(s.queueId()).hasValue(0);
  }

  @Test
  void failoverShowsTheNewActiveSlaveAndTheFailureCounts() {
    ProcBonding after1 = ProcBonding.parse(fixture("failover-1.txt"));
    assertThat(after1.activeSlave()).contains(n("veth1a"));
    assertThat(after1.slave(n("veth0a")).orElseThrow().miiStatus()).isEqualTo(SlaveLinkState.DOWN);
    assertThat(after1.slave(n("veth0a")).orElseThrow().linkFailureCount()).isEqualTo(1);
    ProcBonding after2 = ProcBonding.parse(fixture("failover-2.txt"));
    assertThat(after2.activeSlave()).contains(n("veth0a"));
    assertThat(after2.slaves()).extracting(ProcBonding.Slave::linkFailureCount).containsExactly(1, 1);
  }

  @Test
  void parsesTheArpMonitorLines() {
    ProcBonding b = ProcBonding.parse(fixture("arpmon-1.txt"));
    assertThat(b.miimon()).isZero();
    assertThat(b.arpIntervalMs()).hasValue(200);
    assertThat(b.arpMissedMax()).hasValue(2);
    assertThat(b.arpIpTargets()).containsExactly(Ipv4Address.of("169.254.77.1"));
    assertThat(b.nsIpv6Targets()).isEmpty();
    assertThat(ProcBonding.parse(fixture("arpmon-4.txt")).activeSlave()).contains(n("veth4a"));
  }

  @Test
  void parsesABondWithoutActiveSlaveAndAFlappingSlave() {
    ProcBonding b = ProcBonding.parse(fixture("arpmon-flapping.txt"));
    assertThat(b.activeSlave()).isEmpty();
    assertThat(b.miiUp()).isFalse();
    assertThat(b.slaves()).singleElement().satisfies(s -> {
      assertThat(s.miiStatus()).isEqualTo(SlaveLinkState.GOING_BACK);
      assertThat(s.linkFailureCount()).isEqualTo(4);
    });
  }

  @Test
  void dummySlavesHaveUnknownSpeedAndDuplex() {
    ProcBonding b = ProcBonding.parse(fixture("dummy-1.txt"));
    assertThat(b.slaves()).allSatisfy(s -> {
      assertThat(s.speedMbps()).isEmpty();
      assertThat(s.duplex()).isEmpty();
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"proc-bond0.txt", "failover-1.txt", "failover-2.txt", "arpmon-1.txt", "arpmon-2.txt",
      "arpmon-3.txt", "arpmon-4.txt", "arpmon-flapping.txt", "dummy-1.txt", "dummy-2.txt", "sysfs-bond1.txt"})
  void everyRealCaptureRendersBackToTheSameText(String name) {
    String text = fixture(name);
    ProcBonding b = ProcBonding.parse(text);
    assertThat(b.render()).isEqualTo(text);
    assertThat(ProcBonding.parse(b.render())).isEqualTo(b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"proc-bond0.txt", "failover-1.txt", "arpmon-1.txt", "arpmon-flapping.txt", "dummy-2.txt"})
  void theBuilderPrintsWhatTheKernelPrints(String name) {
    ProcBonding real = ProcBonding.parse(fixture(name));
    ProcBonding.Builder b = ProcBonding.builder(real.driverVersion()).mode(real.mode())
        .primary(real.primarySlave(), real.primaryReselect().orElse(PrimaryReselect.ALWAYS))
        .activeSlave(real.activeSlave()).miiUp(real.miiUp()).miimon(real.miimon())
        .delays(real.updelayMs(), real.downdelayMs(), real.peerNotificationDelayMs().orElseThrow())
        .arp(real.arpIntervalMs().orElse(0), real.arpMissedMax().orElse(2), real.arpIpTargets());
    for (ProcBonding.Slave s : real.slaves()) {
      b.slave(s.name(), s.miiStatus(), s.speedMbps(), s.duplex(), s.linkFailureCount(), s.permanentMac().orElseThrow(),
          s.queueId().orElseThrow());
    }
    assertThat(b.build().render()).isEqualTo(real.render());
  }

  @Test
  void rendersThePrimaryAndFailOverMacTheKernelsWay() {
    ProcBonding b = ProcBonding.builder("v6.1.0").mode(BondMode.ACTIVE_BACKUP).failOverMac(FailOverMac.ACTIVE)
        .primary(Optional.of(n("eth1")), PrimaryReselect.FAILURE).activeSlave(Optional.of(n("eth1"))).miiUp(true)
        .miimon(100).delays(200, 100, 0).arp(0, 2, List.of())
        .slave(n("eth1"), SlaveLinkState.UP, OptionalInt.of(10000), Optional.of("full"), 0, MacAddress.of("00:17:a4:77:00:02"), 0)
        .build();
    assertThat(b.render()).contains("Bonding Mode: fault-tolerance (active-backup) (fail_over_mac active)\n")
        .contains("Primary Slave: eth1 (primary_reselect failure)\n").contains("Up Delay (ms): 200\n")
        .doesNotContain("ARP");
    ProcBonding back = ProcBonding.parse(b.render());
    assertThat(back.failOverMac()).contains(FailOverMac.ACTIVE);
    assertThat(back.primarySlave()).contains(n("eth1"));
    assertThat(back.primaryReselect()).contains(PrimaryReselect.FAILURE);
  }

  @Test
  void roundRobinHasNoPrimaryLines() {
    ProcBonding b = ProcBonding.builder("v6.1.0").mode(BondMode.BALANCE_RR).miiUp(false).build();
    assertThat(b.render()).doesNotContain("Primary Slave").doesNotContain("Currently Active Slave");
    assertThat(ProcBonding.parse(b.render()).usesPrimary()).isFalse();
  }

  @Test
  void keeps8023adLinesItDoesNotType() {
    // written by hand in the format of bond_procfs.c (Linux 6.1) for an 802.3ad bond, following the kernel source
    String text = """
        Ethernet Channel Bonding Driver: v6.1.0-56-amd64

        Bonding Mode: IEEE 802.3ad Dynamic link aggregation
        Transmit Hash Policy: layer2 (0)
        MII Status: up
        MII Polling Interval (ms): 100
        Up Delay (ms): 0
        Down Delay (ms): 0
        Peer Notification Delay (ms): 0

        802.3ad info
        LACP active: on
        LACP rate: slow
        Min links: 0
        Aggregator selection policy (ad_select): stable
        bond bond0 has no active aggregator

        Slave Interface: eth0
        MII Status: up
        Speed: 10000 Mbps
        Duplex: full
        Link Failure Count: 0
        Permanent HW addr: 00:17:a4:77:00:01
        Slave queue ID: 0
        Aggregator ID: N/A
        details actor lacp pdu:
            system priority: 65535
            port state: 61
        """;
    ProcBonding b = ProcBonding.parse(text);
    assertThat(b.mode()).isEqualTo(BondMode.IEEE_802_3AD);
    assertThat(b.field("Transmit Hash Policy")).contains("layer2 (0)");
    assertThat(b.field("LACP rate")).contains("slow");
    assertThat(b.slaves().get(0).fields()).contains(new ProcBonding.Field("    system priority", "65535"));
    assertThat(b.render()).isEqualTo(text);
  }

  @Test
  void badLinesAreReportedWithTheirNumber() {
    String good = fixture("proc-bond0.txt");
    assertThatThrownBy(() -> ProcBonding.parse("$ cat /proc/net/bonding/bond0\n" + good))
        .isInstanceOf(SysfsParseException.class).satisfies(e -> assertThat(((SysfsParseException) e).line()).isEqualTo(1));
    assertThatThrownBy(() -> ProcBonding.parse(good.replace("MII Polling Interval (ms): 100", "MII Polling Interval (ms): fast")))
        .isInstanceOf(SysfsParseException.class).hasMessageContaining("line 7")
        .hasMessageContaining("MII Polling Interval");
    assertThatThrownBy(() -> ProcBonding.parse(good.replace("Link Failure Count: 0\nPermanent HW addr: ca", "Link Failure Count: -1\nPermanent HW addr: ca")))
        .isInstanceOf(SysfsParseException.class).hasMessageContaining("line 24");
    assertThatThrownBy(() -> ProcBonding.parse(good.replace("Up Delay (ms): 0\n", "")))
        .isInstanceOf(SysfsParseException.class).hasMessageContaining("missing 'Up Delay (ms):'");
    assertThatThrownBy(() -> ProcBonding.parse(good.replace("MII Status: up\nMII Polling", "garbage\nMII Polling")))
        .isInstanceOf(SysfsParseException.class).hasMessageContaining("line 6").hasMessageContaining("garbage");
    assertThatThrownBy(() -> ProcBonding.parse(good.replace("Slave Interface: veth1a", "Slave Interface: bad name")))
        .isInstanceOf(SysfsParseException.class).hasMessageContaining("line 20");
    assertThatThrownBy(() -> ProcBonding.parse("")).isInstanceOf(SysfsParseException.class);
  }
}
