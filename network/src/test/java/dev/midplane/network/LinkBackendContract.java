package dev.midplane.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.files.AttributeWriteException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.sysfs.SlaveLinkState;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LinkBackend} must do, on whatever kernel it runs: bonds with their options read
 * back, slaves, failover, the refusals, option changes between MII and ARP monitoring, a VLAN on a
 * bond in a bridge, and rollback when the kernel refuses a step. Subclasses give a host (the
 * simulated kernel with the simulated tools, or a real kernel in the lab), the backend, and how to
 * make veth pairs and flip their far ends outside the SDK.
 *
 * <p>Each test uses device names of its own and deletes what it made, so all can share one kernel.
 * Slaves are veths whose far end the test sets up or down: that is their carrier.
 *
 * <p>Each test also reports what it saw at each step through {@link #saw}, as a kernel-neutral view
 * (see {@link #view(BondStatus)}, {@link #view(Link)}, {@link #refusal(Throwable)}): the lab runs
 * every test on a real kernel and on the simulated one and compares those views step by step.
 */
public abstract class LinkBackendContract {
  /** The network under test, through the backend under test. */
  protected abstract Network network();

  /** Creates a veth pair {@code a}–{@code b}, both down, without the SDK. */
  protected abstract void addVethPair(String a, String b);

  /** Sets a device up or down without the SDK (the far end of a slave: its carrier). */
  protected abstract void setUp(String device, boolean up);

  /** Deletes a device without the SDK, if it exists. */
  protected abstract void deleteQuietly(String device);

  /** Lets the kernel's link monitors act: a real kernel on its own time, a simulated one when its clock moves. */
  protected abstract void tick();

  /**
   * Reports what the test saw at one step, as a view both kernels must show alike: no MAC
   * addresses, ifindexes, host names, failure counts or timings. Called in the same order with the
   * same step names on every kernel. Does nothing here; a subclass that compares kernels records.
   */
  protected void saw(String step, String view) {}

  /**
   * A bond as every kernel must show it: mode, monitor and its options, the active slave, whether
   * it is up and has carrier, and each slave's link as the monitor sees it ({@code :active} on the
   * active one). Failure counts and permanent addresses are left out: they legitimately differ.
   */
  protected static String view(BondStatus s) {
    return settings(s) + ", active " + s.activeSlave().map(InterfaceName::value).orElse("none") + ", "
        + (s.carrier() ? "carrier" : "no carrier") + ", links [" + String.join(" ", s.slaves().stream()
            .map(x -> x.name() + ":" + x.link() + (x.active() ? ":active" : "")).toList()) + "]";
  }

  /**
   * A bond's settings only: mode, monitor and its options, up or down, and its slaves' names —
   * for a step after which the slaves' links are not the kernel's to settle alone (see its caller).
   */
  protected static String settings(BondStatus s) {
    return "mode " + s.mode() + ", monitor " + s.monitor() + " (miimon " + s.miimon() + " updelay " + s.updelay()
        + " downdelay " + s.downdelay() + " arp_interval " + s.arpInterval() + " targets " + s.arpIpTargets()
        + " arp_validate " + s.arpValidate() + " fail_over_mac " + s.failOverMac() + " primary "
        + s.primary().map(InterfaceName::value).orElse("none") + "), " + (s.up() ? "up" : "down") + ", slaves "
        + s.slaves().stream().map(BondStatus.SlaveStatus::name).toList();
  }

  /** A link as every kernel must show it: kind, up or down, master, lower device and VLAN id; no index or address. */
  protected static String view(Link l) {
    return l.name() + " kind " + l.kind().orElse("none") + ", " + (l.isUp() ? "up" : "down") + ", master "
        + l.master().map(InterfaceName::value).orElse("none") + ", lower "
        + l.lower().map(InterfaceName::value).orElse("none")
        + l.vlan().map(v -> ", vlan " + v.protocol() + " " + v.id()).orElse("");
  }

  /**
   * A refusal as every kernel must show it: the exception's class and its reasons (a refused
   * {@link UnsafeOperationException}'s reasons without the host's name; a refused write's errno; a
   * failed command's exit code and first line of stderr; a failed plan's step fates and its cause).
   */
  protected static String refusal(Throwable e) {
    String kind = e.getClass().getSimpleName();
    if (e instanceof UnsafeOperationException u) {
      return kind + ": " + String.join("; ", u.reasons());
    }
    if (e instanceof PlanFailedException p) {
      return kind + ": " + String.join(", ", p.report().steps().stream()
          .map(x -> (x.index() + 1) + " " + x.status()).toList())
          + p.report().failure().map(c -> ", cause " + refusal(c)).orElse("");
    }
    if (e instanceof AttributeWriteException a) {
      return kind + ": " + a.errno().map(Enum::name).orElse("no errno");
    }
    if (e instanceof CommandFailedException c) {
      return kind + ": exit " + (c.exitCode().isPresent() ? c.exitCode().getAsInt() : "none") + ", " + c.stderrTail().strip().lines().findFirst().orElse("no stderr");
    }
    return kind;
  }

  /** How long a real kernel gets to act before a wait fails. */
  protected Duration patience() {
    return Duration.ofSeconds(20);
  }

  protected static InterfaceName n(String name) {
    return InterfaceName.of(name);
  }

  /** The first value of {@code look} that satisfies {@code done}, looking again after each tick. */
  protected <T> T eventually(String what, Supplier<T> look, Predicate<T> done) {
    long end = System.nanoTime() + patience().toNanos();
    T last = look.get();
    for (int i = 0; !done.test(last); i++) {
      if (i >= patience().toMillis() / 100 || System.nanoTime() > end) {
        throw new AssertionError("waited " + patience() + " for " + what + "; last seen: " + last);
      }
      tick();
      last = look.get();
    }
    return last;
  }

  /** A bond over two veths whose far ends are up, itself up, with both slaves' links up. */
  protected Bond bondOverTwoVeths(String prefix, BondOptions options) {
    addVethPair(prefix + "a", prefix + "ap");
    addVethPair(prefix + "b", prefix + "bp");
    setUp(prefix + "ap", true);
    setUp(prefix + "bp", true);
    Bond bond = network().bond(prefix + "bond");
    bond.create(options, n(prefix + "a"), n(prefix + "b"));
    eventually("both slaves of " + bond.name() + " up", bond::status, s -> s.slavesWithLink().size() == 2);
    return bond;
  }

  protected void cleanUp(String prefix) {
    deleteQuietly(prefix + "bond");
    deleteQuietly(prefix + "a");
    deleteQuietly(prefix + "b");
  }

  @Test
  void aBondIsCreatedWithItsOptionsReadBackFromTheKernel() {
    try {
      BondOptions options = BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).miimon(100).updelay(200)
          .downdelay(100).build();
      Bond bond = bondOverTwoVeths("k1", options);
      BondStatus s = bond.status();
      saw("k1bond created over k1a and k1b", view(s));
      assertThat(s.mode()).isEqualTo(BondOptions.Mode.ACTIVE_BACKUP);
      assertThat(s.monitor()).isEqualTo(BondStatus.Monitor.MII);
      assertThat(List.of(s.miimon(), s.updelay(), s.downdelay())).containsExactly(100, 200, 100);
      assertThat(s.slaves()).extracting(BondStatus.SlaveStatus::name).containsExactly(n("k1a"), n("k1b"));
      assertThat(s.activeSlave()).contains(n("k1a"));
      assertThat(s.slave(n("k1a")).orElseThrow().active()).isTrue();
      assertThat(s.slave(n("k1b")).orElseThrow().active()).isFalse();
      assertThat(s.up()).isTrue();
      assertThat(s.carrier()).isTrue();
      assertThat(s.options()).isEqualTo(BondOptions.builder().from(options).arpInterval(0).arpValidate("none")
          .failOverMac("none").build());
      assertThat(network().bonds()).extracting(BondStatus::name).contains(n("k1bond"));
      saw("the bonds listed", "k1bond listed: "
          + network().bonds().stream().anyMatch(b -> b.name().equals(n("k1bond"))));

      bond.delete();
      saw("k1bond deleted", "exists " + bond.exists() + ", "
          + network().link(n("k1a")).map(LinkBackendContract::view).orElse("k1a absent"));
      assertThat(bond.exists()).isFalse();
      assertThat(network().link(n("k1a"))).hasValueSatisfying(l -> assertThat(l.master()).isEmpty());
    } finally {
      cleanUp("k1");
    }
  }

  @Test
  void failoverMovesTheActiveSlaveAndOnlyToASlaveWithLink() {
    try {
      Bond bond = bondOverTwoVeths("k2", BondOptions.activeBackup(100));
      bond.failoverTo(n("k2b"));
      saw("failed over to k2b", view(bond.status()));
      assertThat(bond.activeSlave()).contains(n("k2b"));
      assertThat(bond.status().slave(n("k2b")).orElseThrow().active()).isTrue();

      assertThatThrownBy(() -> bond.failoverTo(n("k2ap"))).satisfies(e -> saw("fail over to k2ap", refusal(e)))
          .isInstanceOf(UnsafeOperationException.class)
          .hasMessageContaining("k2ap is not a slave of k2bond");
      setUp("k2ap", false); // k2a loses its carrier
      BondStatus after = eventually("k2a down", bond::status,
          s -> s.slave(n("k2a")).map(x -> x.link() == SlaveLinkState.DOWN).orElse(false));
      saw("k2a lost its carrier", view(after));
      assertThat(after.slave(n("k2a")).orElseThrow().linkFailures()).isPositive();
      assertThatThrownBy(() -> bond.failoverTo(n("k2a"))).satisfies(e -> saw("fail over to k2a", refusal(e)))
          .isInstanceOf(UnsafeOperationException.class)
          .hasMessageContaining("the link of k2a is down");
      saw("after the refusals", view(bond.status()));
      assertThat(bond.activeSlave()).contains(n("k2b"));
    } finally {
      cleanUp("k2");
    }
  }

  @Test
  void theActiveSlaveAndTheLastSlaveWithLinkAreNotRemovedUnlessAllowed() {
    try {
      Bond bond = bondOverTwoVeths("k3", BondOptions.activeBackup(100));
      assertThatThrownBy(() -> bond.release(n("k3a"))).satisfies(e -> saw("release k3a", refusal(e)))
          .isInstanceOf(UnsafeOperationException.class)
          .hasMessageContaining("it is the active slave of k3bond; traffic would move to k3b");
      assertThatThrownBy(() -> network().change("down").down(n("k3a")).plan())
          .satisfies(e -> saw("set k3a down", refusal(e)))
          .isInstanceOf(UnsafeOperationException.class).hasMessageContaining("active slave");
      bond.release(n("k3b"));
      saw("k3b released", view(bond.status()));
      assertThat(bond.slaves()).containsExactly(n("k3a"));
      assertThatThrownBy(() -> bond.releaseEvenIfActive(n("k3a")))
          .satisfies(e -> saw("release k3a even if active", refusal(e))).isInstanceOf(UnsafeOperationException.class)
          .hasMessageContaining("last slave of k3bond whose link is up");
      assertThat(bond.slaves()).containsExactly(n("k3a"));

      network().change("empty the bond").release(n("k3a")).allowFailover().allowLosingCarrier().apply();
      saw("k3bond emptied", view(bond.status()));
      assertThat(bond.status().slaves()).isEmpty();
      assertThat(bond.status().carrier()).isFalse();
    } finally {
      cleanUp("k3");
    }
  }

  @Test
  void monitoringMovesBetweenMiiAndArpOneVerifiedOptionAtATime() {
    try {
      Bond bond = bondOverTwoVeths("k4", BondOptions.activeBackup(100));
      BondOptions arp = BondOptions.builder().mode(BondOptions.Mode.ACTIVE_BACKUP).miimon(0).arpInterval(500)
          .addArpIpTargets(Ipv4Address.of("192.0.2.1"), Ipv4Address.of("192.0.2.2")).arpValidate("all").build();
      Plan plan = bond.reconfigurePlan(arp);
      saw("the plan to ARP monitoring", String.join("; ", plan.steps().stream()
          .map(s -> s.description().replaceAll(" \\[sysfs: .*", "")).toList()));
      assertThat(plan.steps()).extracting(s -> s.description().replaceAll(" \\[sysfs: .*", "")).containsExactly(
          "set the ARP targets of k4bond to 192.0.2.1,192.0.2.2", "set arp_validate of k4bond to all",
          "set arp_interval of k4bond to 500");
      plan.apply();
      BondStatus s = bond.status();
      // Not the slaves' links nor the active slave, here and below: nothing answers the targets on a
      // real kernel (the far ends are bare veths), while the simulated one answers through every
      // working upstream, and what the ARP monitor concluded by the time of the read (and so which
      // slave MII monitoring keeps active afterwards) depends on how many intervals have passed.
      saw("ARP monitoring applied", settings(s));
      assertThat(s.monitor()).isEqualTo(BondStatus.Monitor.ARP);
      assertThat(s.miimon()).isZero();
      assertThat(s.arpIpTargets()).containsExactly(Ipv4Address.of("192.0.2.1"), Ipv4Address.of("192.0.2.2"));
      assertThat(s.arpValidate()).isEqualTo("all");

      bond.reconfigure(BondOptions.activeBackup(100));
      BondStatus back = bond.status();
      saw("back to MII monitoring", settings(back));
      assertThat(back.monitor()).isEqualTo(BondStatus.Monitor.MII);
      assertThat(back.arpInterval()).isZero();
      assertThat(back.arpIpTargets()).isEmpty();
      assertThat(back.arpValidate()).isEqualTo("none");
    } finally {
      cleanUp("k4");
    }
  }

  @Test
  void aModeChangeOfABondWithSlavesIsRefusedBeforeAnythingRuns() {
    try {
      Bond bond = bondOverTwoVeths("k5", BondOptions.activeBackup(100));
      assertThatThrownBy(() -> bond.reconfigurePlan(BondOptions.builder().mode(BondOptions.Mode.BALANCE_XOR).build()))
          .satisfies(e -> saw("change the mode to balance-xor", refusal(e))).isInstanceOf(UnsafeOperationException.class)
          .hasMessageContaining("only while the bond is down and has no slaves");
      saw("after the refusal", view(bond.status()));
      assertThat(bond.status().mode()).isEqualTo(BondOptions.Mode.ACTIVE_BACKUP);
    } finally {
      cleanUp("k5");
    }
  }

  @Test
  void aVlanOnTheBondIsABridgePort() {
    try {
      Bond bond = bondOverTwoVeths("k6", BondOptions.activeBackup(100));
      network().bridge("k6br").create(BridgeOptions.xen());
      Vlan vlan = network().vlan(bond.name(), 100);
      vlan.createIn(n("k6br"));
      Link l = vlan.status();
      saw("k6bond.100 created in k6br", view(l) + ", ports of k6br " + network().bridge("k6br").ports());
      assertThat(l.vlan()).hasValueSatisfying(v -> assertThat(v.id()).isEqualTo(100));
      assertThat(l.lower()).contains(bond.name());
      assertThat(l.isUp()).isTrue();
      assertThat(network().bridge("k6br").ports()).containsExactly(n("k6bond.100"));

      assertThatThrownBy(() -> bond.delete()).satisfies(e -> saw("delete k6bond", refusal(e)))
          .isInstanceOf(UnsafeOperationException.class)
          .satisfies(e -> assertThat(((UnsafeOperationException) e).reasons()).isNotEmpty());
      vlan.delete();
      network().bridge("k6br").delete();
      saw("k6bond.100 and k6br deleted", "k6bond.100 exists " + vlan.exists() + ", k6br exists "
          + network().bridge("k6br").exists() + ", " + view(bond.status()));
      assertThat(vlan.exists()).isFalse();
    } finally {
      deleteQuietly("k6br");
      cleanUp("k6");
    }
  }

  @Test
  void aStepTheKernelRefusesRollsBackTheStepsBeforeIt() {
    try {
      network().change("an 802.3ad bond").createBond(n("k7bond"), BondOptions.builder()
          .mode(BondOptions.Mode.IEEE_802_3AD).miimon(100).build()).apply();
      saw("k7bond created", view(network().bond("k7bond").status()));
      Plan plan = network().change("a bridge, and arp_validate where the mode has none")
          .createBridge(n("k7br"), BridgeOptions.xen())
          .reconfigureBond(n("k7bond"), BondOptions.builder().mode(BondOptions.Mode.IEEE_802_3AD).arpValidate("all")
              .build())
          .plan();
      assertThatThrownBy(plan::apply).satisfies(e -> saw("apply", refusal(e))).isInstanceOf(PlanFailedException.class)
          .satisfies(e -> assertThat(((PlanFailedException) e).report().rolledBackCleanly()).isTrue());
      saw("after the rollback", "k7br exists " + network().bridge("k7br").exists() + ", "
          + view(network().bond("k7bond").status()));
      assertThat(network().bridge("k7br").exists()).isFalse();
      assertThat(network().bond("k7bond").status().arpValidate()).isEqualTo("none");
    } finally {
      deleteQuietly("k7br");
      cleanUp("k7");
    }
  }

  @Test
  void bridgesAreCreatedWithTheirPortsAndDeleted() {
    try {
      addVethPair("k8a", "k8ap");
      Bridge br = network().bridge("k8br");
      br.create(BridgeOptions.xen());
      br.attach(n("k8a"));
      saw("k8br created, k8a attached", "ports " + br.ports() + ", stp " + br.status().stp() + ", "
          + network().link(n("k8a")).map(LinkBackendContract::view).orElse("k8a absent"));
      assertThat(br.ports()).containsExactly(n("k8a"));
      assertThat(br.status().stp()).isFalse();
      br.detach(n("k8a"));
      saw("k8a detached", "ports " + br.ports() + ", "
          + network().link(n("k8a")).map(LinkBackendContract::view).orElse("k8a absent"));
      assertThat(br.ports()).isEmpty();
      br.delete();
      saw("k8br deleted", "exists " + br.exists());
      assertThat(br.exists()).isFalse();
    } finally {
      deleteQuietly("k8br");
      deleteQuietly("k8a");
    }
  }
}
