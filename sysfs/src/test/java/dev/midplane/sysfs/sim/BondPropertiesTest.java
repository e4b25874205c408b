package dev.midplane.sysfs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.sysfs.BondDevice;
import dev.midplane.sysfs.BondMode;
import dev.midplane.sysfs.BondSlave;
import dev.midplane.sysfs.Bonding;
import dev.midplane.sysfs.NetDevice;
import dev.midplane.sysfs.ProcBonding;
import dev.midplane.sysfs.SlaveLinkState;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random enslave, release, set-active, link and upstream changes, monitor switches and time on an
 * active-backup bond keep the invariants the bonding driver keeps, and every view of the bond
 * (sysfs, {@code /proc/net/bonding}, the kernel's own state) tells the same story.
 */
class BondPropertiesTest {
  sealed interface Op {}

  record Enslave(int nic, boolean downFirst) implements Op {}

  record Release(int nic) implements Op {}

  record SetActive(int nic) implements Op {}

  record Carrier(int nic, boolean on) implements Op {}

  record AdminUp(int nic, boolean up) implements Op {}

  record Upstream(int nic, boolean working) implements Op {}

  record BondUp(boolean up) implements Op {}

  record Monitor(int kind) implements Op {}

  record Primary(int nic) implements Op {}

  record Delays(int up, int down) implements Op {}

  record Advance(int ms) implements Op {}

  private static final InterfaceName BOND = InterfaceName.of("bond0");
  private static final List<InterfaceName> NICS = List.of(InterfaceName.of("eth0"), InterfaceName.of("eth1"),
      InterfaceName.of("eth2"), InterfaceName.of("eth3"));

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Integer> nic = Arbitraries.integers().between(0, 3);
    Arbitrary<Boolean> b = Arbitraries.of(true, false);
    Arbitrary<Op> op = Arbitraries.oneOf(
        Combinators.combine(nic, b).as(Enslave::new), Combinators.combine(nic, b).as(Enslave::new),
        nic.map(Release::new), nic.map(SetActive::new),
        Combinators.combine(nic, b).as(Carrier::new), Combinators.combine(nic, b).as(Carrier::new),
        Combinators.combine(nic, b).as(AdminUp::new), Combinators.combine(nic, b).as(Upstream::new),
        b.map(BondUp::new), Arbitraries.integers().between(0, 2).map(Monitor::new),
        Arbitraries.integers().between(-1, 3).map(Primary::new),
        Combinators.combine(Arbitraries.of(0, 100, 300), Arbitraries.of(0, 200)).as(Delays::new),
        Arbitraries.of(50, 100, 250, 1000).map(Advance::new));
    return op.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 100)
  void theBondingDriversInvariantsHold(@ForAll("operations") List<Op> ops) {
    try (ScratchTree scratch = new ScratchTree("bond-prop")) {
      Path dir = scratch.dir;
      SimulatedKernel k = SimulatedKernel.bareBlade(dir, HostName.of("blade1"), SimulatedSan.create());
      Sysfs sysfs = Sysfs.on(k.host());
      Bonding bonding = sysfs.bonding();
      bonding.createBond(BOND);
      bonding.setMode(BOND, BondMode.ACTIVE_BACKUP);
      bonding.setMiimon(BOND, 100);
      k.net().setUp(BOND, true);
      Map<InterfaceName, Integer> failures = new HashMap<>();
      for (Op op : ops) {
        try {
          apply(k, bonding, op);
        } catch (MidplaneException refused) {
          // the kernel may refuse (EPERM, EINVAL, EBUSY, ...); the invariants must hold all the same
        }
        check(k, sysfs, failures, op);
      }
    }
  }

  private static void apply(SimulatedKernel k, Bonding bonding, Op op) {
    SimulatedNet net = k.net();
    if (op instanceof Enslave e) {
      if (e.downFirst()) {
        net.setUp(NICS.get(e.nic()), false);
      }
      bonding.enslave(BOND, NICS.get(e.nic()));
    } else if (op instanceof Release r) {
      bonding.releaseEvenIfActive(BOND, NICS.get(r.nic()));
    } else if (op instanceof SetActive a) {
      bonding.setActiveSlave(BOND, NICS.get(a.nic()));
    } else if (op instanceof Carrier c) {
      net.setCarrier(NICS.get(c.nic()), c.on());
    } else if (op instanceof AdminUp a) {
      net.setUp(NICS.get(a.nic()), a.up());
    } else if (op instanceof Upstream u) {
      net.setUpstream(NICS.get(u.nic()), u.working());
    } else if (op instanceof BondUp b) {
      net.setUp(BOND, b.up());
    } else if (op instanceof Monitor m) {
      if (m.kind() == 0) {
        bonding.setMiimon(BOND, 100);
      } else if (m.kind() == 1) {
        bonding.setArpInterval(BOND, 200);
        if (k.net().link(BOND).orElseThrow().bond().orElseThrow().arpIpTargets().isEmpty()) {
          bonding.addArpIpTarget(BOND, Ipv4Address.of("192.0.2.1"));
        }
      } else {
        bonding.setMiimon(BOND, 0);
        bonding.setArpInterval(BOND, 0);
      }
    } else if (op instanceof Primary p) {
      bonding.setPrimary(BOND, p.nic() < 0 ? Optional.empty() : Optional.of(NICS.get(p.nic())));
    } else if (op instanceof Delays d) {
      bonding.setUpdelay(BOND, d.up());
      bonding.setDowndelay(BOND, d.down());
    } else if (op instanceof Advance a) {
      k.advance(Duration.ofMillis(a.ms()));
    }
  }

  private static void check(SimulatedKernel k, Sysfs sysfs, Map<InterfaceName, Integer> failures, Op after) {
    Topology t = sysfs.discover().storage(false).call();
    BondDevice b = t.bond(BOND).orElseThrow();
    String when = "after " + after;
    // every view agrees: sysfs as discovered, the kernel's own state, /proc/net/bonding
    assertThat(b).as(when).isEqualTo(k.net().link(BOND).orElseThrow().bond().orElseThrow());
    ProcBonding proc = sysfs.procBonding(BOND);
    assertThat(proc.activeSlave()).as(when).isEqualTo(b.activeSlave());
    assertThat(proc.miiUp()).isEqualTo(b.miiUp());
    assertThat(proc.slaves()).extracting(ProcBonding.Slave::name).containsExactlyElementsOf(b.slaves().stream().map(BondSlave::name).toList());
    assertThat(proc.slaves()).extracting(ProcBonding.Slave::miiStatus).containsExactlyElementsOf(b.slaves().stream().map(BondSlave::miiStatus).toList());
    assertThat(proc.slaves()).extracting(ProcBonding.Slave::linkFailureCount).containsExactlyElementsOf(b.slaves().stream().map(BondSlave::linkFailureCount).toList());

    // the active slave is a slave, and the only one marked active
    b.activeSlave().ifPresent(a -> assertThat(b.slaves()).extracting(BondSlave::name).as(when).contains(a));
    assertThat(b.slaves().stream().filter(BondSlave::active).map(BondSlave::name).toList()).as(when)
        .isEqualTo(b.activeSlave().map(List::of).orElse(List.of()));
    // a slave is enslaved to this bond and nowhere else, and is up; a released NIC has no master
    for (InterfaceName nic : NICS) {
      NetDevice d = t.netDevice(nic).orElseThrow();
      boolean slave = b.slave(nic).isPresent();
      assertThat(d.master()).as(when).isEqualTo(slave ? Optional.of(BOND) : Optional.empty());
      if (slave) {
        assertThat(d.address()).as("slaves take the bond's address, " + when).isEqualTo(t.netDevice(BOND).orElseThrow().address());
      }
    }
    NetDevice bond = t.netDevice(BOND).orElseThrow();
    boolean activeUsable = b.activeSlave().flatMap(b::slave)
        .map(s -> s.miiStatus() == SlaveLinkState.UP || s.miiStatus() == SlaveLinkState.GOING_DOWN).orElse(false);
    assertThat(b.miiUp()).as("carrier iff a usable active slave, " + when).isEqualTo(bond.adminUp() && activeUsable);
    if (bond.adminUp() && b.slaves().stream().anyMatch(s -> s.miiStatus() == SlaveLinkState.UP)) {
      assertThat(b.activeSlave()).as("a working slave is never left idle, " + when).isPresent();
    }
    if (bond.adminUp() && b.miimon() > 0 && b.activeSlave().isPresent()) {
      NetDevice a = t.netDevice(b.activeSlave().get()).orElseThrow();
      BondSlave s = b.slave(a.name()).orElseThrow();
      assertThat(a.carrier().orElse(false) || s.miiStatus() == SlaveLinkState.GOING_DOWN)
          .as("MII never keeps a slave without carrier active, " + when).isTrue();
    }
    // link failure counts only grow while a slave stays enslaved
    Map<InterfaceName, Integer> now = new HashMap<>();
    b.slaves().forEach(s -> now.put(s.name(), s.linkFailureCount()));
    now.forEach((n, c) -> assertThat(c).as(when).isGreaterThanOrEqualTo(failures.getOrDefault(n, 0)));
    failures.clear();
    failures.putAll(now);
  }
}
