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

class IfcfgFileTest {
  private static IfcfgFile fixture(String name) {
    return IfcfgFile.parse(name, Fixtures.text(IfcfgFileTest.class, name));
  }

  @Test
  void readsQuotesCommentsExportAndAnsiC() {
    IfcfgFile eth0 = fixture("ifcfg-eth0");
    assertThat(eth0.get("HWADDR")).contains("00:1a:64:7e:10:20");
    assertThat(eth0.get("UUID")).contains("5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03");
    IfcfgFile br = fixture("ifcfg-xenbr0");
    assertThat(br.get("DEVICE")).contains("xenbr0");
    assertThat(br.get("NAME")).contains("Xen bridge 0 (management)");
    assertThat(br.get("ETHTOOL_OPTS")).contains("-K xenbr0 tso off");
    assertThat(br.warnings()).isEmpty();
  }

  @Test
  void acceptsSpacesAroundTheEqualsSignWithAWarningAndATrailingComment() {
    IfcfgFile bond = fixture("ifcfg-bond0");
    assertThat(bond.get("TYPE")).contains("Bond");
    assertThat(bond.warnings()).singleElement().satisfies(w -> assertThat(w).contains("line 2").contains("TYPE"));
    assertThat(bond.get("BONDING_OPTS")).contains("mode=active-backup miimon=100 updelay=200 primary=eth0");
  }

  @Test
  void theFilesDescribeTheBladesDevices() {
    assertThat(IfcfgFormat.read("ifcfg-eth0", fixture("ifcfg-eth0")))
        .isEqualTo(InterfaceConfig.bondSlave(InterfaceName.of("eth0"), InterfaceName.of("bond0")));
    InterfaceConfig bond = IfcfgFormat.read("ifcfg-bond0", fixture("ifcfg-bond0"));
    assertThat(bond.bond()).contains(BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).miimon(100).updelay(200)
        .primary(InterfaceName.of("eth0")).build());
    assertThat(bond.bridge()).contains(InterfaceName.of("xenbr0"));
    InterfaceConfig br = IfcfgFormat.read("ifcfg-xenbr0", fixture("ifcfg-xenbr0"));
    assertThat(br.kind()).isEqualTo(InterfaceConfig.Kind.BRIDGE);
    assertThat(br.stp()).contains(false);
    assertThat(br.ipv4()).contains(new InterfaceConfig.Ipv4(Ipv4Address.of("192.0.2.10"), 24,
        Optional.of(Ipv4Address.of("192.0.2.1"))));
    assertThat(IfcfgFormat.read("ifcfg-bond0.100", fixture("ifcfg-bond0.100")))
        .isEqualTo(InterfaceConfig.vlan(InterfaceName.of("bond0"), 100, Optional.of(InterfaceName.of("xenbr100"))));
  }

  @Test
  void rewritingKeepsCommentsAndForeignKeys() {
    IfcfgFile eth0 = fixture("ifcfg-eth0");
    IfcfgFile moved = IfcfgFormat.render(InterfaceConfig.bondSlave(InterfaceName.of("eth0"), InterfaceName.of("bond1")),
        eth0, false);
    String text = moved.render();
    assertThat(text).startsWith("# Slave of bond0 on the first midplane.\n");
    assertThat(text).contains("HWADDR=00:1a:64:7e:10:20\n", "UUID=5fb06bd0-0bb0-7ffb-45f1-d6edd65f3e03\n",
        "MASTER=bond1\n");
    assertThat(IfcfgFile.parse("x", text).values()).containsEntry("SLAVE", "yes").doesNotContainValue("bond0");
  }

  @Test
  void rejectsWhatCannotBeReadAsAValueAndSaysWhere() {
    assertThatThrownBy(() -> IfcfgFile.parse("ifcfg-x", "DEVICE=eth0\nIPADDR=$ADDR\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("ifcfg-x, line 2, column 8").hasMessageContaining("expansion")
        .hasMessageContaining("2 | IPADDR=$ADDR");
    assertThatThrownBy(() -> IfcfgFile.parse("ifcfg-x", "A=1\nBONDING_OPTS=\"mode=1 miimon=100\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 2, column 14: unterminated double quote");
    assertThatThrownBy(() -> IfcfgFile.parse("ifcfg-x", "A=\"$(reboot)\"\n")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> IfcfgFile.parse("ifcfg-x", "A=`id`\n")).hasMessageContaining("backquotes");
    assertThatThrownBy(() -> IfcfgFile.parse("ifcfg-x", "A=1\nB=two words\n")).hasMessageContaining("line 2")
        .hasMessageContaining("several words");
    assertThatThrownBy(() -> IfcfgFile.parse("ifcfg-x", "A=1\n\nB='open\nstill\n")).hasMessageContaining("line 3")
        .hasMessageContaining("unterminated single quote");
    assertThatThrownBy(() -> IfcfgFile.parse("ifcfg-x", "ifup eth0\n")).hasMessageContaining("not an assignment");
    assertThatThrownBy(() -> IfcfgFile.parse("ifcfg-x", "if [ -x /x ]; then A=1; fi\n")).hasMessageContaining("line 1");
  }

  @Test
  void quotedValuesMaySpanLinesAndConcatenate() {
    IfcfgFile f = IfcfgFile.parse("x", "A=\"one\ntwo\"\nB='x'\"y\"z\\ w\nC=a#b\nD= # empty\n");
    assertThat(f.get("A")).contains("one\ntwo");
    assertThat(f.get("B")).contains("xyz w");
    assertThat(f.get("C")).contains("a#b");
    assertThat(f.get("D")).contains("");
  }

  @Test
  void valuesAreQuotedOnlyAsMuchAsNeeded() {
    IfcfgFile f = IfcfgFile.empty().with("A", "mode=1").with("B", "mode=1 miimon=100").with("C", "it's $5")
        .with("D", "line\nbreak").with("E", "");
    assertThat(f.render()).isEqualTo("A=mode=1\nB=\"mode=1 miimon=100\"\nC=\"it's \\$5\"\nD=$'line\\nbreak'\nE=\"\"\n");
  }
}
