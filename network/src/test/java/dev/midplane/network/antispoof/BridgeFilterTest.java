package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The kernel's chain semantics, one at a time. */
class BridgeFilterTest {
  private static final Frame FROM_VIF1 = Frame.other(Optional.of(InterfaceName.of("vif1.0")),
      Optional.of(InterfaceName.of("vif2.0")), MacAddress.of("00:16:3e:00:00:01"), MacAddress.of("00:16:3e:00:00:02"),
      Frame.IPV6);

  private static boolean ebtables(String script) {
    return BridgeFilter.of(Ebtables.restoreNoflush(Ruleset.EMPTY, script)).decide(FROM_VIF1).accepted();
  }

  private static boolean nft(String script) {
    return BridgeFilter.of(Nft.applyScript(Ruleset.EMPTY, script)).decide(FROM_VIF1).accepted();
  }

  @Test
  void anAcceptInOneVifsChainEndsTheWholeChainSoLaterChecksNeverRun() {
    // The trap the per-vif chains avoid: vif1's chain accepts, so vif2's egress check is skipped.
    assertThat(ebtables("""
        *filter
        :a RETURN
        :b RETURN
        -A a -j ACCEPT
        -A b -j DROP
        -A FORWARD -i vif1.0 -j a
        -A FORWARD -o vif2.0 -j b
        """)).isTrue();
    assertThat(ebtables("""
        *filter
        :a RETURN
        :b RETURN
        -A a -j RETURN
        -A b -j DROP
        -A FORWARD -i vif1.0 -j a
        -A FORWARD -o vif2.0 -j b
        """)).isFalse();
  }

  @Test
  void policiesApplyAtTheEndOfChains() {
    assertThat(ebtables("*filter\n:FORWARD DROP\n")).isFalse();
    assertThat(ebtables("*filter\n:c DROP\n-A FORWARD -j c\n")).isFalse();
    assertThat(ebtables("*filter\n:c ACCEPT\n-A FORWARD -j c\n-A FORWARD -j DROP\n")).isTrue();
    assertThat(ebtables("*filter\n:c RETURN\n-A FORWARD -j c\n-A FORWARD -j DROP\n")).isFalse();
    assertThat(ebtables("*filter\n-A FORWARD -j CONTINUE\n-A FORWARD -j DROP\n")).isFalse();
  }

  @Test
  void aDropInAnyTableWinsAndAnAcceptOnlyEndsItsOwnBaseChain() {
    assertThat(nft("""
        add table bridge a
        add chain bridge a f { type filter hook forward priority -300; policy accept; }
        add rule bridge a f accept
        add table bridge b
        add chain bridge b f { type filter hook forward priority 0; policy accept; }
        add rule bridge b f iifname "vif*" drop
        """)).isFalse();
  }

  @Test
  void gotoReturnsToTheCallerOfTheCurrentChain() {
    assertThat(nft("""
        add table bridge t
        add chain bridge t f { type filter hook forward priority 0; policy accept; }
        add chain bridge t a
        add chain bridge t b
        add rule bridge t b return
        add rule bridge t a goto b
        add rule bridge t a drop
        add rule bridge t f jump a
        """)).isTrue();
    assertThat(nft("""
        add table bridge t
        add chain bridge t f { type filter hook forward priority 0; policy accept; }
        add chain bridge t a
        add chain bridge t b
        add rule bridge t b return
        add rule bridge t a jump b
        add rule bridge t a drop
        add rule bridge t f jump a
        """)).isFalse();
  }

  @Test
  void aVerdictMapMissContinues() {
    String t = """
        add table bridge t
        add map bridge t m { type ifname : verdict; }
        add chain bridge t f { type filter hook forward priority 0; policy accept; }
        add rule bridge t f iifname vmap @m
        add chain bridge t last
        add rule bridge t f oifname "vif2.0" drop
        """;
    assertThat(nft(t)).isFalse();
    assertThat(nft(t + "add element bridge t m { \"vif1.0\" : accept }\n")).isTrue();
    assertThat(nft(t + "add element bridge t m { \"vif7.0\" : accept }\n")).isFalse();
  }

  @Test
  void framesFromTheHostPassOutputAndFramesToItPassInput() {
    Frame toHost = new Frame(FROM_VIF1.inPort(), Optional.empty(), FROM_VIF1.source(), FROM_VIF1.destination(),
        Frame.IPV6, Optional.empty(), Optional.empty());
    Ruleset r = Ebtables.restoreNoflush(Ruleset.EMPTY, "*filter\n-A INPUT -i vif1.0 -j DROP\n");
    assertThat(BridgeFilter.of(r).decide(toHost).accepted()).isFalse();
    assertThat(BridgeFilter.of(r).decide(FROM_VIF1).accepted()).isTrue();
    assertThat(toHost.hooks()).containsExactly(Hook.PREROUTING, Hook.INPUT);
    assertThat(FROM_VIF1.hooks()).containsExactly(Hook.PREROUTING, Hook.FORWARD, Hook.POSTROUTING);
  }

  @Test
  void aLoopIsReportedNotFollowedForever() {
    Ruleset r = Ebtables.restoreNoflush(Ruleset.EMPTY, "*filter\n:a RETURN\n:b RETURN\n-A a -j b\n-A b -j a\n-A FORWARD -j a\n");
    assertThatThrownBy(() -> BridgeFilter.of(r).decide(FROM_VIF1)).isInstanceOf(UnsupportedRuleException.class)
        .hasMessageContaining("a loop?");
  }

  @Test
  void theTraceNamesTheRulesThatDecided() {
    Ruleset r = Ebtables.restoreNoflush(Ruleset.EMPTY, "*filter\n:c RETURN\n-A c -s ! 00:16:3e:00:00:09 -j DROP\n"
        + "-A FORWARD -i vif1.0 -j c\n");
    BridgeFilter.Decision d = BridgeFilter.of(r).decide(FROM_VIF1);
    assertThat(d.accepted()).isFalse();
    assertThat(d.trace()).containsExactly("bridge filter FORWARD rule 1 [-i vif1.0 -j c]: jump c",
        "bridge filter c rule 1 [-s ! 00:16:3e:00:00:09 -j DROP]: drop");
  }
}
