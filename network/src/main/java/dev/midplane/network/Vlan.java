package dev.midplane.network;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.PlanReport;
import java.util.Objects;
import java.util.Optional;

/**
 * A live handle on one 802.1Q device, {@code parent.id} (for example {@code bond0.100}), which
 * need not exist yet. Changes are plans with {@link NetworkChange}'s refusals.
 */
public final class Vlan {
  private final Network network;
  private final InterfaceName parent;
  private final int id;
  private final InterfaceName name;

  Vlan(Network network, InterfaceName parent, int id) {
    this.network = network;
    this.parent = Objects.requireNonNull(parent, "parent");
    this.name = InterfaceName.of(parent.value() + "." + id);
    new LinkChange.CreateVlan(name, parent, id); // checks the id
    this.id = id;
  }

  public InterfaceName name() {
    return name;
  }

  public InterfaceName parent() {
    return parent;
  }

  public int id() {
    return id;
  }

  public boolean exists() {
    return find().isPresent();
  }

  private Optional<Link> find() {
    return network.link(name).filter(l -> l.vlan().isPresent());
  }

  /** The device now. @throws NotFoundException when there is no such VLAN device */
  public Link status() {
    return find().orElseThrow(() -> new NotFoundException("VLAN", name.value(), "there is no such VLAN device on "
        + network.host().name()));
  }

  /** Creates the device on its parent and sets it up (the kernel wants the parent up for that). */
  public PlanReport create() {
    return network.change("create VLAN " + name).createVlan(parent, id).up(name).apply();
  }

  /** Creates the device, makes it a port of {@code bridge} and sets it up. */
  public PlanReport createIn(InterfaceName bridge) {
    return network.change("create VLAN " + name + " in " + bridge).createVlan(parent, id).attach(name, bridge).up(name)
        .apply();
  }

  public PlanReport delete() {
    return network.change("delete VLAN " + name).deleteLink(name).apply();
  }

  @Override
  public String toString() {
    return "VLAN " + name + " on " + network.host().name();
  }
}
