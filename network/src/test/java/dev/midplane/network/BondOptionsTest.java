package dev.midplane.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class BondOptionsTest {
  @Test
  void rendersForIpAndForIfcfg() {
    BondOptions o = BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).arpInterval(1000)
        .addArpIpTargets(Ipv4Address.of("192.0.2.1"), Ipv4Address.of("192.0.2.2")).arpValidate("all")
        .primary(InterfaceName.of("eth0")).failOverMac("active").build();
    assertThat(o.bondingOpts()).isEqualTo(
        "mode=active-backup arp_interval=1000 arp_ip_target=192.0.2.1,192.0.2.2 arp_validate=all primary=eth0 fail_over_mac=active");
    assertThat(o.ipArguments()).containsExactly("mode", "active-backup", "arp_interval", "1000", "arp_ip_target",
        "192.0.2.1,192.0.2.2", "arp_validate", "all", "primary", "eth0", "fail_over_mac", "active");
  }

  @Test
  void readsWhatRealIfcfgFilesWrite() {
    assertThat(BondOptions.parse("mode=1 miimon=100")).isEqualTo(BondOptions.activeBackup(100));
    BondOptions arp = BondOptions.parse(" mode=active-backup arp_interval=1000 arp_ip_target=+192.0.2.1,+192.0.2.2 ");
    assertThat(arp.arpIpTargets()).containsExactly(Ipv4Address.of("192.0.2.1"), Ipv4Address.of("192.0.2.2"));
    assertThat(BondOptions.parse("miimon=100").mode()).isEqualTo(BondOptions.Mode.BALANCE_RR);
    assertThat(BondOptions.parse("mode=802.3ad lacp_rate=fast xmit_hash_policy=layer3+4").extra())
        .containsEntry("lacp_rate", "fast").containsEntry("xmit_hash_policy", "layer3+4");
  }

  @Test
  void refusesWhatTheKernelWouldRefuseOrSilentlyIgnore() {
    assertThatThrownBy(() -> BondOptions.parse("mode=active-backup miimon=100 arp_interval=1000 arp_ip_target=192.0.2.1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclude each other");
    assertThatThrownBy(() -> BondOptions.parse("mode=active-backup arp_interval=1000"))
        .hasMessageContaining("at least one arp_ip_target");
    assertThatThrownBy(() -> BondOptions.parse("mode=7")).hasMessageContaining("unknown bonding mode");
    assertThatThrownBy(() -> BondOptions.parse("mode=active-backup miimon")).hasMessageContaining("not key=value");
    assertThatThrownBy(() -> BondOptions.parse("mode=1 miimon=fast")).hasMessageContaining("miimon needs a number");
    assertThatThrownBy(() -> BondOptions.parse("mode=1 arp_validate=sometimes")).hasMessageContaining("arp_validate");
    assertThatThrownBy(() -> BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).putExtra("x;rm", "1").build())
        .hasMessageContaining("not a plain sysfs option");
  }

  @Provide
  Arbitrary<BondOptions> options() {
    Arbitrary<Integer> ms = Arbitraries.integers().between(0, 5000);
    Arbitrary<List<Ipv4Address>> targets = Arbitraries.integers().between(1, 254)
        .map(i -> Ipv4Address.of("192.0.2." + i)).list().uniqueElements().ofMinSize(1).ofMaxSize(16);
    Arbitrary<Integer> ticks = Arbitraries.integers().between(0, 20);
    // the kernel keeps the delays in units of miimon: only multiples of it read back the same
    Arbitrary<BondOptions> mii = Combinators.combine(Arbitraries.of(BondOptions.Mode.class), ms, ticks, ticks,
        Arbitraries.of("none", "active", "follow"))
        .as((m, mon, up, down, fom) -> BondOptions.builder().mode(m).miimon(mon).updelay(up * mon).downdelay(down * mon)
            .failOverMac(fom).build());
    Arbitrary<BondOptions> arp = Combinators.combine(ms.filter(i -> i > 0), targets,
        Arbitraries.of("none", "active", "backup", "all", "filter"), Arbitraries.of("eth0", "eth1", "ens3f0"))
        .as((iv, t, val, prim) -> BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).arpInterval(iv)
            .arpIpTargets(t).arpValidate(val).primary(InterfaceName.of(prim)).putExtra("num_grat_arp", "3").build());
    return Arbitraries.oneOf(mii, arp);
  }

  @Property
  void bondingOptsReadBackAsTheSameOptions(@ForAll("options") BondOptions o) {
    assertThat(BondOptions.parse(o.bondingOpts())).isEqualTo(o);
  }
}
