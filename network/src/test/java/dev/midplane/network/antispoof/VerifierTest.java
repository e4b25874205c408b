package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a lock back from what the kernel lists: recognised, verified, and drift found. */
class VerifierTest {
  private static final InterfaceName VIF1 = InterfaceName.of("vif1.0");
  private static final InterfaceName VIF2 = InterfaceName.of("vif2.0");
  private static final VifPolicy P1 = VifPolicy.builder().vif(VIF1).mac(MacAddress.of("00:16:3e:00:00:01"))
      .addAddresses(Ipv4Address.of("192.0.2.11"), Ipv4Address.of("192.0.2.21")).dhcp(true).build();
  private static final VifPolicy P2 = VifPolicy.of(VIF2, MacAddress.of("00:16:3e:00:00:02"), Ipv4Address.of("192.0.2.12"));

  private static Ruleset ebtablesLive() {
    return Ebtables.parseSave(Fixtures.text(VerifierTest.class, "ebtables-save-c.txt"));
  }

  private static Ruleset nftLive() {
    return Nft.parseJson(Fixtures.text(VerifierTest.class, "nft-list-ruleset.json"));
  }

  @Test
  void aRealEbtablesLockIsRecognisedWithItsPolicy() {
    FilterBackend b = new EbtablesBackend();
    VifStatus s1 = Verifier.status(b, VIF1, ebtablesLive());
    assertThat(s1.problems()).isEmpty();
    assertThat(s1.state()).isEqualTo(VifStatus.State.LOCKED);
    assertThat(s1.policy()).contains(P1);
    assertThat(Verifier.status(b, VIF2, ebtablesLive()).policy()).contains(P2);
    assertThat(Verifier.status(b, InterfaceName.of("vif3.0"), ebtablesLive()).state())
        .isEqualTo(VifStatus.State.NOT_LOCKED);
    assertThat(b.vifsIn(ebtablesLive())).containsExactly(VIF1, VIF2);
  }

  @Test
  void aRealNftLockIsRecognisedWithItsPolicyAndDropCounters() {
    FilterBackend b = new NftBackend();
    VifStatus s1 = Verifier.status(b, VIF1, nftLive());
    assertThat(s1.problems()).isEmpty();
    assertThat(s1.policy()).contains(P1);
    // The capture was taken after a ping from a spoofed source address and the guests' own IPv6
    // chatter: the ingress chain's final drop counted them.
    assertThat(s1.droppedFromVm()).isEqualTo(15);
    assertThat(Verifier.status(b, VIF2, nftLive()).policy()).contains(P2);
  }

  /** {@code vif} reads back as drifted from {@code live}, with a problem that says {@code why}. */
  private static void assertDrift(FilterBackend b, InterfaceName vif, Ruleset live, String why) {
    VifStatus s = Verifier.status(b, vif, live);
    assertThat(s.state()).isEqualTo(VifStatus.State.DRIFTED);
    assertThat(s.problems()).anySatisfy(p -> assertThat(p).contains(why));
  }

  @Test
  void anAcceptInsertedBeforeTheJumpsIsDrift() {
    FilterBackend b = new EbtablesBackend();
    assertDrift(b, VIF1, Ebtables.restoreNoflush(ebtablesLive(), "*filter\n-I FORWARD 1 -p ARP -j ACCEPT\nCOMMIT\n"),
        "FORWARD rule 1 [-p ARP -j ACCEPT] comes before");
    // A counting rule or a drop there is harmless.
    Ruleset counted = Ebtables.restoreNoflush(ebtablesLive(), "*filter\n-I FORWARD 1 -p ARP -j CONTINUE\nCOMMIT\n");
    assertThat(Verifier.status(b, VIF1, counted).state()).isEqualTo(VifStatus.State.LOCKED);
  }

  @Test
  void aChangedOrMissingRuleIsDrift() {
    FilterBackend b = new EbtablesBackend();
    assertDrift(b, VIF1, Ebtables.restoreNoflush(ebtablesLive(), "*filter\n-D midplane-vif1.0-in -j DROP\nCOMMIT\n"),
        "chain midplane-vif1.0-in differs");
    assertDrift(b, VIF1, Ebtables.restoreNoflush(ebtablesLive(), "*filter\n-D INPUT -i vif1.0 -j midplane-vif1.0-in\nCOMMIT\n"),
        "no jump '-i vif1.0 -j midplane-vif1.0-in' in INPUT");
  }

  @Test
  void aMissingMapElementIsDriftForNft() {
    FilterBackend b = new NftBackend();
    assertDrift(b, VIF2, Nft.applyScript(nftLive(), "delete element bridge midplane vif-out { \"vif2.0\" }\n"),
        "@vif-out maps \"vif2.0\" to nothing");
    assertDrift(b, VIF1, Nft.applyScript(nftLive(), "insert rule bridge midplane forward ether type arp accept\n"),
        "base chain forward holds");
  }

  @Test
  void probesCoverEveryWayOfSpoofing() {
    List<Verifier.Probe> probes = Verifier.probes(P1);
    assertThat(probes).extracting(Verifier.Probe::what).contains("IPv4 from another MAC", "IPv4 from a foreign address",
        "ARP naming a foreign address as sender", "ARP naming another MAC as sender", "RARP", "IPv6",
        "unicast for another MAC", "the host's unicast for another MAC");
    for (Verifier.Probe p : probes) {
      boolean honest = p.chain().endsWith("-in") ? Oracle.fromVmAllowed(P1, p.frame())
          : Oracle.accepts(java.util.Map.of(VIF1, P1), p.frame());
      assertThat(honest).as(p.what()).isEqualTo(p.passes());
    }
  }

  @Test
  void rulesThatLetSpoofsThroughFailTheProbesEvenWhenTheyLookRight() {
    // Replace the final drop of the ingress chain by a return: the chain still starts with the
    // MAC check, but a forged ARP now passes. Only the probes can see that.
    FilterBackend b = new EbtablesBackend();
    Ruleset weak = Ebtables.restoreNoflush(ebtablesLive(),
        "*filter\n-D midplane-vif1.0-in -j DROP\n-A midplane-vif1.0-in -j RETURN\nCOMMIT\n");
    List<String> problems = Verifier.probe(b, P1, weak);
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("ARP naming a foreign address as sender is let through"));
    assertThat(Verifier.probe(b, P1, ebtablesLive())).isEmpty();
  }
}
