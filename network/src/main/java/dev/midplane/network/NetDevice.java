package dev.midplane.network;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.PlanReport;
import java.util.Objects;
import java.util.Optional;

/**
 * A live handle on any network device of a host — a NIC, a veth, a vif — for what every device
 * has: its state, up and down, its master, deletion. Changes are plans with {@link
 * NetworkChange}'s refusals (a device carrying the management address, the active or last slave of
 * a bond, are not set down unless allowed).
 */
public final class NetDevice {
  private final Network network;
  private final InterfaceName name;

  NetDevice(Network network, InterfaceName name) {
    this.network = network;
    this.name = Objects.requireNonNull(name, "name");
  }

  public InterfaceName name() {
    return name;
  }

  public boolean exists() {
    return network.link(name).isPresent();
  }

  /** The device now. @throws NotFoundException when there is no such device */
  public Link status() {
    return network.link(name).orElseThrow(() -> new NotFoundException("network device", name.value(),
        "there is no such device on " + network.host().name()));
  }

  /** The bridge or bond the device is a port of. */
  public Optional<InterfaceName> master() {
    return status().master();
  }

  public PlanReport up() {
    return network.change("set " + name + " up").up(name).apply();
  }

  public PlanReport down() {
    return network.change("set " + name + " down").down(name).apply();
  }

  public PlanReport delete() {
    return network.change("delete " + name).deleteLink(name).apply();
  }

  @Override
  public String toString() {
    return "device " + name + " on " + network.host().name();
  }
}
