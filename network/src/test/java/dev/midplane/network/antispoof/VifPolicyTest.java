package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VifPolicyTest {
  private static final InterfaceName VIF = InterfaceName.xenVif(7, 0);

  @Test
  void refusesAddressesNoVmCanOwn() {
    assertThatThrownBy(() -> VifPolicy.of(VIF, MacAddress.of("01:00:5e:00:00:01"))).hasMessageContaining("unicast");
    assertThatThrownBy(() -> VifPolicy.of(VIF, MacAddress.fromBits(0))).hasMessageContaining("not zero");
    MacAddress mac = MacAddress.of("00:16:3e:00:00:07");
    assertThatThrownBy(() -> VifPolicy.of(VIF, mac, Ipv4Address.of("0.0.0.0"))).hasMessageContaining("dhcp(true)");
    assertThatThrownBy(() -> VifPolicy.of(VIF, mac, Ipv4Address.of("255.255.255.255"))).hasMessageContaining("broadcast");
    assertThatThrownBy(() -> VifPolicy.of(VIF, mac, Ipv4Address.of("224.0.0.1"))).hasMessageContaining("multicast");
  }

  @Test
  void dhcpIsOffUnlessAskedForAndAddressesAreKeptInOrder() {
    VifPolicy p = VifPolicy.of(VIF, MacAddress.of("00:16:3e:00:00:07"), Ipv4Address.of("192.0.2.20"),
        Ipv4Address.of("192.0.2.3"));
    assertThat(p.dhcp()).isFalse();
    assertThat(p.addresses()).containsExactly(Ipv4Address.of("192.0.2.3"), Ipv4Address.of("192.0.2.20"));
  }

  @Test
  void aMigratedVmKeepsItsPolicyUnderItsNewVifName() {
    VifPolicy p = VifPolicy.builder().vif(VIF).mac(MacAddress.of("00:16:3e:00:00:07"))
        .addAddresses(Ipv4Address.of("192.0.2.7")).dhcp(true).build();
    VifPolicy moved = p.onVif(InterfaceName.xenVif(12, 0));
    assertThat(moved.vif()).isEqualTo(InterfaceName.of("vif12.0"));
    assertThat(moved).isEqualTo(VifPolicy.builder().from(p).vif(InterfaceName.of("vif12.0")).build());
  }

  @Test
  void framesRefuseImpossibleCombinations() {
    Optional<InterfaceName> v = Optional.of(VIF);
    MacAddress m = MacAddress.of("00:16:3e:00:00:07");
    assertThatThrownBy(() -> Frame.other(v, v, m, m, Frame.IPV6)).hasMessageContaining("ingress port");
    assertThatThrownBy(() -> Frame.other(Optional.empty(), Optional.empty(), m, m, Frame.IPV6))
        .hasMessageContaining("enters or leaves by a port");
    assertThatThrownBy(() -> Frame.other(v, Optional.empty(), m, m, Frame.IPV4)).hasMessageContaining("IPv4 fields");
    assertThatThrownBy(() -> Frame.other(v, Optional.empty(), m, m, Frame.ARP)).hasMessageContaining("ARP fields");
  }
}
