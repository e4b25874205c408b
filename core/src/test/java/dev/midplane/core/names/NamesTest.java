package dev.midplane.core.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.InvalidNameException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"eth0", "bond0", "xenbr1", "vif12.0", "bond0.100", "enp0s31f6", "_x", "veth-a", "abcdefghijklmno"})
  void realInterfaceNames(String n) {
    assertThat(InterfaceName.of(n).value()).isEqualTo(n);
  }

  @Test
  void interfaceNameRulesAreNamed() {
    assertThatThrownBy(() -> InterfaceName.of("abcdefghijklmnop"))
        .isInstanceOf(InvalidNameException.class)
        .hasMessage("invalid interface name \"abcdefghijklmnop\": length must be 1–15 characters, was 16");
    assertThatThrownBy(() -> InterfaceName.of("eth0:1")).hasMessageContaining("found ':' at position 4");
    assertThatThrownBy(() -> InterfaceName.of("-bond0")).hasMessageContaining("leading '-' would read as an option");
    assertThatThrownBy(() -> InterfaceName.of("et\0h")).hasMessageContaining("\\0").hasMessageContaining("NUL");
    assertThat(InterfaceName.xenVif(3, 0)).isEqualTo(InterfaceName.of("vif3.0"));
  }

  @Test
  void wwidFromSysfsFollowsScsiId() {
    assertThat(Wwid.fromSysfs("naa.600A0B800026B2820000004D4D2F6B4B\n").value()).isEqualTo("3600a0b800026b2820000004d4d2f6b4b");
    assertThat(Wwid.fromSysfs("naa.33333330000007d0").value()).isEqualTo("333333330000007d0");
    assertThat(Wwid.fromSysfs("eui.0025385971b12345").value()).isEqualTo("20025385971b12345");
    assertThat(Wwid.fromSysfs("t10.ATA     QEMU HARDDISK                           QM00001 ").value())
        .isEqualTo("1ATA_QEMU_HARDDISK_QM00001");
    assertThat(Wwid.of("1Linux_scsi_debug_2000").dmUuid()).isEqualTo("mpath-1Linux_scsi_debug_2000");
    assertThat(Wwid.of("SATA QEMU HARDDISK QM00001").value()).contains(" ");
    assertThatThrownBy(() -> Wwid.of("3600a0b8 ")).hasMessageContaining("must not end with a space");
  }

  @Test
  void macAddressKinds() {
    assertThat(MacAddress.of("FF:FF:FF:FF:FF:FF").isBroadcast()).isTrue();
    assertThat(MacAddress.of("ff:ff:ff:ff:ff:ff").isMulticast()).isTrue();
    assertThat(MacAddress.of("01:00:5e:00:00:01").isMulticast()).isTrue();
    assertThat(MacAddress.of("00:16:3e:00:00:01").isUnicast()).isTrue();
    assertThat(MacAddress.of("02:00:00:00:00:01").isLocallyAdministered()).isTrue();
    assertThat(MacAddress.of("0:16:3e:a:b:c")).hasToString("00:16:3e:0a:0b:0c");
    assertThat(MacAddress.of("0016.3e0a.0b0c")).hasToString("00:16:3e:0a:0b:0c");
    assertThatThrownBy(() -> MacAddress.of("00:16:3e:0a:0b")).hasMessageContaining("6 octets");
    assertThatThrownBy(() -> MacAddress.of("00:16:3e:0a:0b:0g")).hasMessageContaining("not a hex digit");
    MacAddress r = MacAddress.randomXen(new Random(1));
    assertThat(r.toString()).startsWith("00:16:3e:");
    assertThat(r.isUnicast()).isTrue();
  }

  @Test
  void ipv4IsStrict() {
    assertThatThrownBy(() -> Ipv4Address.of("192.0.2.010")).hasMessageContaining("leading zero");
    assertThatThrownBy(() -> Ipv4Address.of("10.1")).hasMessageContaining("four decimal octets");
    assertThatThrownBy(() -> Ipv4Address.of("192.0.2.256")).hasMessageContaining("0–255");
    assertThatThrownBy(() -> Ipv4Network.of("192.0.2.1/24")).hasMessageContaining("the network is 192.0.2.0/24");
    Ipv4Network n = Ipv4Network.of("192.0.2.0/24");
    assertThat(n.contains(Ipv4Address.of("192.0.2.77"))).isTrue();
    assertThat(n.contains(Ipv4Address.of("192.0.3.1"))).isFalse();
    assertThat(Ipv4Network.of("192.0.2.7")).hasToString("192.0.2.7/32");
    assertThat(Ipv4Network.of("0.0.0.0/0").contains(Ipv4Address.of("255.1.2.3"))).isTrue();
  }

  @Test
  void domainNamesAreNotDomainIds() {
    assertThatThrownBy(() -> DomainName.of("17")).hasMessageContaining("domain id");
    assertThat(DomainName.of("Domain-0").isDomain0()).isTrue();
    assertThatThrownBy(() -> DomainName.of("(null)")).isInstanceOf(InvalidNameException.class);
  }

  @Test
  void generatedMultipathNamesAreRecognised() {
    assertThat(MultipathAlias.of("mpatha").looksGenerated()).isTrue();
    assertThat(MultipathAlias.of("mpath12").looksGenerated()).isTrue();
    assertThat(MultipathAlias.of("mpath-web").looksGenerated()).isFalse();
    assertThat(MultipathAlias.of("vm-web01").looksGenerated()).isFalse();
  }

  @Test
  void hostNamesCompareWithoutCase() {
    assertThat(HostName.of("Blade07.Rack2")).isEqualTo(HostName.of("blade07.rack2"));
    assertThat(HostName.of("blade07.rack2").shortName()).isEqualTo("blade07");
    assertThatThrownBy(() -> HostName.of("blade_07")).hasMessageContaining("'_'");
    assertThatThrownBy(() -> HostName.of("a..b")).hasMessageContaining("empty label");
  }

  @Test
  void hctlOrderIsNumeric() {
    assertThat(Hctl.of("10:0:0:0")).isGreaterThan(Hctl.of("9:0:0:0"));
    assertThat(Hctl.of("[1:0:0:2]")).isEqualTo(Hctl.of(1, 0, 0, 2));
    assertThatThrownBy(() -> Hctl.of("1:0:0")).hasMessageContaining("four numbers");
  }
}
