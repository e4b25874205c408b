package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.Fixtures;
import dev.midplane.core.ParseException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EbtablesParserTest {
  private static String fixture(String name) {
    return Fixtures.text(EbtablesParserTest.class, name);
  }

  private static Table filter(Ruleset r) {
    return r.table("bridge", "filter").orElseThrow();
  }

  @Test
  void readsTheSaveOutputOfARealLockWithCounters() {
    Ruleset r = Ebtables.parseSave(fixture("ebtables-save-c.txt"));
    Table t = filter(r);
    assertThat(t.chains()).extracting(Chain::name).containsExactly("INPUT", "FORWARD", "OUTPUT",
        "midplane-vif1.0-in", "midplane-vif1.0-out", "midplane-vif2.0-in", "midplane-vif2.0-out");
    Chain forward = t.chain("FORWARD").orElseThrow();
    assertThat(forward.hook()).contains(Hook.FORWARD);
    assertThat(forward.priority()).isEqualTo(-200);
    assertThat(forward.rules()).hasSize(5);
    assertThat(forward.rules().get(0).action()).isEqualTo(new Action.Jump("midplane-vif2.0-out"));
    assertThat(forward.rules().get(0).matches()).containsExactly(new Match.Iface(Match.Direction.OUT, "vif2.0", false, false));
    assertThat(forward.rules().get(0).counters()).contains(new Rule.Counters(4, 224));
    Rule admin = forward.rules().get(4);
    assertThat(admin.action()).isEqualTo(Action.ACCEPT);
    assertThat(admin.matches()).containsExactlyInAnyOrder(new Match.EtherProto(Frame.ARP, false),
        new Match.Iface(Match.Direction.IN, "eth9", false, false));

    Chain in = t.chain("midplane-vif1.0-in").orElseThrow();
    assertThat(in.hook()).isEmpty();
    assertThat(in.policy()).isEqualTo(Action.RETURN);
    assertThat(in.rules().get(0).matches()).containsExactly(new Match.EtherAddr(Match.Field.SOURCE,
        MacAddress.of("00:16:3e:00:00:01"), Match.EtherAddr.EXACT, true));
    assertThat(in.rules().get(0).action()).isEqualTo(Action.DROP);
    assertThat(in.rules().get(1).counters()).contains(new Rule.Counters(2, 168));
    Rule arp = in.rules().get(4);
    assertThat(arp.source()).isEqualTo("-p ARP --arp-ip-src 192.0.2.11 --arp-mac-src 00:16:3e:00:00:01 -j RETURN");
    assertThat(arp.matches()).contains(new Match.ArpMac(Match.Field.SOURCE, MacAddress.of("00:16:3e:00:00:01"),
        Match.EtherAddr.EXACT, false, true));
  }

  @Test
  void theThreeListingsOfOneStateAgree() {
    Ruleset save = Ebtables.parseSave(fixture("ebtables-save-c.txt"));
    Ruleset list = Ebtables.parseList(fixture("ebtables-L.txt"));
    Ruleset withCounters = Ebtables.parseList(fixture("ebtables-L-Lc.txt"));
    Ruleset numbered = Ebtables.parseList(fixture("ebtables-L-Ln-Lc.txt"));
    assertThat(list).isEqualTo(save);
    assertThat(withCounters).isEqualTo(save);
    assertThat(numbered).isEqualTo(save);
    // Counters are evidence, not meaning: compare them explicitly.
    List<Rule> a = filter(save).chain("midplane-vif1.0-out").orElseThrow().rules();
    List<Rule> b = filter(numbered).chain("midplane-vif1.0-out").orElseThrow().rules();
    assertThat(b).extracting(Rule::counters).isEqualTo(a.stream().map(Rule::counters).toList());
    assertThat(filter(list).chain("midplane-vif1.0-out").orElseThrow().rules()).allMatch(r -> r.counters().isEmpty());
  }

  @Test
  void readsListingsFromTheQemuLabIncludingLegacyEbtablesAndTheNatTable() {
    Ruleset nft = Ebtables.parseList(fixture("qemu-ebtables-L-Lc.txt"));
    List<Rule> fwd = filter(nft).chain("FORWARD").orElseThrow().rules();
    assertThat(fwd).hasSize(2);
    assertThat(fwd.get(1).matches()).containsExactly(new Match.EtherProto(Frame.VLAN, false),
        new Match.Opaque("--vlan-id 200"));
    assertThat(fwd.get(1).action()).isEqualTo(Action.DROP);

    Ruleset legacy = Ebtables.parseList(fixture("qemu-ebtables-legacy-L.txt"));
    assertThat(filter(legacy).chain("FORWARD").orElseThrow().rules()).singleElement()
        .satisfies(r -> assertThat(r.action()).isEqualTo(Action.ACCEPT));

    Ruleset nat = Ebtables.parseList(fixture("qemu-ebtables-nat-L.txt"));
    Chain pre = nat.table("bridge", "nat").orElseThrow().chain("PREROUTING").orElseThrow();
    assertThat(pre.hook()).contains(Hook.PREROUTING);
    assertThat(pre.priority()).isEqualTo(-300);

    Ruleset saved = Ebtables.parseSave(fixture("qemu-ebtables-save.txt"));
    assertThat(saved.tables()).extracting(Table::name).containsExactly("filter", "nat");
    assertThat(saved.table("bridge", "nat")).isEqualTo(nat.table("bridge", "nat"));
  }

  @Test
  void theQemuNatRuleDropsWhatItSays() {
    Ruleset nat = Ebtables.parseSave(fixture("qemu-ebtables-save.txt"));
    Frame spoofed = Frame.other(Optional.of(InterfaceName.of("bond0.100")), Optional.of(InterfaceName.of("vif1.0")),
        MacAddress.of("02:00:00:00:00:01"), MacAddress.BROADCAST, 0x88cc);
    assertThat(BridgeFilter.of(nat).decide(spoofed).accepted()).isFalse();
  }

  @Test
  void malformedValuesAreErrorsWithTheLine() {
    assertThatThrownBy(() -> Ebtables.parseSave("*filter\n:FORWARD ACCEPT\n-A FORWARD -s 00:16:3e:zz:00:01 -j DROP\n"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("not a MAC address")
        .satisfies(e -> assertThat(((ParseException) e).line()).isEqualTo(3));
    assertThatThrownBy(() -> Ebtables.parseSave("-A FORWARD -j DROP\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 1").hasMessageContaining("outside a *table");
    assertThatThrownBy(() -> Ebtables.parseSave("*filter\n-A FORWARD -p IPv4 --ip-src 192.0.2.300 -j DROP\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 2").hasMessageContaining("IPv4");
    // In a listing an unknown target word is an extension target this model cannot evaluate; in a
    // restore script it is a jump to a chain that does not exist, which ebtables refuses.
    Rule ext = filter(Ebtables.parseSave("*filter\n-A FORWARD -i vif1.0 -j nowhere\n")).chain("FORWARD").orElseThrow()
        .rules().get(0);
    assertThat(ext.action()).isEqualTo(new Action.Opaque("nowhere"));
    assertThatThrownBy(() -> Ebtables.restoreNoflush(Ruleset.EMPTY, "*filter\n-A FORWARD -i vif1.0 -j nowhere\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 2").hasMessageContaining("chain 'nowhere' does not exist");
  }

  @Test
  void aTruncatedListingIsAnErrorNotAShorterChain() {
    String full = fixture("ebtables-L-Lc.txt");
    String cut = full.substring(0, full.indexOf("-d Multicast -j RETURN"));
    assertThatThrownBy(() -> Ebtables.parseList(cut))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("announces 3 entries but 1 followed");
  }

  @Test
  void unknownOptionsAreKeptAndRefuseToBeEvaluated() {
    Ruleset r = Ebtables.parseSave("*filter\n-A FORWARD -p IPv4 --ip-tos 0x10 --log-prefix \"x y\" --log -j DROP\n");
    Rule rule = filter(r).chain("FORWARD").orElseThrow().rules().get(0);
    assertThat(rule.matches()).containsExactly(new Match.EtherProto(Frame.IPV4, false), new Match.Opaque("--ip-tos 0x10"));
    Frame f = Frame.ipv4(Optional.of(InterfaceName.of("eth0")), Optional.of(InterfaceName.of("vif1.0")),
        MacAddress.of("02:00:00:00:00:01"), MacAddress.of("02:00:00:00:00:02"),
        new Frame.Ipv4(Ipv4Address.of("192.0.2.1"), Ipv4Address.of("192.0.2.2"), Frame.UDP, 1, 2, false));
    assertThatThrownBy(() -> BridgeFilter.of(r).decide(f)).isInstanceOf(UnsupportedRuleException.class)
        .hasMessageContaining("--ip-tos 0x10");
  }

  @Test
  void bothSpellingsOfNegationMeanTheSame() {
    Ruleset a = Ebtables.parseSave("*filter\n-A FORWARD ! -s 00:16:3e:00:00:01 -j DROP\n");
    Ruleset b = Ebtables.parseSave("*filter\n-A FORWARD -s ! 00:16:3e:00:00:01 -j DROP\n");
    assertThat(a).isEqualTo(b);
  }

  @Test
  void restoreModelRefusesWhatTheRealToolRefuses() {
    Ruleset locked = Ebtables.restoreNoflush(Ruleset.EMPTY, "*filter\n:c RETURN\n-A c -j DROP\n-A FORWARD -j c\nCOMMIT\n");
    // Seen on ebtables-nft 1.8.9: deleting an absent rule, and removing a chain that has rules.
    assertThatThrownBy(() -> Ebtables.restoreNoflush(locked, "*filter\n-D FORWARD -i x -j c\nCOMMIT\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 2").hasMessageContaining("no such rule");
    assertThatThrownBy(() -> Ebtables.restoreNoflush(locked, "*filter\n-D FORWARD -j c\n-X c\nCOMMIT\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("line 3").hasMessageContaining("not empty");
    assertThatThrownBy(() -> Ebtables.restoreNoflush(locked, "*filter\n-F c\n-X c\nCOMMIT\n"))
        .isInstanceOf(ParseException.class).hasMessageContaining("still jumped to");
    Ruleset gone = Ebtables.restoreNoflush(locked, "*filter\n-D FORWARD -j c\n-F c\n-X c\nCOMMIT\n");
    assertThat(filter(gone).chain("c")).isEmpty();
    // A declared chain is flushed, which is how a lock starts from a clean slate.
    Ruleset flushed = Ebtables.restoreNoflush(locked, "*filter\n:c RETURN\nCOMMIT\n");
    assertThat(filter(flushed).chain("c").orElseThrow().rules()).isEmpty();
  }
}
