package dev.midplane.network;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.PlanReport;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A live handle on one bridge of a host. It may name a bridge that does not exist yet ({@link
 * #create}); {@link #status()} reads it fresh each time. Each change is a one-step-or-more plan,
 * verified and rolled back like any other (see {@link NetworkChange}, including its refusal to
 * cut the management connection).
 */
public final class Bridge {
  private final Network network;
  private final InterfaceName name;

  Bridge(Network network, InterfaceName name) {
    this.network = network;
    this.name = Objects.requireNonNull(name, "name");
  }

  public InterfaceName name() {
    return name;
  }

  public boolean exists() {
    return find().isPresent();
  }

  private Optional<BridgeStatus> find() {
    return network.bridges().stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /** The bridge now. @throws NotFoundException when there is no such bridge */
  public BridgeStatus status() {
    return find().orElseThrow(() -> new NotFoundException("bridge", name.value(), "on " + network.host().name()));
  }

  public List<InterfaceName> ports() {
    return status().ports();
  }

  /**
   * Each port's STP state ({@code forwarding}, {@code disabled}, …) from iproute2's {@code bridge
   * -j link}, whichever backend the network uses: a vif that is not {@code forwarding} passes no
   * traffic.
   */
  public java.util.Map<InterfaceName, String> portStates() {
    java.util.Map<InterfaceName, String> m = new java.util.TreeMap<>();
    IpJson.bridgePorts(network.host().execute(dev.midplane.core.exec.Command.of("bridge", "-j", "link")).stdout())
        .stream().filter(p -> p.bridge().equals(name)).forEach(p -> m.put(p.port(), p.state()));
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Creates the bridge and sets it up. */
  public PlanReport create(BridgeOptions options) {
    return network.change("create bridge " + name).createBridge(name, options).up(name).apply();
  }

  /** Makes {@code port} a port of this bridge. */
  public PlanReport attach(InterfaceName port) {
    return network.change("attach " + port + " to " + name).attach(port, name).apply();
  }

  /** Takes {@code port} out of this bridge. @throws NotFoundException when it is not a port of it */
  public PlanReport detach(InterfaceName port) {
    if (!ports().contains(port)) {
      throw new NotFoundException("port", port.value(), "not a port of bridge " + name);
    }
    return network.change("detach " + port + " from " + name).detach(port).apply();
  }

  /** Deletes the bridge; its ports are released. */
  public PlanReport delete() {
    return network.change("delete bridge " + name).deleteBridge(name).apply();
  }

  @Override
  public String toString() {
    return "bridge " + name + " on " + network.host().name();
  }
}
