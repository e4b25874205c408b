package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.network.sim.SimulatedNetworkTools;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Anti-spoofing on a simulated blade: lock, status and unlock run unchanged against the simulated
 * {@code nft} and {@code ebtables-restore}/{@code ebtables-save}, and the host's bridge filter
 * (what those tools hold) drops what the VM forges and passes what it honestly sends.
 */
class SimulatedAntiSpoofingTest {
  static final InterfaceName VIF = InterfaceName.of("vif3.0");
  static final InterfaceName OTHER = InterfaceName.of("vif4.0");
  static final MacAddress VM_MAC = MacAddress.of("00:16:3e:00:00:03");
  static final MacAddress PEER_MAC = MacAddress.of("00:16:3e:00:00:04");
  static final Ipv4Address VM_IP = Ipv4Address.of("192.0.2.30");
  static final Ipv4Address PEER_IP = Ipv4Address.of("192.0.2.40");

  @TempDir
  Path root;

  static Frame fromVm(MacAddress src, Ipv4Address ip) {
    return Frame.ipv4(Optional.of(VIF), Optional.of(OTHER), src, PEER_MAC,
        new Frame.Ipv4(ip, PEER_IP, Frame.UDP, 4000, 53, false));
  }

  static Frame arpFromVm(Ipv4Address sender) {
    return Frame.arp(Optional.of(VIF), Optional.of(OTHER), VM_MAC, MacAddress.of("ff:ff:ff:ff:ff:ff"), Frame.ARP,
        Frame.Arp.of(1, VM_MAC, sender, MacAddress.of("00:00:00:00:00:00"), PEER_IP));
  }

  @ParameterizedTest
  @EnumSource(AntiSpoofing.Backend.class)
  void aVifIsLockedCheckedAndUnlockedOnASimulatedHost(AntiSpoofing.Backend backend) {
    SimulatedKernel kernel = SimulatedKernel.blade(root, HostName.of("blade1"), SimulatedSan.create());
    SimulatedNetworkTools tools = SimulatedNetworkTools.install(kernel);
    Host host = kernel.host();
    AntiSpoofing as = AntiSpoofing.on(host, backend);
    VifPolicy policy = VifPolicy.of(VIF, VM_MAC, VM_IP);

    assertThat(tools.decide(fromVm(PEER_MAC, VM_IP)).accepted()).as("nothing locked yet").isTrue();
    as.lock(policy);
    assertThat(as.status(VIF).state()).isEqualTo(VifStatus.State.LOCKED);
    assertThat(as.status(OTHER).state()).isEqualTo(VifStatus.State.NOT_LOCKED);
    assertThat(tools.decide(fromVm(VM_MAC, VM_IP)).accepted()).as("honest").isTrue();
    assertThat(tools.decide(arpFromVm(VM_IP)).accepted()).as("honest ARP").isTrue();
    assertThat(tools.decide(fromVm(PEER_MAC, VM_IP)).accepted()).as("spoofed MAC").isFalse();
    assertThat(tools.decide(fromVm(VM_MAC, PEER_IP)).accepted()).as("spoofed address").isFalse();
    assertThat(tools.decide(arpFromVm(PEER_IP)).accepted()).as("forged ARP sender").isFalse();

    // what the simulated tools list is what the real tools' parsers read back
    String listing = backend == AntiSpoofing.Backend.NFTABLES
        ? host.execute(Command.of("nft", "-j", "list", "ruleset")).stdout()
        : host.execute(Command.of("ebtables-save")).stdout();
    assertThat(listing).contains(VIF.value());

    as.unlock(VIF);
    assertThat(as.status(VIF).state()).isEqualTo(VifStatus.State.NOT_LOCKED);
    assertThat(tools.decide(fromVm(PEER_MAC, VM_IP)).accepted()).as("unlocked").isTrue();
    String after = backend == AntiSpoofing.Backend.NFTABLES
        ? host.execute(Command.of("nft", "-j", "list", "ruleset")).stdout()
        : host.execute(Command.of("ebtables-save")).stdout();
    assertThat(after).doesNotContain(VIF.value());
  }
}
