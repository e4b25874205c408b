package dev.midplane.xen.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VifSpecTest {
  @Test
  void readsTheRealVifSpec() {
    VifSpec v = VifSpec.parse("mac=00:16:3e:00:00:02, bridge=xenbr0");
    assertThat(v.mac()).contains(MacAddress.of("00:16:3e:00:00:02"));
    assertThat(v.bridge()).contains(InterfaceName.of("xenbr0"));
    assertThat(v.toArguments()).containsExactly("mac=00:16:3e:00:00:02", "bridge=xenbr0");
    assertThat(v.toString()).isEqualTo("mac=00:16:3e:00:00:02, bridge=xenbr0");
  }

  @Test
  void readsEveryModelledKeyAndKeepsTheOthersInOrder() {
    VifSpec v = VifSpec.parse("bridge=xenbr1,mac=00:16:3E:2A:5B:01,ip=192.0.2.21  192.0.2.22,vifname=web01-eth0,"
        + "script=vif-bridge,type=vif,model=e1000,rate=10Mb/s,backend=netdom,");
    assertThat(v.mac()).contains(MacAddress.of("00:16:3e:2a:5b:01"));
    assertThat(v.ips()).containsExactly(Ipv4Address.of("192.0.2.21"), Ipv4Address.of("192.0.2.22"));
    assertThat(v.vifname()).contains(InterfaceName.of("web01-eth0"));
    assertThat(v.script()).contains("vif-bridge");
    assertThat(v.type()).contains("vif");
    assertThat(v.model()).contains("e1000");
    assertThat(v.extras()).containsExactly(java.util.Map.entry("rate", "10Mb/s"), java.util.Map.entry("backend", "netdom"));
    assertThat(v.toArguments()).containsExactly("mac=00:16:3e:2a:5b:01", "bridge=xenbr1", "ip=192.0.2.21 192.0.2.22",
        "vifname=web01-eth0", "script=vif-bridge", "type=vif", "model=e1000", "rate=10Mb/s", "backend=netdom");
    assertThat(VifSpec.parse(v.toString())).isEqualTo(v);
  }

  @Test
  void anEmptySpecIsTheDefaultInterface() {
    VifSpec v = VifSpec.parse("");
    assertThat(v.mac()).isEmpty();
    assertThat(v.toArguments()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "bridge=xenbr0;reboot",
      "bridge=$(id)",
      "mac=00:16:3e:00:00",
      "ip=192.0.2.300",
      "ip=2001:db8::1",
      "vifname=-evil",
      "bridge",
      "mac=00:16:3e:00:00:01, mac=00:16:3e:00:00:02",
      "script=a b"
  })
  void refusesHostileOrBrokenSpecs(String spec) {
    assertThatThrownBy(() -> VifSpec.parse(spec)).isInstanceOf(IllegalArgumentException.class);
  }
}
