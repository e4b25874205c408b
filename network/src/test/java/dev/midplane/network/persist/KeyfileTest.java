package dev.midplane.network.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.network.BondOptions;
import dev.midplane.core.ParseException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyfileTest {
  private static Keyfile fixture(String name) {
    return Keyfile.parse(name, Fixtures.text(KeyfileTest.class, name));
  }

  @Test
  void readsTheBladesKeyfiles() {
    InterfaceConfig bond = KeyfileFormat.read("bond0.nmconnection", fixture("bond0.nmconnection"));
    assertThat(bond).isEqualTo(InterfaceConfig.bond(InterfaceName.of("bond0"), BondOptions.builder()
        .mode(BondOptions.Mode.ACTIVE_BACKUP).miimon(100).primary(InterfaceName.of("eth0")).build(),
        Optional.of(InterfaceName.of("xenbr0"))));
    assertThat(KeyfileFormat.read("eth1.nmconnection", fixture("eth1.nmconnection")))
        .as("the newer controller/port-type spelling").isEqualTo(InterfaceConfig.bondSlave(InterfaceName.of("eth1"),
            InterfaceName.of("bond0")));
    InterfaceConfig br = KeyfileFormat.read("xenbr0.nmconnection", fixture("xenbr0.nmconnection"));
    assertThat(br).isEqualTo(InterfaceConfig.bridge(InterfaceName.of("xenbr0"), false, Optional.of(
        new InterfaceConfig.Ipv4(Ipv4Address.of("192.0.2.10"), 24, Optional.of(Ipv4Address.of("192.0.2.1"))))));
    assertThat(KeyfileFormat.read("bond0.100.nmconnection", fixture("bond0.100.nmconnection")))
        .isEqualTo(InterfaceConfig.vlan(InterfaceName.of("bond0"), 100, Optional.of(InterfaceName.of("xenbr100"))));
  }

  @Test
  void keepsGroupsKeysAndCommentsItDoesNotManage() {
    Keyfile k = fixture("eth1.nmconnection").with("connection", "autoconnect", "false");
    String text = k.render();
    assertThat(text).startsWith("# port of bond0 on midplane B\n[connection]\n");
    assertThat(text).contains("autoconnect=false\n", "[ethernet]\nmac-address=00:1A:64:7E:10:21\n");
    assertThat(fixture("bond0.nmconnection").groups()).containsExactly("connection", "bond", "ipv4", "ipv6", "proxy");
  }

  @Test
  void escapesFollowGlib() {
    Keyfile k = Keyfile.empty().with("g", "a", " lead and\ttab\nnew\\line");
    assertThat(k.render()).isEqualTo("[g]\na=\\slead and\\ttab\\nnew\\\\line\n");
    assertThat(Keyfile.parse("x", k.render()).get("g", "a")).contains(" lead and\ttab\nnew\\line");
  }

  @Test
  void rejectsWhatGlibRejectsAndSaysWhere() {
    assertThatThrownBy(() -> Keyfile.parse("x.nmconnection", "id=x\n[connection]\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 1").hasMessageContaining("before the first [group]");
    assertThatThrownBy(() -> Keyfile.parse("x", "[connection\n")).hasMessageContaining("[name]");
    assertThatThrownBy(() -> Keyfile.parse("x", "[c]\njust words\n")).hasMessageContaining("line 2");
    assertThatThrownBy(() -> Keyfile.parse("x", "[c]\na=b\\q\n")).hasMessageContaining("unknown escape \\q");
  }

  @Test
  void aRepeatedKeyCountsOnceWithAWarning() {
    Keyfile k = Keyfile.parse("x", "[c]\na=1\na=2\n");
    assertThat(k.get("c", "a")).contains("2");
    assertThat(k.warnings()).singleElement().satisfies(w -> assertThat(w).contains("line 3"));
  }
}
