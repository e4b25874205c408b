package dev.midplane.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.sysfs.BondDevice;
import dev.midplane.sysfs.BondMode;
import dev.midplane.sysfs.Bonding;
import dev.midplane.sysfs.ProcBonding;
import dev.midplane.sysfs.SlaveLinkState;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.sysfs.sim.SimulatedKernel;
import dev.midplane.sysfs.sim.SimulatedSan;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
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
 * An active-backup bond built through the bonding driver's sysfs files on the real kernel (veth
 * slaves), with the refusals the driver answers, failover on carrier loss, and
 * {@code /proc/net/bonding} read by the sysfs module's parser. Each step is repeated on the
 * simulated kernel and compared.
 */
@RequiresReal(tools = QemuCommandLine.PROGRAM, root = true)
@ExtendWith(LabExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BondingIT {
  static final InterfaceName BOND = InterfaceName.of("bond0");
  static final InterfaceName SPARE = InterfaceName.of("bond1");
  static final InterfaceName A = InterfaceName.of("veth0a");
  static final InterfaceName A_PEER = InterfaceName.of("veth0b");
  static final InterfaceName B = InterfaceName.of("veth1a");
  static final InterfaceName B_PEER = InterfaceName.of("veth1b");
  static final InterfaceName MISSING = InterfaceName.of("nosuch0");
  static final Duration FAILOVER = Duration.ofSeconds(20);

  private final Fidelity fidelity = new Fidelity("bonding");
  private Twin real;
  private Twin sim;

  /** One kernel as the steps see it: its host and how its links are switched. */
  private record Twin(String name, Host host, Links links, Runnable tick) {
    Bonding bonding() {
      return Sysfs.on(host).bonding();
    }

    ProcBonding proc(InterfaceName bond) {
      return Sysfs.on(host).procBonding(bond);
    }

    String read(String path) {
      return LabExtension.read(host, path);
    }

    boolean exists(String path) {
      return Files.exists(host.path(path), LinkOption.NOFOLLOW_LINKS);
    }
  }

  /**
   * The reasons of the SDK's refusal to act on a device in use, without the message's host name (which
   * differs between the kernels); fails when it did not refuse.
   */
  private static String refusedForInUse(Runnable action) {
    try {
      action.run();
    } catch (UnsafeOperationException e) {
      return String.join("; ", e.reasons());
    }
    throw new AssertionError("expected a refusal, but the operation went ahead");
  }

  /** {@code ip link} on the real kernel, the Java API on the simulated one. */
  private interface Links {
    void addVethPair(InterfaceName a, InterfaceName b);

    void addDummy(InterfaceName name);

    void setUp(InterfaceName name, boolean up);
  }

  @BeforeAll
  void twoKernels(Host host, @TempDir Path simRoot) {
    host.execute(Command.builder("modprobe", "bonding").timeout(Duration.ofSeconds(60)).build());
    real = new Twin("real", host, new Links() {
      @Override
      public void addVethPair(InterfaceName a, InterfaceName b) {
        host.execute("ip", "link", "add", a.value(), "type", "veth", "peer", "name", b.value());
      }

      @Override
      public void addDummy(InterfaceName name) {
        host.execute("ip", "link", "add", name.value(), "type", "dummy");
      }

      @Override
      public void setUp(InterfaceName name, boolean up) {
        host.execute("ip", "link", "set", "dev", name.value(), up ? "up" : "down");
      }
    }, Poll.REAL_TIME);
    SimulatedKernel k = SimulatedKernel.create(simRoot, HostName.of("lab-sim"), SimulatedSan.create());
    sim = new Twin("simulated", k.host(), new Links() {
      @Override
      public void addVethPair(InterfaceName a, InterfaceName b) {
        k.net().createVethPair(a, b);
      }

      @Override
      public void addDummy(InterfaceName name) {
        k.net().createDummy(name);
      }

      @Override
      public void setUp(InterfaceName name, boolean up) {
        k.net().setUp(name, up);
      }
    }, () -> k.advance(Duration.ofMillis(100)));
  }

  @AfterAll
  void tally() {
    fidelity.verify();
  }

  /** Runs a step on both kernels, compares the outcomes and returns the real one. */
  private <T> T both(String step, Function<Twin, T> action) {
    return fidelity.onBoth(step, real, sim, action);
  }

  @Test
  @Order(1)
  void bondsAreCreatedThroughBondingMastersOnce() {
    assertThat(this.<String>both("bonding_masters after loading the module", t -> t.read("/sys/class/net/bonding_masters"))).isEmpty();
    both("two veth pairs", t -> {
      t.links.addVethPair(A, A_PEER);
      t.links.addVethPair(B, B_PEER);
      return "ok";
    });

    assertThat(this.<String>both("create bond0", t -> Refusal.of(() -> t.bonding().createBond(BOND)))).isEqualTo("ok");
    assertThat(this.<String>both("create bond0 again", t -> Refusal.of(() -> t.bonding().createBond(BOND)))).isEqualTo("EEXIST");
    assertThat(this.<String>both("bonding_masters", t -> t.read("/sys/class/net/bonding_masters"))).isEqualTo("bond0");
    assertThat(this.<String>both("mode active-backup while down and empty",
        t -> Refusal.of(() -> t.bonding().setMode(BOND, BondMode.ACTIVE_BACKUP)))).isEqualTo("ok");
    assertThat(this.<String>both("miimon 100", t -> Refusal.of(() -> t.bonding().setMiimon(BOND, 100)))).isEqualTo("ok");
  }

  @Test
  @Order(2)
  void slavesAreEnslavedOnlyWhileDown() {
    assertThat(this.<String>both("enslave a slave that is up", t -> {
      t.links.setUp(A, true);
      return Refusal.of(() -> t.bonding().enslave(BOND, A));
    })).isEqualTo("EPERM");
    assertThat(this.<String>both("enslave it once down", t -> {
      t.links.setUp(A, false);
      return Refusal.of(() -> t.bonding().enslave(BOND, A));
    })).isEqualTo("ok");
    assertThat(this.<String>both("enslave a second, down", t -> Refusal.of(() -> t.bonding().enslave(BOND, B)))).isEqualTo("ok");
    assertThat(this.<String>both("enslave a device that does not exist",
        t -> Refusal.of(() -> t.bonding().enslave(BOND, MISSING)))).isEqualTo("ENODEV");
    assertThat(this.<String>both("slaves", t -> t.read("/sys/class/net/bond0/bonding/slaves"))).isEqualTo("veth0a veth1a");
  }

  @Test
  @Order(3)
  void anUpBondPicksAnActiveSlaveAndProcNetBondingSaysSo() {
    Map<String, Object> v = both("bond up with both peers up: /proc/net/bonding/bond0", t -> {
      t.links.setUp(A_PEER, true);
      t.links.setUp(B_PEER, true);
      t.links.setUp(BOND, true);
      return view(Poll.until("both slaves up and one active", FAILOVER, t.tick, () -> t.proc(BOND),
          p -> p.activeSlave().isPresent() && p.slaves().stream().allMatch(s -> s.miiStatus() == SlaveLinkState.UP)));
    });

    assertThat(v).containsEntry("mode", BondMode.ACTIVE_BACKUP).containsEntry("miimon", 100)
        .containsEntry("active", "veth0a").containsEntry("slaves", "veth0a:UP veth1a:UP");
  }

  @Test
  @Order(4)
  void theDriverRefusesWhatItCannotDoWhileUp() {
    assertThat(this.<String>both("change the mode with slaves attached",
        t -> Refusal.of(() -> t.bonding().setMode(BOND, BondMode.BALANCE_RR)))).isEqualTo("ENOTEMPTY");
    assertThat(this.<String>both("make a non-slave active",
        t -> Refusal.of(() -> t.bonding().setActiveSlave(BOND, A_PEER)))).isEqualTo("EINVAL");
    assertThat(this.<String>both("release the active slave of an up bond through the SDK", t -> {
      try {
        t.bonding().release(BOND, A);
        return "released";
      } catch (UnsafeOperationException e) {
        return "refused by the SDK";
      }
    })).isEqualTo("refused by the SDK");
    assertThat(this.<String>both("mode of an up bond without slaves", t -> {
      t.bonding().createBond(SPARE);
      t.links.setUp(SPARE, true);
      return Refusal.of(() -> t.bonding().setMode(SPARE, BondMode.BALANCE_RR));
    })).isEqualTo("EBUSY");
  }

  @Test
  @Order(5)
  void activeSlaveCanBeChosenAndCarrierLossFailsOver() {
    assertThat(this.<String>both("active_slave veth1a", t -> {
      String outcome = Refusal.of(() -> t.bonding().setActiveSlave(BOND, B));
      return outcome + " -> " + t.proc(BOND).activeSlave().map(InterfaceName::value).orElse("none");
    })).isEqualTo("ok -> veth1a");

    Map<String, Object> after = both("carrier lost on the active slave (peer down)", t -> {
      t.links.setUp(B_PEER, false);
      return view(Poll.until("failover to veth0a", FAILOVER, t.tick, () -> t.proc(BOND),
          p -> p.activeSlave().filter(A::equals).isPresent() && p.slave(B).map(s -> s.miiStatus() == SlaveLinkState.DOWN).orElse(false)));
    });
    assertThat(after).containsEntry("active", "veth0a").containsEntry("slaves", "veth0a:UP veth1a:DOWN");
    assertThat(this.<Integer>both("link failures counted on veth1a",
        t -> t.proc(BOND).slave(B).orElseThrow().linkFailureCount())).isPositive();

    Map<String, Object> discovered = both("the bond as the sysfs discovery sees it", t -> bondView(t));
    assertThat(discovered).containsEntry("mode", BondMode.ACTIVE_BACKUP).containsEntry("active", "veth0a")
        .containsEntry("slaves", "veth0a:active:UP veth1a:backup:DOWN").containsEntry("slave kinds", "VIRTUAL VIRTUAL").containsEntry("bond kind", "BOND");
  }

  /**
   * Dummy slaves never lose their carrier: only taking the active one down administratively fails
   * the bond over.
   */
  @Test
  @Order(6)
  void aBondOverDummiesFailsOverWhenTheActiveSlaveIsTakenDown() {
    InterfaceName bond = InterfaceName.of("bondd");
    InterfaceName d0 = InterfaceName.of("dummy0");
    InterfaceName d1 = InterfaceName.of("dummy1");
    Map<String, Object> up = both("bond over two dummies, up", t -> {
      t.links.addDummy(d0);
      t.links.addDummy(d1);
      t.bonding().createBond(bond);
      t.bonding().setMode(bond, BondMode.ACTIVE_BACKUP);
      t.bonding().setMiimon(bond, 100);
      t.bonding().enslave(bond, d0);
      t.bonding().enslave(bond, d1);
      t.links.setUp(bond, true);
      return view(Poll.until("an active dummy", FAILOVER, t.tick, () -> t.proc(bond),
          p -> p.activeSlave().isPresent() && p.slaves().stream().allMatch(s -> s.miiStatus() == SlaveLinkState.UP)));
    });
    assertThat(up).containsEntry("active", "dummy0").containsEntry("slaves", "dummy0:UP dummy1:UP");

    Map<String, Object> after = both("active dummy taken down", t -> {
      t.links.setUp(d0, false);
      return view(Poll.until("failover to dummy1", FAILOVER, t.tick, () -> t.proc(bond),
          p -> p.activeSlave().filter(d1::equals).isPresent()));
    });
    assertThat(after).containsEntry("active", "dummy1");
    assertThat(this.<String>both("the SDK refuses to delete a bond with slaves", t -> refusedForInUse(() -> t.bonding().deleteBond(bond))))
        .contains("has slaves: dummy0 dummy1");
    assertThat(this.<String>both("delete the dummy bond anyway", t -> Refusal.of(() -> t.bonding().deleteBondEvenIfInUse(bond))))
        .isEqualTo("ok");
  }

  @Test
  @Order(7)
  void aBondIsDeletedThroughBondingMasters() {
    assertThat(this.<String>both("the SDK refuses to delete bond0 while it has slaves", t -> refusedForInUse(() -> t.bonding().deleteBond(BOND))))
        .contains("has slaves");
    assertThat(this.<String>both("delete bond0 and bond1 anyway", t -> Refusal.of(() -> {
      t.bonding().deleteBondEvenIfInUse(BOND);
      t.bonding().deleteBondEvenIfInUse(SPARE);
    }))).isEqualTo("ok");
    assertThat(this.<Boolean>both("the kernel released bond0's slaves", t -> t.exists("/sys/class/net/" + A + "/master")))
        .isFalse();
    assertThat(this.<String>both("bonding_masters at the end", t -> t.read("/sys/class/net/bonding_masters"))).isEmpty();
    assertThat(this.<String>both("the kernel refuses to delete it again", t -> Refusal.of(() -> t.bonding().deleteBondEvenIfInUse(BOND))))
        .isEqualTo("ENODEV");
    assertThat(this.<String>both("the SDK reports it missing", t -> {
      try {
        t.bonding().deleteBond(BOND);
        return "deleted";
      } catch (dev.midplane.core.NotFoundException e) {
        return "not found";
      }
    })).isEqualTo("not found");
    assertThatThrownBy(() -> real.proc(BOND)).isInstanceOf(dev.midplane.core.NotFoundException.class);
  }

  /** What the sysfs module's network discovery says of bond0 and its slaves. */
  private static Map<String, Object> bondView(Twin t) {
    long start = System.nanoTime();
    Topology topology = Sysfs.on(t.host).discover().storage(false).call();
    LabExtension.record(String.format(java.util.Locale.ROOT, "BondingIT network discovery on the %s kernel %.2f s (%d file operations)",
        t.name, (System.nanoTime() - start) / 1e9, topology.stats().operations()));
    BondDevice b = topology.bond(BOND).orElseThrow(() -> new AssertionError(t.name + ": discovery found no bond0"));
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("mode", b.mode());
    v.put("miimon", b.miimon());
    v.put("active", b.activeSlave().map(InterfaceName::value).orElse("none"));
    v.put("slaves", String.join(" ", b.slaves().stream()
        .map(s -> s.name().value() + ":" + (s.active() ? "active" : "backup") + ":" + s.miiStatus()).toList()));
    v.put("slave kinds", String.join(" ", b.slaves().stream()
        .map(s -> topology.netDevice(s.name()).map(d -> d.kind().name()).orElse("missing")).toList()));
    v.put("bond kind", topology.netDevice(BOND).map(d -> d.kind().name()).orElse("missing"));
    return v;
  }

  /** What /proc/net/bonding says that both kernels should agree on. */
  private static Map<String, Object> view(ProcBonding p) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("mode", p.mode());
    v.put("miimon", p.miimon());
    v.put("active", p.activeSlave().map(InterfaceName::value).orElse("none"));
    v.put("mii", p.miiUp());
    v.put("slaves", String.join(" ", p.slaves().stream().map(s -> s.name().value() + ":" + s.miiStatus()).toList()));
    return v;
  }
}
