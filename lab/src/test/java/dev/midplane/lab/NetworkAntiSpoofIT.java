package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.Host;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.network.antispoof.BridgeFilter;
import dev.midplane.network.antispoof.Frame;
import dev.midplane.network.antispoof.Ruleset;
import dev.midplane.network.antispoof.VifPolicy;
import dev.midplane.network.antispoof.VifStatus;
import dev.midplane.network.sim.SimulatedNetworkTools;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Anti-spoofing on the guest's Linux 6.1 with its own tools (nftables 1.0.6, ebtables-nft 1.8.9),
 * both backends: lock, relock with another address, status and unlock, with what each listing
 * says a frame meets; every step repeated on a simulated host with the simulated tools and compared
 * ({@link Fidelity}) — the rules each listing holds, chain by chain, and the decisions on honest and
 * forged frames.
 */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkAntiSpoofIT {
  static final InterfaceName VIF = InterfaceName.of("vif3.0");
  static final InterfaceName PEER = InterfaceName.of("vif4.0");
  static final MacAddress VM_MAC = MacAddress.of("00:16:3e:00:00:03");
  static final MacAddress PEER_MAC = MacAddress.of("00:16:3e:00:00:04");
  static final Ipv4Address VM_IP = Ipv4Address.of("192.0.2.30");
  static final Ipv4Address MOVED_IP = Ipv4Address.of("192.0.2.31");
  static final Ipv4Address PEER_IP = Ipv4Address.of("192.0.2.40");

  private final Fidelity fidelity = new Fidelity("anti-spoofing");
  private Host guest;
  private SimulatedNetworkTools tools;

  @BeforeAll
  void twoHosts(Host host, @TempDir Path simRoot) {
    guest = host;
    tools = SimulatedNetworkTools.install(SimulatedKernel.create(simRoot, HostName.of("lab-sim"), SimulatedSan.create()));
  }

  @AfterAll
  void tally() {
    fidelity.verify();
  }

  private static Frame ip(MacAddress src, Ipv4Address from) {
    return Frame.ipv4(Optional.of(VIF), Optional.of(PEER), src, PEER_MAC,
        new Frame.Ipv4(from, PEER_IP, Frame.UDP, 4000, 53, false));
  }

  private static Frame arp(Ipv4Address sender) {
    return Frame.arp(Optional.of(VIF), Optional.of(PEER), VM_MAC, MacAddress.of("ff:ff:ff:ff:ff:ff"), Frame.ARP,
        Frame.Arp.of(1, VM_MAC, sender, MacAddress.of("00:00:00:00:00:00"), PEER_IP));
  }

  /** What a host's filter does with an honest frame, a spoofed MAC, a foreign address, a forged ARP. */
  private static String decisions(Ruleset rules, Ipv4Address own) {
    BridgeFilter f = BridgeFilter.of(rules);
    List<String> out = new ArrayList<>();
    out.add("honest " + word(f.decide(ip(VM_MAC, own))));
    out.add("spoofed MAC " + word(f.decide(ip(PEER_MAC, own))));
    out.add("foreign address " + word(f.decide(ip(VM_MAC, PEER_IP))));
    out.add("honest ARP " + word(f.decide(arp(own))));
    out.add("forged ARP " + word(f.decide(arp(PEER_IP))));
    return String.join(", ", out);
  }

  private static String word(BridgeFilter.Decision d) {
    return d.accepted() ? "accepted" : "dropped";
  }

  /** Per chain of the bridge family: table/chain, its policy and its rule count. */
  private static List<String> chains(Ruleset rules) {
    return rules.tables().stream().filter(t -> t.family().equals("bridge"))
        .flatMap(t -> t.chains().stream().map(c -> t.name() + "/" + c.name() + " " + c.policy() + " " + c.rules().size()))
        .sorted().toList();
  }

  @ParameterizedTest
  @EnumSource(AntiSpoofing.Backend.class)
  void aVifIsLockedRelockedAndUnlockedOnTheRealKernel(AntiSpoofing.Backend backend) {
    AntiSpoofing real = AntiSpoofing.on(guest, backend);
    AntiSpoofing sim = AntiSpoofing.on(tools.kernel().host(), backend);
    String b = backend.name().toLowerCase(java.util.Locale.ROOT) + ": ";
    Function<AntiSpoofing, String> state = a -> a.status(VIF).state() + " " + a.status(PEER).state();

    compare(b + "lock", real, sim, a -> {
      a.lock(VifPolicy.of(VIF, VM_MAC, VM_IP));
      return state.apply(a);
    });
    assertThat(state.apply(real)).isEqualTo("LOCKED NOT_LOCKED");
    compare(b + "chains after lock", real, sim, a -> chains(a.ruleset()));
    String locked = compare(b + "decisions after lock", real, sim, a -> decisions(a.ruleset(), VM_IP));
    assertThat(locked).isEqualTo("honest accepted, spoofed MAC dropped, foreign address dropped, honest ARP accepted, "
        + "forged ARP dropped");

    compare(b + "relock with another address", real, sim, a -> {
      a.lock(VifPolicy.of(VIF, VM_MAC, MOVED_IP));
      return state.apply(a) + " " + a.status(VIF).policy().map(p -> p.addresses().toString()).orElse("none");
    });
    assertThat(real.status(VIF).policy().orElseThrow().addresses()).containsExactly(MOVED_IP);
    String moved = compare(b + "decisions after relock", real, sim, a -> decisions(a.ruleset(), MOVED_IP)
        + "; the old address " + word(BridgeFilter.of(a.ruleset()).decide(ip(VM_MAC, VM_IP))));
    assertThat(moved).endsWith("the old address dropped");

    compare(b + "unlock", real, sim, a -> {
      a.unlock(VIF);
      return state.apply(a) + " " + a.statusAll().size();
    });
    assertThat(real.status(VIF).state()).isEqualTo(VifStatus.State.NOT_LOCKED);
    assertThat(word(BridgeFilter.of(real.ruleset()).decide(ip(PEER_MAC, PEER_IP)))).isEqualTo("accepted");
  }

  /** Runs a step on the guest and on the simulated host, compares the outcomes, returns the real one. */
  private <T> T compare(String step, AntiSpoofing real, AntiSpoofing sim, Function<AntiSpoofing, T> action) {
    return fidelity.onBoth(step, real, sim, action);
  }
}
