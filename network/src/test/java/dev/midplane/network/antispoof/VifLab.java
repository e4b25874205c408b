package dev.midplane.network.antispoof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midplane.core.Host;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.testkit.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A blade in miniature, made of network namespaces this test creates and removes: a "dom0"
 * namespace with bridge {@code br0} (ageing time 0, so every unicast floods like a bridge that has
 * not learnt the destination) and veth "vifs" {@code vif1.0}, {@code vif2.0}, … whose other ends
 * are {@code eth0} in one "guest" namespace each. Guest {@code i} has MAC {@code 00:16:3e:00:00:0i}
 * and address {@code 192.0.2.1i/24}; IPv6 is off so only the traffic a test makes is counted.
 *
 * <p>What arrives is measured with named nftables counters on a {@code netdev} ingress hook inside
 * the receiving namespace: they count every frame that reaches the guest's {@code eth0}, whatever
 * the guest's stack does with it.
 */
final class VifLab implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  final NetNs dom0;
  private final List<NetNs> guests = new ArrayList<>();
  private final Set<Integer> observed = new HashSet<>();
  private final Path root;
  final Host host;

  private VifLab(NetNs dom0, Path root) {
    this.dom0 = dom0;
    this.root = root;
    this.host = Host.of(HostName.of("vif-lab"), Host.Kind.LOCAL, dom0.runner(), root, null, null);
  }

  static VifLab create(int guestCount) {
    Path root;
    try {
      root = Files.createTempDirectory("mpt-viflab");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    VifLab lab = new VifLab(NetNs.create("dom0"), root);
    try {
      lab.dom0.execute("ip", "link", "add", "br0", "type", "bridge", "ageing_time", "0", "stp_state", "0");
      lab.dom0.execute("ip", "link", "set", "br0", "up");
      for (int i = 1; i <= guestCount; i++) {
        NetNs g = NetNs.create("guest" + i);
        lab.guests.add(g);
        noIpv6(g);
        lab.dom0.execute("ip", "link", "add", lab.vif(i).value(), "type", "veth", "peer", "name", "eth0", "netns", g.name());
        lab.dom0.execute("ip", "link", "set", lab.vif(i).value(), "master", "br0", "up");
        g.execute("ip", "link", "set", "eth0", "address", lab.mac(i).toString());
        g.execute("ip", "addr", "add", lab.ip(i) + "/24", "dev", "eth0");
        g.execute("ip", "link", "set", "eth0", "up");
      }
      noIpv6(lab.dom0);
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  private static void noIpv6(NetNs ns) {
    ns.execute("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
    ns.execute("sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
  }

  InterfaceName vif(int i) {
    return InterfaceName.of("vif" + i + ".0");
  }

  MacAddress mac(int i) {
    return MacAddress.of(String.format("00:16:3e:00:00:%02x", i));
  }

  Ipv4Address ip(int i) {
    return Ipv4Address.of("192.0.2." + (10 + i));
  }

  VifPolicy policy(int i) {
    return VifPolicy.of(vif(i), mac(i), ip(i));
  }

  NetNs guest(int i) {
    return guests.get(i - 1);
  }

  /** One ICMP echo with a one-second wait; true when it was answered. */
  boolean ping(int from, Ipv4Address to, String... extra) {
    List<String> argv = new ArrayList<>(List.of("ping", "-c", "1", "-W", "1"));
    argv.addAll(List.of(extra));
    argv.add(to.toString());
    return guest(from).run(argv.toArray(String[]::new)).isSuccess();
  }

  /**
   * Counts, in guest {@code i}'s namespace, the frames reaching its {@code eth0} that match
   * {@code nftMatch} (netdev-family syntax), under {@code name}.
   */
  void observe(int i, String name, String... nftMatch) {
    NetNs g = guest(i);
    if (observed.add(i)) {
      g.execute("nft", "add", "table", "netdev", "obs");
      g.execute("nft", "add", "chain", "netdev", "obs", "in", "{", "type", "filter", "hook", "ingress", "device", "eth0",
          "priority", "0", ";", "}");
    }
    g.execute("nft", "add", "counter", "netdev", "obs", name);
    List<String> argv = new ArrayList<>(List.of("nft", "add", "rule", "netdev", "obs", "in"));
    argv.addAll(List.of(nftMatch));
    argv.addAll(List.of("counter", "name", name));
    g.execute(argv.toArray(String[]::new));
  }

  long count(int i, String name) {
    String out = guest(i).execute("nft", "-j", "list", "counter", "netdev", "obs", name).stdout();
    try {
      for (JsonNode n : JSON.readTree(out).path("nftables")) {
        if (n.has("counter")) {
          return n.get("counter").path("packets").asLong();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no counter " + name + " in " + out);
  }

  void reset(int i, String name) {
    guest(i).execute("nft", "reset", "counter", "netdev", "obs", name);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (NetNs g : guests) {
      try {
        g.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    try {
      dom0.close();
    } catch (RuntimeException e) {
      first = first == null ? e : first;
    }
    try (var s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temp dir leftovers are harmless
    }
    if (first != null) {
      throw first;
    }
  }
}
