package dev.midplane.network;

import dev.midplane.core.ParseException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.Fixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpJsonTest {
  private static String fixture(String name) {
    return Fixtures.text(IpJsonTest.class, name);
  }

  @Test
  void readsARealBondWithItsOptions() {
    Link bond = IpJson.links(fixture("ip-bond0.json")).get(0);
    assertThat(bond.name()).isEqualTo(InterfaceName.of("bond0"));
    assertThat(bond.kind()).contains("bond");
    assertThat(bond.isUp()).isTrue();
    assertThat(bond.hasCarrier()).isTrue();
    assertThat(bond.address()).contains(MacAddress.of("f2:16:5b:c9:27:34"));
    Link.BondInfo b = bond.bond().orElseThrow();
    assertThat(b.mode()).isEqualTo("active-backup");
    assertThat(b.activeSlave()).contains(InterfaceName.of("veth0a"));
    assertThat(b.miimon()).isEqualTo(100);
    assertThat(b.arpInterval()).isZero();
    assertThat(b.arpIpTargets()).isEmpty();
    assertThat(b.arpValidate()).as("iproute2 prints null for none").isEqualTo("none");
    assertThat(b.failOverMac()).isEqualTo("none");
    assertThat(b.options()).containsEntry("xmit_hash_policy", "layer2").containsEntry("primary_reselect", "always");
  }

  @Test
  void readsARealBondSlave() {
    Link slave = IpJson.links(fixture("ip-bond-slave.json")).get(0);
    assertThat(slave.kind()).contains("veth");
    assertThat(slave.master()).contains(InterfaceName.of("bond0"));
    assertThat(slave.lower()).contains(InterfaceName.of("veth0b"));
    assertThat(slave.slaveKind()).contains("bond");
    assertThat(slave.bondSlave()).contains(new Link.BondSlaveInfo("ACTIVE", "UP", 0,
        Optional.of(MacAddress.of("f2:16:5b:c9:27:34"))));
  }

  @Test
  void readsARealVlan() {
    Link vlan = IpJson.links(fixture("ip-vlan.json")).get(0);
    assertThat(vlan.vlan()).contains(new Link.VlanInfo("802.1Q", 100));
    assertThat(vlan.lower()).contains(InterfaceName.of("bond0"));
  }

  @Test
  void readsTheBriefListingOfFourBonds() {
    List<Link> bonds = IpJson.links(fixture("ip-bonds-brief.json"));
    assertThat(bonds).extracting(l -> l.name().value()).containsExactly("bond0", "bondd", "bond1", "bond2");
    assertThat(bonds.get(2).hasCarrier()).as("bond1 had NO-CARRIER").isFalse();
    assertThat(bonds).allMatch(l -> l.kind().isEmpty(), "without -d there is no linkinfo");
  }

  @Test
  void readsBridgesPortsAndAddressesFromOneAddrListing() {
    LiveState s = LiveState.fromIp(fixture("ip-addr-bridges.json"));
    assertThat(s.bridges()).extracting(b -> b.name().value()).containsExactly("xenbr0", "xenbr1", "br-empty");
    BridgeStatus xenbr0 = s.bridge(InterfaceName.of("xenbr0")).orElseThrow();
    assertThat(xenbr0.ports()).containsExactly(InterfaceName.of("eth0"), InterfaceName.of("vif3.0"));
    assertThat(xenbr0.stp()).isFalse();
    assertThat(xenbr0.bridgeId()).isEqualTo("8000.8a6e1a692fcc");
    assertThat(s.bridge(InterfaceName.of("xenbr1")).orElseThrow().stp()).isTrue();
    assertThat(s.link(InterfaceName.of("xenbr0")).orElseThrow().bridge().orElseThrow().forwardDelayCs()).isZero();
    assertThat(s.link(InterfaceName.of("vif3.0")).orElseThrow().bridgePort()).isPresent();
    assertThat(s.globalAddresses(InterfaceName.of("xenbr0"))).extracting(IfAddress::toString).containsExactly("192.0.2.10/24");
    assertThat(IpJson.withGlobalAddress(s.addresses())).containsExactly(InterfaceName.of("xenbr0"));
  }

  @Test
  void ipAndBrctlDescribeTheSameBridgesTheSameWay() {
    List<BridgeStatus> ip = LiveState.fromIp(fixture("ip-addr-bridges.json")).bridges();
    List<BridgeStatus> brctl = Brctl.parseShow(fixture("brctl-show.txt"));
    assertThat(brctl).containsExactlyInAnyOrderElementsOf(ip);
  }

  @Test
  void readsBridgePortsAndTheirStpStates() {
    assertThat(IpJson.bridgePorts(fixture("bridge-link.json"))).containsExactly(
        new IpJson.BridgePort(InterfaceName.of("eth0"), InterfaceName.of("xenbr0"), "forwarding"),
        new IpJson.BridgePort(InterfaceName.of("vif3.0"), InterfaceName.of("xenbr0"), "disabled"));
    assertThatThrownBy(() -> IpJson.bridgePorts("[{\"ifname\":\"eth0\"}]")).isInstanceOf(ParseException.class)
        .hasMessageContaining("entry 1");
  }

  @Test
  void brokenInputIsAnErrorThatSaysWhat() {
    assertThatThrownBy(() -> IpJson.links("[{\"ifname\": \"eth0\"")).isInstanceOf(ParseException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> IpJson.links("{}")).isInstanceOf(ParseException.class).hasMessageContaining("JSON array");
    assertThatThrownBy(() -> IpJson.links("[{\"ifindex\": 3, \"ifname\": \"bad name\"}]"))
        .isInstanceOf(ParseException.class).hasMessageContaining("device 1");
    assertThatThrownBy(() -> IpJson.links("[{\"ifname\": \"eth0\"}]")).isInstanceOf(ParseException.class)
        .hasMessageContaining("no ifname or ifindex");
  }

  @Test
  void brctlPrintsNothingAtAllWhenThereAreNoBridges() {
    // bridge-utils 1.7.1 in an empty namespace: no header, no output.
    assertThat(Brctl.parseShow("")).isEmpty();
  }

  @Test
  void brctlOutputThatIsNotBrctlsIsRefused() {
    assertThatThrownBy(() -> Brctl.parseShow("br0 8000.1 no\n")).isInstanceOf(ParseException.class)
        .hasMessageContaining("line 1").hasMessageContaining("header");
    assertThatThrownBy(() -> Brctl.parseShow("bridge name\tbridge id\tSTP enabled\tinterfaces\nbr0\t8000.1\tmaybe\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 2");
    assertThatThrownBy(() -> Brctl.parseShow("bridge name\tbridge id\tSTP enabled\tinterfaces\n\t\t\teth0\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("continuation");
  }
}
