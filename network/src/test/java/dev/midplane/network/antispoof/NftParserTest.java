package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.Ipv4Network;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.core.ParseException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NftParserTest {
  private static Ruleset live() {
    return Nft.parseJson(Fixtures.text(NftParserTest.class, "nft-list-ruleset.json"));
  }

  private static VifPolicy vif1() {
    return VifPolicy.builder().vif(InterfaceName.of("vif1.0")).mac(MacAddress.of("00:16:3e:00:00:01"))
        .addAddresses(Ipv4Address.of("192.0.2.11"), Ipv4Address.of("192.0.2.21")).dhcp(true).build();
  }

  private static VifPolicy vif2() {
    return VifPolicy.of(InterfaceName.of("vif2.0"), MacAddress.of("00:16:3e:00:00:02"), Ipv4Address.of("192.0.2.12"));
  }

  @Test
  void readsTheRealRulesetWithBothTables() {
    Ruleset r = live();
    assertThat(r.tables()).extracting(Table::name).containsExactly("filter", "midplane");
    Table t = r.table("bridge", "midplane").orElseThrow();
    assertThat(t.verdictMaps().get("vif-in")).containsEntry("vif1.0", new Action.Jump("midplane-vif1.0-in"))
        .containsEntry("vif2.0", new Action.Jump("midplane-vif2.0-in"));
    Chain fwd = t.chain("forward").orElseThrow();
    assertThat(fwd.hook()).contains(Hook.FORWARD);
    assertThat(fwd.priority()).isEqualTo(-210);
    assertThat(fwd.rules()).extracting(Rule::action).containsExactly(
        new Action.MapLookup(Match.Direction.IN, "vif-in"), new Action.MapLookup(Match.Direction.OUT, "vif-out"));
    Chain in = t.chain("midplane-vif1.0-in").orElseThrow();
    Rule ip = in.rules().get(1);
    assertThat(ip.matches()).containsExactlyInAnyOrder(new Match.EtherProto(Frame.IPV4, false),
        new Match.Ip(Match.Field.SOURCE, List.of(Ipv4Network.of("192.0.2.11"), Ipv4Network.of("192.0.2.21")), false));
    assertThat(ip.counters()).contains(new Rule.Counters(2, 168));
    Rule dhcp = in.rules().get(2);
    assertThat(dhcp.matches()).contains(new Match.Port(Match.Field.SOURCE, 68, 68, OptionalInt.of(Frame.UDP), false, false));
    assertThat(in.rules().get(5).counters()).contains(new Rule.Counters(15, 1068));
    // ebtables-nft's own table is there too, with its xt matches kept as opaque conditions.
    Chain ebIn = r.table("bridge", "filter").orElseThrow().chain("midplane-vif1.0-in").orElseThrow();
    assertThat(ebIn.rules()).anySatisfy(rule -> assertThat(rule.matches()).hasAtLeastOneElementOfType(Match.Opaque.class));
  }

  @Test
  void theRenderedScriptMeansWhatTheKernelListsBack() {
    // The same script the fixture was captured after, interpreted by the model of nft -f, must
    // give the chains and maps the kernel printed as JSON.
    FilterBackend b = new NftBackend();
    Ruleset modelled = b.simulate(Ruleset.EMPTY, b.lockScript(List.of(vif1(), vif2()), Ruleset.EMPTY));
    Table expected = modelled.table("bridge", "midplane").orElseThrow();
    Table real = live().table("bridge", "midplane").orElseThrow();
    assertThat(real.verdictMaps()).isEqualTo(expected.verdictMaps());
    for (Chain c : expected.chains()) {
      Chain rc = real.chain(c.name()).orElseThrow();
      assertThat(rc.rules()).as(c.name()).isEqualTo(c.rules());
      assertThat(rc.hook()).isEqualTo(c.hook());
      assertThat(rc.priority()).isEqualTo(c.priority());
      assertThat(rc.policy()).isEqualTo(c.policy());
    }
    assertThat(real.chains()).extracting(Chain::name).containsExactlyInAnyOrderElementsOf(
        expected.chains().stream().map(Chain::name).toList());
  }

  @Test
  void theRenderedEbtablesScriptMeansWhatEbtablesSaveListsBack() {
    FilterBackend b = new EbtablesBackend();
    Ruleset admin = Ebtables.restoreNoflush(Ruleset.EMPTY, "*filter\n-A FORWARD -p ARP -i eth9 -j ACCEPT\nCOMMIT\n");
    Ruleset modelled = b.simulate(admin, b.lockScript(List.of(vif1(), vif2()), admin));
    Ruleset real = Ebtables.parseSave(Fixtures.text(NftParserTest.class, "ebtables-save-c.txt"));
    assertThat(real).isEqualTo(modelled);
  }

  @Test
  void badJsonIsAnErrorThatSaysWhere() {
    assertThatThrownBy(() -> Nft.parseJson("{\"nftables\": [ {\"table\": ")).isInstanceOf(ParseException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> Nft.parseJson("{\"other\": []}")).isInstanceOf(ParseException.class)
        .hasMessageContaining("no \"nftables\" array");
    String orphan = "{\"nftables\":[{\"rule\":{\"family\":\"bridge\",\"table\":\"t\",\"chain\":\"c\",\"expr\":[]}}]}";
    assertThatThrownBy(() -> Nft.parseJson(orphan)).isInstanceOf(ParseException.class)
        .hasMessageContaining("object 1").hasMessageContaining("undeclared chain c");
  }

  @Test
  void otherFamiliesAreLeftOut() {
    String json = "{\"nftables\":[{\"table\":{\"family\":\"inet\",\"name\":\"fw\"}},"
        + "{\"chain\":{\"family\":\"inet\",\"table\":\"fw\",\"name\":\"in\",\"hook\":\"input\",\"prio\":0,\"policy\":\"drop\"}}]}";
    assertThat(Nft.parseJson(json).tables()).isEmpty();
  }

  @Test
  void scriptModelRefusesWhatNftRefuses() {
    Ruleset base = Nft.applyScript(Ruleset.EMPTY, """
        add table bridge t
        add map bridge t m { type ifname : verdict; }
        add chain bridge t c
        add rule bridge t c counter drop
        add element bridge t m { "vif1.0" : jump c }
        """);
    assertThatThrownBy(() -> Nft.applyScript(base, "delete element bridge t m { \"vif9.0\" }\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 1").hasMessageContaining("no element");
    assertThatThrownBy(() -> Nft.applyScript(base, "delete element bridge t m { \"vif1.0\" }\ndelete chain bridge t c\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 2").hasMessageContaining("still has rules");
    assertThatThrownBy(() -> Nft.applyScript(base, "flush chain bridge t c\ndelete chain bridge t c\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("verdict map");
    assertThatThrownBy(() -> Nft.applyScript(base, "add rule bridge t c jump nowhere\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("missing chain nowhere");
    assertThatThrownBy(() -> Nft.applyScript(base, "add rule bridge t c meta mark 3 drop\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("unsupported expression 'meta'");
    Ruleset gone = Nft.applyScript(base, "delete element bridge t m { \"vif1.0\" }\nflush chain bridge t c\ndelete chain bridge t c\n");
    assertThat(gone.table("bridge", "t").orElseThrow().chains()).isEmpty();
  }
}
