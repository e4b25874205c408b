package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.RealPrerequisites;
import dev.midplane.core.testkit.RequiresReal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The model against the kernel: random frames — honest, forged and arbitrary, from the same
 * generators as the property tests — are sent as raw frames into a real bridge whose vifs are
 * locked by the SDK, and every port records what reaches it. For each frame and each port where
 * it could arrive, {@link BridgeFilter} evaluated on the rules read back from the kernel must
 * predict exactly whether it did.
 */
@RequiresReal(tools = {"ip", "nft", "ebtables", "ebtables-save", "ebtables-restore", "sysctl"}, root = true,
    features = {RealPrerequisites.Feature.NETNS, RealPrerequisites.Feature.BRIDGE})
class KernelCrossCheckTest {
  private static final int FRAMES = 1000;
  private static final Optional<InterfaceName> HOST = Optional.empty();

  @ParameterizedTest
  @EnumSource(AntiSpoofing.Backend.class)
  void theModelPredictsWhatTheKernelDelivers(AntiSpoofing.Backend backend) {
    try (VifLab lab = VifLab.create(3)) {
      // Flood everything, let multicast go everywhere, and keep iptables out of the bridge.
      lab.dom0.execute("ip", "link", "set", "br0", "type", "bridge", "mcast_snooping", "0");
      lab.dom0.run("sysctl", "-q", "-w", "net.bridge.bridge-nf-call-iptables=0");
      lab.dom0.run("sysctl", "-q", "-w", "net.bridge.bridge-nf-call-ip6tables=0");
      lab.dom0.run("sysctl", "-q", "-w", "net.bridge.bridge-nf-call-arptables=0");
      VifPolicy p1 = VifPolicy.builder().from(lab.policy(1)).dhcp(true).build();
      VifPolicy p2 = lab.policy(2);
      AntiSpoofing as = AntiSpoofing.on(lab.host, backend);
      as.lock(p1, p2); // vif3.0 stays unlocked: it plays the uplink
      BridgeFilter model = BridgeFilter.of(as.ruleset());
      MacAddress br0 = MacAddress.of(lab.dom0.execute("cat", "/sys/class/net/br0/address").stdout().strip());

      List<Frame> frames = sample(List.of(p1, p2), lab);
      Map<String, RawSocket> sockets = new LinkedHashMap<>();
      try {
        for (int i = 1; i <= 3; i++) {
          sockets.put(lab.vif(i).value(), RawSocket.open(lab.guest(i).name(), "eth0"));
        }
        sockets.put("host", RawSocket.open(lab.dom0.name(), "br0"));
        Map<String, Set<Integer>> arrived = new HashMap<>();
        sockets.keySet().forEach(k -> arrived.put(k, new HashSet<>()));
        byte[][] wire = new byte[frames.size()][];
        for (int batch = 0; batch < frames.size(); batch += 50) {
          for (int t = batch; t < Math.min(frames.size(), batch + 50); t++) {
            Frame f = frames.get(t);
            wire[t] = WireFrames.encode(f, t);
            sockets.get(portName(f.inPort())).send(wire[t]);
          }
          sockets.forEach((port, s) -> s.drain().forEach(bytes -> {
            // A guest may answer with an ICMP error that quotes the frame, tag included: count only
            // a frame whose Ethernet addresses are the ones sent.
            OptionalInt tag = WireFrames.tagOf(bytes);
            if (tag.isPresent() && tag.getAsInt() >= 0 && tag.getAsInt() < wire.length && wire[tag.getAsInt()] != null
                && java.util.Arrays.equals(bytes, 0, 12, wire[tag.getAsInt()], 0, 12)) {
              arrived.get(port).add(tag.getAsInt());
            }
          }));
        }

        int checked = 0;
        int delivered = 0;
        List<String> wrong = new ArrayList<>();
        for (int t = 0; t < frames.size(); t++) {
          Frame sent = frames.get(t);
          for (String port : sockets.keySet()) {
            Optional<InterfaceName> out = port.equals("host") ? HOST : Optional.of(InterfaceName.of(port));
            if (out.equals(sent.inPort())) {
              continue;
            }
            if (out.isEmpty() && !(sent.destination().isMulticast() || sent.destination().equals(br0))) {
              continue; // the bridge hands only its own and group addresses up to the host
            }
            if (out.isPresent() && sent.destination().equals(br0)) {
              continue; // and never forwards those
            }
            Frame f = new Frame(sent.inPort(), out, sent.source(), sent.destination(), sent.etherType(), sent.ipv4(),
                sent.arp());
            boolean predicted = model.decide(f).accepted();
            boolean seen = arrived.get(port).contains(t);
            checked++;
            delivered += seen ? 1 : 0;
            if (predicted != seen) {
              wrong.add((seen ? "arrived but the model drops: " : "model accepts but it never arrived: ") + f);
            }
          }
        }
        System.out.printf("%s: %d frames, %d (frame, port) checks, %d delivered, %d dropped, %d mispredicted%n",
            backend, frames.size(), checked, delivered, checked - delivered, wrong.size());
        assertThat(wrong).as("%d of %d checks", wrong.size(), checked).isEmpty();
        assertThat(delivered).as("some frames arrive").isGreaterThan(checked / 10);
        assertThat(checked - delivered).as("some frames are dropped").isGreaterThan(checked / 10);
      } finally {
        sockets.values().forEach(RawSocket::close);
      }
    }
  }

  /** Frames from the generators, with ports mapped onto the lab: vif3.0 stands for any unlocked port. */
  private static List<Frame> sample(List<VifPolicy> locked, VifLab lab) {
    List<Frame> out = new ArrayList<>();
    Scenarios.frame(locked).sampleStream().limit(FRAMES * 2L).forEach(f -> {
      Optional<InterfaceName> in = f.inPort().map(p -> locked.stream().anyMatch(v -> v.vif().equals(p)) ? p : lab.vif(3));
      if (out.size() < FRAMES) {
        out.add(new Frame(in, Optional.of(in.equals(Optional.of(lab.vif(1))) ? lab.vif(2) : lab.vif(1)), f.source(),
            f.destination(), f.etherType(), f.ipv4(), f.arp()));
      }
    });
    return out;
  }

  private static String portName(Optional<InterfaceName> port) {
    return port.map(InterfaceName::value).orElse("host");
  }
}
