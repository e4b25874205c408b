package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.Host;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.network.ArpAdvisor;
import dev.midplane.network.BondOptions;
import dev.midplane.network.BondStatus;
import dev.midplane.network.Network;
import dev.midplane.network.sim.SimulatedNetworkTools;
import dev.midplane.sysfs.SlaveLinkState;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Why the blade advisor proposes ARP monitoring, on the real kernel: a bond whose slaves keep their
 * carrier while the network behind the active one is cut (its veth peer taken out of the switch
 * bridge that leads to the gateway, as a blade switch module losing its uplink) stays on the dead
 * path with MII monitoring, and fails over once the advisor's ARP monitoring is applied. Every step
 * runs through the SDK on the guest and on the simulated kernel with the simulated tools, and is
 * compared ({@link Fidelity}).
 *
 * <p>The guest gets two namespaces of its own: {@code sw}, a bridge standing for the blade switch,
 * and {@code gw}, the gateway 192.0.2.1 behind it.
 */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkArpMonitorIT {
  static final InterfaceName BOND = InterfaceName.of("bond2");
  static final InterfaceName A = InterfaceName.of("veth4a");
  static final InterfaceName B = InterfaceName.of("veth5a");
  static final Ipv4Address GATEWAY = Ipv4Address.of("192.0.2.1");
  static final Duration PATIENCE = Duration.ofSeconds(20);
  /** How long an unseen cut is watched: many MII and ARP intervals. */
  static final Duration WATCH = Duration.ofSeconds(3);

  private final Fidelity fidelity = new Fidelity("arp monitor");
  private final Map<String, InterfaceName> cutSlave = new HashMap<>();
  private Twin real;
  private Twin sim;

  /** One kernel: its network through the SDK, how the network behind a slave is cut, how time passes. */
  private record Twin(String name, Network net, Cut cut, Runnable tick) {
    BondStatus status() {
      return net.bond(BOND).status();
    }

    BondStatus until(String what, Predicate<BondStatus> done) {
      return Poll.until(what + " on the " + name + " kernel", PATIENCE, tick, this::status, done);
    }

    /** Watches the bond for {@link #WATCH}; the status at the end. */
    BondStatus after(Duration d) {
      for (long i = 0; i < d.toMillis() / 100; i++) {
        tick.run();
      }
      return status();
    }
  }

  /** Cuts or restores the network behind a slave, keeping its carrier. */
  private interface Cut {
    void upstream(InterfaceName slave, boolean working);
  }

  @BeforeAll
  void twoKernels(Host host, @TempDir Path simRoot) {
    for (String[] c : List.of(
        new String[] {"modprobe", "bonding"},
        new String[] {"ip", "netns", "add", "sw"}, new String[] {"ip", "netns", "add", "gw"},
        new String[] {"ip", "-n", "sw", "link", "add", "brp", "type", "bridge"},
        new String[] {"ip", "-n", "sw", "link", "set", "brp", "up"},
        new String[] {"ip", "link", "add", "gw0", "type", "veth", "peer", "name", "gw0p"},
        new String[] {"ip", "link", "set", "gw0", "netns", "gw"},
        new String[] {"ip", "link", "set", "gw0p", "netns", "sw"},
        new String[] {"ip", "-n", "sw", "link", "set", "gw0p", "master", "brp"},
        new String[] {"ip", "-n", "sw", "link", "set", "gw0p", "up"},
        new String[] {"ip", "-n", "gw", "addr", "add", GATEWAY + "/24", "dev", "gw0"},
        new String[] {"ip", "-n", "gw", "link", "set", "gw0", "up"})) {
      host.execute(c);
    }
    for (InterfaceName s : List.of(A, B)) {
      String peer = peer(s);
      host.execute("ip", "link", "add", s.value(), "type", "veth", "peer", "name", peer);
      host.execute("ip", "link", "set", peer, "netns", "sw");
      host.execute("ip", "-n", "sw", "link", "set", peer, "master", "brp");
      host.execute("ip", "-n", "sw", "link", "set", peer, "up");
    }
    real = new Twin("real", Network.on(host, Network.Backend.IPROUTE2), (slave, working) -> {
      if (working) {
        host.execute("ip", "-n", "sw", "link", "set", peer(slave), "master", "brp");
      } else {
        host.execute("ip", "-n", "sw", "link", "set", peer(slave), "nomaster");
      }
    }, Poll.REAL_TIME);

    SimulatedKernel k = SimulatedKernel.create(simRoot, HostName.of("lab-sim"), SimulatedSan.create());
    SimulatedNetworkTools.install(k);
    for (InterfaceName s : List.of(A, B)) {
      k.net().createVethPair(s, InterfaceName.of(peer(s)));
      k.net().setUp(InterfaceName.of(peer(s)), true);
    }
    sim = new Twin("simulated", Network.on(k.host(), Network.Backend.IPROUTE2),
        (slave, working) -> k.net().setUpstream(slave, working), () -> k.advance(Duration.ofMillis(100)));
  }

  private static String peer(InterfaceName slave) {
    return slave.value().replaceAll("a$", "b");
  }

  @AfterAll
  void tally() {
    fidelity.verify();
  }

  /** Runs a step on both kernels, compares the outcomes and returns the real one. */
  private <T> T both(String step, Function<Twin, T> action) {
    return fidelity.onBoth(step, real, sim, action);
  }

  private static String view(BondStatus s) {
    return "monitor " + s.monitor() + ", active " + s.activeSlave().map(InterfaceName::value).orElse("none") + ", "
        + String.join(" ", s.slaves().stream().map(x -> x.name() + ":" + x.link()).toList());
  }

  @Test
  @Order(1)
  void aMiiMonitoredBondStaysOnACutPath() {
    String up = both("bond2 over veth4a and veth5a, miimon 100, 192.0.2.2/24", t -> {
      t.net().change("bond2").createBond(BOND, BondOptions.activeBackup(100)).enslave(A, BOND).enslave(B, BOND)
          .up(BOND).addAddress(BOND, Ipv4Address.of("192.0.2.2"), 24).apply();
      return view(t.until("both slaves up", s -> s.slavesWithLink().size() == 2 && s.activeSlave().isPresent()));
    });
    assertThat(up).isEqualTo("monitor MII, active veth4a, veth4a:UP veth5a:UP");

    String cut = both("the network behind veth4a cut", t -> {
      t.cut().upstream(A, false);
      return view(t.after(WATCH));
    });
    assertThat(cut).as("miimon sees only the carrier").isEqualTo("monitor MII, active veth4a, veth4a:UP veth5a:UP");
    both("restored", t -> {
      t.cut().upstream(A, true);
      return view(t.after(Duration.ofMillis(500)));
    });
  }

  @Test
  @Order(2)
  void theAdvisorsArpMonitoringFailsOverWhenThePathIsCut() {
    List<ArpAdvisor.Kind> before = both("the advisor's findings", t ->
        t.net().arpAdvisor().target(BOND, GATEWAY).review().findings(BOND).stream().map(ArpAdvisor.Finding::kind)
            .toList());
    assertThat(before).containsExactly(ArpAdvisor.Kind.MII_ONLY);

    String arp = both("the advisor's plan applied", t -> {
      ArpAdvisor.Advice advice = t.net().arpAdvisor().target(BOND, GATEWAY).interval(Duration.ofMillis(200)).review();
      advice.plan().apply();
      return view(t.until("both slaves up under ARP monitoring",
          s -> s.slavesWithLink().size() == 2 && s.activeSlave().isPresent()));
    });
    assertThat(arp).startsWith("monitor ARP, active ").endsWith("veth4a:UP veth5a:UP");
    InterfaceName active = real.status().activeSlave().orElseThrow();
    InterfaceName other = active.equals(A) ? B : A;

    String cut = both("the network behind the active slave cut", t -> {
      InterfaceName was = t.status().activeSlave().orElseThrow();
      cutSlave.put(t.name(), was);
      t.cut().upstream(was, false);
      BondStatus s = t.until("a failover away from " + was, x -> x.activeSlave().filter(a -> !a.equals(was)).isPresent());
      return "failed over " + (s.slave(was).orElseThrow().link() == SlaveLinkState.DOWN ? "and the cut slave is down"
          : "but the cut slave is " + s.slave(was).orElseThrow().link());
    });
    assertThat(cut).isEqualTo("failed over and the cut slave is down");
    assertThat(real.status().activeSlave()).contains(other);
    assertThat(real.status().slave(active).orElseThrow().linkFailures()).isPositive();
    both("restored", t -> {
      t.cut().upstream(cutSlave.get(t.name()), true);
      return view(t.until("the cut slave back up", s -> s.slavesWithLink().size() == 2));
    });
  }
}
