package dev.midplane.network;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanReport;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A live handle on one bond of a host; it may name a bond that does not exist yet ({@link
 * #create}). {@link #status()} reads it fresh each time. Every change is a plan — verified against
 * the kernel (options are read back), rolled back on failure — through the network's backend
 * (iproute2, or the bonding driver's sysfs files), with {@link NetworkChange}'s refusals: the active
 * slave of an up bond, and its last slave with link, are not removed unless allowed.
 *
 * <pre>{@code
 * Bond bond0 = Network.on(host).bond("bond0");
 * bond0.status().activeSlave();                 // eth0
 * bond0.failoverTo(InterfaceName.of("eth1"));   // verified: eth1 is active afterwards
 * bond0.release(InterfaceName.of("eth1"));      // refused: eth1 is now the active slave
 * }</pre>
 */
public final class Bond {
  private final Network network;
  private final InterfaceName name;

  Bond(Network network, InterfaceName name) {
    this.network = network;
    this.name = Objects.requireNonNull(name, "name");
  }

  public InterfaceName name() {
    return name;
  }

  public boolean exists() {
    return find(network.linkBackend().read(network.host())).isPresent();
  }

  private Optional<BondStatus> find(LiveState live) {
    return live.link(name).filter(l -> l.bond().isPresent())
        .map(l -> BondStatus.of(l, List.copyOf(live.links().values())));
  }

  /** The bond now. @throws NotFoundException when there is no such bond */
  public BondStatus status() {
    return find(network.linkBackend().read(network.host()))
        .orElseThrow(() -> new NotFoundException("bond", name.value(), "there is no such bond on " + network.host().name()));
  }

  /** The slaves, in the order they were enslaved. */
  public List<InterfaceName> slaves() {
    return status().slaves().stream().map(BondStatus.SlaveStatus::name).toList();
  }

  /** The slave the bond sends through now (active-backup, tlb, alb); empty when none is. */
  public Optional<InterfaceName> activeSlave() {
    return status().activeSlave();
  }

  /** Creates the bond with {@code options}, enslaves {@code slaves} (setting them down first) and sets it up. */
  public PlanReport create(BondOptions options, InterfaceName... slaves) {
    NetworkChange c = network.change("create bond " + name).createBond(name, options);
    for (InterfaceName s : slaves) {
      c.enslave(s, name);
    }
    return c.up(name).apply();
  }

  /** Deletes the bond (the kernel releases its slaves). Refused when that cuts management. */
  public PlanReport delete() {
    return network.change("delete bond " + name).deleteBond(name).apply();
  }

  /** Makes {@code nic} a slave (setting it down first when it is up, as the kernel wants). */
  public PlanReport enslave(InterfaceName nic) {
    return network.change("enslave " + nic + " to " + name).enslave(nic, name).apply();
  }

  /**
   * Releases {@code slave}.
   *
   * @throws UnsafeOperationException when it is the active slave of the bond while the bond is up
   *     (fail over first), or the last slave whose link is up
   * @throws NotFoundException when it is not a slave of this bond
   */
  public PlanReport release(InterfaceName slave) {
    requireSlave(slave);
    return network.change("release " + slave + " from " + name).release(slave).apply();
  }

  /** Releases {@code slave} even when it is the active one (traffic moves to another slave). */
  public PlanReport releaseEvenIfActive(InterfaceName slave) {
    requireSlave(slave);
    return network.change("release " + slave + " from " + name).release(slave).allowFailover().apply();
  }

  private void requireSlave(InterfaceName slave) {
    if (!slaves().contains(slave)) {
      throw new NotFoundException("slave", slave.value(), "not a slave of " + name + " on " + network.host().name());
    }
  }

  /**
   * Makes {@code slave} the active slave; verified by reading the active slave back.
   *
   * @throws UnsafeOperationException when the bond's mode has no active slave, {@code slave} is not
   *     one of its slaves, or its link is down (the kernel refuses those)
   */
  public PlanReport failoverTo(InterfaceName slave) {
    return network.change("fail " + name + " over to " + slave).failover(name, slave).apply();
  }

  /** The plan that gives the bond {@code desired}'s options (see {@link NetworkChange#reconfigureBond}). */
  public Plan reconfigurePlan(BondOptions desired) {
    return network.change("reconfigure bond " + name).reconfigureBond(name, desired).plan();
  }

  /** Gives the bond {@code desired}'s options, each read back from the kernel after it is set. */
  public PlanReport reconfigure(BondOptions desired) {
    return reconfigurePlan(desired).apply();
  }

  @Override
  public String toString() {
    return "bond " + name + " on " + network.host().name();
  }
}
