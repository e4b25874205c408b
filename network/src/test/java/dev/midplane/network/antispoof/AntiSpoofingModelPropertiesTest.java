package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The rendered rulesets — parsed back from the very text the SDK feeds to ebtables-restore and
 * nft, applied on top of an administrator's accepting rules and of stale rules from an earlier VM
 * with the same vif name — accept exactly the honest frames, as {@link Oracle} defines them from
 * the policies alone.
 */
class AntiSpoofingModelPropertiesTest {
  /** Accepting rules an administrator may have: none of them may open a hole. */
  static final String EBTABLES_ADMIN = """
      *filter
      -A FORWARD -p ARP -j ACCEPT
      -A FORWARD -i eth0 -j ACCEPT
      -A INPUT -p IPv4 -j ACCEPT
      -A OUTPUT -j ACCEPT
      COMMIT
      """;

  static final String NFT_ADMIN = """
      add table bridge admin
      add chain bridge admin early { type filter hook forward priority -300; policy accept; }
      add rule bridge admin early ether type arp accept
      add rule bridge admin early iifname "vif*" accept
      add chain bridge admin in { type filter hook input priority -300; policy accept; }
      add rule bridge admin in accept
      """;

  @Provide
  Arbitrary<Scenarios.Scenario> scenarios() {
    return Scenarios.scenarios();
  }

  @Property(tries = 300)
  void ebtablesRulesAcceptExactlyTheHonestFrames(@ForAll("scenarios") Scenarios.Scenario s) {
    check(AntiSpoofing.Backend.EBTABLES, s);
  }

  @Property(tries = 300)
  void nftablesRulesAcceptExactlyTheHonestFrames(@ForAll("scenarios") Scenarios.Scenario s) {
    check(AntiSpoofing.Backend.NFTABLES, s);
  }

  private static void check(AntiSpoofing.Backend kind, Scenarios.Scenario s) {
    FilterBackend b = AntiSpoofing.backendFor(kind);
    Ruleset rules = lockedWithStaleFirst(b, s.vms());
    BridgeFilter filter = BridgeFilter.of(rules);
    for (Frame f : s.frames()) {
      boolean expected = Oracle.accepts(s.byVif(), f);
      BridgeFilter.Decision d = filter.decide(f);
      Statistics.label("verdict").collect(expected ? "accept" : "drop");
      assertThat(d.accepted()).as("%s%n%s", f, String.join("\n", d.trace())).isEqualTo(expected);
    }
  }

  /** Admin rules, then a lock of other MACs under the same vif names, then the real lock. */
  static Ruleset lockedWithStaleFirst(FilterBackend b, List<VifPolicy> vms) {
    Ruleset admin = admin(b);
    List<VifPolicy> stale = vms.stream()
        .map(p -> VifPolicy.builder().from(p).mac(MacAddress.fromBits(p.mac().bits() ^ 0x020000000000L)).dhcp(true).build())
        .toList();
    Ruleset withStale = b.simulate(admin, b.lockScript(stale, admin));
    return b.simulate(withStale, b.lockScript(vms, withStale));
  }

  static Ruleset admin(FilterBackend b) {
    return b.kind() == AntiSpoofing.Backend.EBTABLES
        ? Ebtables.restoreNoflush(Ruleset.EMPTY, EBTABLES_ADMIN)
        : Nft.applyScript(Ruleset.EMPTY, NFT_ADMIN);
  }

  @Property(tries = 100)
  void unlockLeavesTheOthersLockedAndTheAdminRulesAsTheyWere(@ForAll("scenarios") Scenarios.Scenario s,
      @ForAll boolean ebtables) {
    FilterBackend b = AntiSpoofing.backendFor(ebtables ? AntiSpoofing.Backend.EBTABLES : AntiSpoofing.Backend.NFTABLES);
    Ruleset locked = lockedWithStaleFirst(b, s.vms());
    List<InterfaceName> gone = new ArrayList<>();
    Map<InterfaceName, VifPolicy> kept = new LinkedHashMap<>();
    for (int i = 0; i < s.vms().size(); i++) {
      VifPolicy p = s.vms().get(i);
      if (i % 2 == 0) {
        gone.add(p.vif());
      } else {
        kept.put(p.vif(), p);
      }
    }
    Ruleset after = b.simulate(locked, b.unlockScript(gone, locked));
    BridgeFilter filter = BridgeFilter.of(after);
    for (Frame f : s.frames()) {
      assertThat(filter.decide(f).accepted()).as("%s", f).isEqualTo(Oracle.accepts(kept, f));
    }
    for (InterfaceName v : gone) {
      assertThat(Verifier.status(b, v, after).state()).isEqualTo(VifStatus.State.NOT_LOCKED);
    }
    for (VifPolicy p : kept.values()) {
      VifStatus st = Verifier.status(b, p.vif(), after);
      assertThat(st.problems()).isEmpty();
      assertThat(st.policy()).contains(p);
    }
    Ruleset none = b.simulate(after, b.unlockScript(kept.keySet(), after));
    Ruleset admin = admin(b);
    for (Table t : admin.tables()) {
      assertThat(none.table(t.family(), t.name())).contains(t);
    }
    assertThat(b.vifsIn(none)).isEmpty();
  }

  @Property(tries = 100)
  void lockingTwiceIsLockingOnce(@ForAll("scenarios") Scenarios.Scenario s, @ForAll boolean ebtables) {
    FilterBackend b = AntiSpoofing.backendFor(ebtables ? AntiSpoofing.Backend.EBTABLES : AntiSpoofing.Backend.NFTABLES);
    Ruleset admin = admin(b);
    Ruleset once = b.simulate(admin, b.lockScript(s.vms(), admin));
    Ruleset twice = b.simulate(once, b.lockScript(s.vms(), once));
    assertThat(twice).isEqualTo(once);
    for (VifPolicy p : s.vms()) {
      assertThat(Verifier.status(b, p.vif(), twice).state()).isEqualTo(VifStatus.State.LOCKED);
    }
  }
}
