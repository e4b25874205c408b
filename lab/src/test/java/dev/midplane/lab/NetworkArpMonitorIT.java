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
import dev.midplane.sysfs.sim.SimulatedNet.StrayFrame;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * and {@code gw}, the gateway 192.0.2.1 behind it. The slaves' peers in {@code sw} have IPv6 turned
 * off, so that a cut slave's segment carries nothing but the frames a test sends on purpose (with
 * IPv6, their router solicitations and MLD reports made a cut standby flap at random).
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
  /** The ARP interval of the {@code arp_validate} matrix. */
  static final int INTERVAL_MS = 500;
  /** Where the stray frames come from: an address of the cut slave's peer (never the bond's, never a target). */
  static final String STRAY_SOURCE = "192.0.2.9";
  static final String BOND_ADDRESS = "192.0.2.2";
  /** Every {@code arp_validate} value, in the kernel's order. */
  static final List<String> ARP_VALIDATE =
      List.of("none", "active", "backup", "all", "filter", "filter_active", "filter_backup");

  private final Fidelity fidelity = new Fidelity("arp monitor");
  private final Map<String, InterfaceName> cutSlave = new HashMap<>();
  private final Map<String, String> strayOutcomes = new LinkedHashMap<>();
  private Twin real;
  private Twin sim;

  /**
   * One kernel: its network through the SDK, how the network behind a slave is cut, how a frame
   * reaches a slave from its own segment, how time passes.
   */
  private record Twin(String name, Network net, Cut cut, Stray stray, Runnable tick) {
    BondStatus status() {
      return net.bond(BOND).status();
    }

    BondStatus until(String what, Predicate<BondStatus> done) {
      return Poll.until(what + " on the " + name + " kernel", PATIENCE, tick, this::status, done);
    }

    /** Whether {@code seen} held at some look while the bond was watched for {@code d}. */
    boolean seenWithin(Duration d, Predicate<BondStatus> seen) {
      long end = System.nanoTime() + d.toNanos();
      for (long i = 0; i <= d.toMillis() / 100 && System.nanoTime() <= end; i++) {
        if (seen.test(status())) {
          return true;
        }
        tick.run();
      }
      return false;
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

  /** Sends one frame to a slave from its own segment (its veth peer), not from an ARP target. */
  private interface Stray {
    void frame(InterfaceName slave, StrayFrame frame);
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
      host.execute("ip", "netns", "exec", "sw", "sysctl", "-w", "net.ipv6.conf." + peer + ".disable_ipv6=1");
      host.execute("ip", "-n", "sw", "link", "set", peer, "master", "brp");
      host.execute("ip", "-n", "sw", "link", "set", peer, "up");
    }
    real = new Twin("real", Network.on(host, Network.Backend.IPROUTE2), (slave, working) -> {
      if (working) {
        host.execute("ip", "-n", "sw", "addr", "flush", "dev", peer(slave));
        host.execute("ip", "-n", "sw", "neigh", "flush", "dev", peer(slave));
        host.execute("ip", "-n", "sw", "link", "set", peer(slave), "master", "brp");
      } else {
        host.execute("ip", "-n", "sw", "link", "set", peer(slave), "nomaster");
      }
    }, (slave, frame) -> {
      // the peer, out of the switch, sends from an address of its own: an ICMP echo to the bond's
      // address (its MAC given, so no ARP goes first), or a neighbour's ARP request for a stranger
      // (bash, whose PATH finds iproute2 where busybox sh would run its own applets; in the background: both wait a second for an answer that never comes, while the frame's
      // effect lasts only a few intervals)
      String p = peer(slave);
      host.execute("ip", "-n", "sw", "addr", "replace", STRAY_SOURCE + "/24", "dev", p);
      String send = frame == StrayFrame.ARP
          ? "arping -c 1 -w 1 -I " + p + " 192.0.2.99"
          : "ping -c 1 -W 1 " + BOND_ADDRESS;
      if (frame == StrayFrame.OTHER) {
        String mac = host.execute("cat", "/sys/class/net/" + BOND + "/address").stdout().strip();
        host.execute("ip", "-n", "sw", "neigh", "replace", BOND_ADDRESS, "lladdr", mac, "dev", p, "nud", "permanent");
      }
      host.execute("bash", "-c", "ip netns exec sw " + send + " </dev/null >/dev/null 2>&1 &");
    }, Poll.REAL_TIME);

    SimulatedKernel k = SimulatedKernel.create(simRoot, HostName.of("lab-sim"), SimulatedSan.create());
    SimulatedNetworkTools.install(k);
    for (InterfaceName s : List.of(A, B)) {
      k.net().createVethPair(s, InterfaceName.of(peer(s)));
      k.net().setUp(InterfaceName.of(peer(s)), true);
    }
    sim = new Twin("simulated", Network.on(k.host(), Network.Backend.IPROUTE2),
        (slave, working) -> k.net().setUpstream(slave, working), (slave, frame) -> k.net().receiveStray(slave, frame),
        () -> k.advance(Duration.ofMillis(100)));
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
          .up(BOND).addAddress(BOND, Ipv4Address.of(BOND_ADDRESS), 24).apply();
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

  /**
   * The {@code arp_validate} matrix: for each value, set on the running ARP monitor, the network
   * behind the standby cut, then one frame of each kind from the standby's own segment. What Linux
   * 6.1 does follows {@code bond_rcv_validate()}: a standby the value does not validate counts the
   * frame as traffic, comes up and goes down again some intervals later (one more link failure) —
   * any frame, or with a {@code filter} value only an ARP packet; a validated standby counts neither
   * and stays down. The views name the slaves by role (which slave is active differs with the
   * history of the bond, see the class comment of the simulated kernel's network).
   */
  @Test
  @Order(3)
  void aCutStandbyAndStrayFramesUnderEveryArpValidate() {
    for (String v : ARP_VALIDATE) {
      both(v + ": set on the running ARP monitor", t -> {
        InterfaceName active = t.status().activeSlave().orElseThrow();
        t.net().bond(BOND).reconfigure(BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).miimon(0)
            .arpInterval(INTERVAL_MS).addArpIpTargets(GATEWAY).arpValidate(v).build());
        return roles(t.until("both slaves up", s -> s.slavesWithLink().size() == 2), active);
      });
      both(v + ": the network behind the standby cut", t -> {
        InterfaceName active = t.status().activeSlave().orElseThrow();
        t.cut().upstream(standby(active), false);
        return roles(t.until("the cut standby down",
            s -> s.slave(standby(active)).orElseThrow().link() == SlaveLinkState.DOWN), active);
      });
      for (StrayFrame frame : StrayFrame.values()) {
        String outcome = both(v + ": " + frame + " frame on the cut standby", t -> {
          InterfaceName active = t.status().activeSlave().orElseThrow();
          InterfaceName cut = standby(active);
          long failures = t.status().slave(cut).orElseThrow().linkFailures();
          t.stray().frame(cut, frame);
          // up within an interval, down again about four later: watched for five (a slow look may
          // miss the up, never the link failure it ends with)
          boolean seenUp = t.seenWithin(Duration.ofMillis(5L * INTERVAL_MS),
              s -> s.slave(cut).orElseThrow().link() == SlaveLinkState.UP);
          BondStatus after = t.until("the cut standby down", s -> s.slave(cut).orElseThrow().link() == SlaveLinkState.DOWN);
          long more = after.slave(cut).orElseThrow().linkFailures() - failures;
          return (seenUp || more > 0 ? "came up and went down again" : "stayed down") + ", link failures +" + more
              + "; " + roles(after, active);
        });
        strayOutcomes.put(v + " " + frame, outcome.replaceAll("; .*", ""));
      }
      both(v + ": restored", t -> {
        InterfaceName active = t.status().activeSlave().orElseThrow();
        t.cut().upstream(standby(active), true);
        return roles(t.until("both slaves up", s -> s.slavesWithLink().size() == 2), active);
      });
    }
    String flap = "came up and went down again, link failures +1";
    String down = "stayed down, link failures +0";
    Map<String, String> expected = new LinkedHashMap<>();
    for (String v : ARP_VALIDATE) {
      boolean validated = v.equals("backup") || v.equals("all") || v.equals("filter_backup");
      expected.put(v + " " + StrayFrame.ARP, validated ? down : flap);
      expected.put(v + " " + StrayFrame.OTHER, validated || v.startsWith("filter") ? down : flap);
    }
    assertThat(strayOutcomes).as("what the real kernel made of the frames").containsExactlyInAnyOrderEntriesOf(expected);
  }

  private static InterfaceName standby(InterfaceName active) {
    return active.equals(A) ? B : A;
  }

  /** The bond by roles: whether the slave that was active still is, and each slave's link. */
  private static String roles(BondStatus s, InterfaceName wasActive) {
    InterfaceName other = standby(wasActive);
    return "monitor " + s.monitor() + ", arp_validate " + s.arpValidate() + ", active "
        + s.activeSlave().map(a -> a.equals(wasActive) ? "unchanged" : "moved to the standby").orElse("none")
        + ", active slave " + s.slave(wasActive).orElseThrow().link() + ", standby " + s.slave(other).orElseThrow().link();
  }
}
