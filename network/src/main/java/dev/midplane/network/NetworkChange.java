package dev.midplane.network;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.network.persist.BladeLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A single-use command object collecting device changes for one {@link Plan}: each call adds a
 * change, {@link #plan()} reads the host once and builds the plan, {@link #apply()} builds and
 * applies it.
 *
 * <pre>{@code
 * Network.on(host).change("bond1 under xenbr1")
 *     .createBond("bond1", BondOptions.activeBackup(100))
 *     .enslave("eth2", "bond1").enslave("eth3", "bond1")
 *     .createBridge("xenbr1", BridgeOptions.xen())
 *     .attach("bond1", "xenbr1")
 *     .up("bond1").up("xenbr1")
 *     .apply();
 * }</pre>
 *
 * <p>With the iproute2 backend the whole plan is applied by one {@code ip -batch -} and verified by
 * one read-back: two processes whatever the number of steps (planning reads once more). A step
 * whose line fails, or whose effect the read-back does not show — a bond option reads back
 * different, say — rolls back every step applied before it. The other backends run one step at a
 * time, each verified by its own read.
 *
 * <p>What the kernel requires is planned for: a device that is up is set down before it is
 * enslaved (and the kernel opens it again), a device in a bridge or another bond leaves it first.
 *
 * <p>Refused, with every reason found, unless the matching {@code allow…} is called:
 * <ul>
 *   <li>{@link #allowLosingManagement()}: anything that would take away the host's management
 *       connection — a device carrying a global address, or below one that does (a bond under the
 *       bridge with the host's address, a slave whose bond would lose carrier under it), set down,
 *       deleted, detached, released; deleting a global address. Xen backend ports ({@code vifD.N},
 *       {@code tapD.N}) are not uplinks. The live addresses decide, not configuration files.
 *   <li>{@link #allowFailover()}: releasing, deleting or setting down the active slave of a bond
 *       that is up (traffic moves to another slave; fail over first with {@link #failover}).
 *   <li>{@link #allowLosingCarrier()}: releasing, deleting or setting down the last slave of a bond
 *       whose link is up: the bond, and all that is stacked on it, loses its carrier.
 * </ul>
 * Some things are never planned, whatever is allowed: a mode change on a bond that has slaves or is
 * up (the kernel refuses it), a failover to a device that is not a slave or whose link is down, the
 * deletion of a device with VLANs on it (they would go with it, and no rollback brings them back).
 */
public final class NetworkChange {
  private static final Pattern VM_PORT = Pattern.compile("(vif|tap)\\d+\\.\\d+(-emu)?");

  private enum Risk {
    MANAGEMENT,
    FAILOVER,
    CARRIER,
    IMPOSSIBLE
  }

  private record Reason(Risk risk, String text) {}

  private sealed interface Pending {}

  private record CreateBridge(InterfaceName name, BridgeOptions options) implements Pending {}

  private record CreateBond(InterfaceName name, BondOptions options) implements Pending {}

  private record CreateVlan(InterfaceName parent, int id) implements Pending {}

  private record Attach(InterfaceName port, InterfaceName master) implements Pending {}

  private record Detach(InterfaceName port) implements Pending {}

  private record Up(InterfaceName name, boolean up) implements Pending {}

  private record Delete(InterfaceName name, Optional<LinkChange.DeviceKind> expected) implements Pending {}

  private record Failover(InterfaceName bond, InterfaceName slave) implements Pending {}

  private record Reconfigure(InterfaceName bond, BondOptions desired) implements Pending {}

  private record Address(InterfaceName device, Ipv4Address address, int prefixLength, boolean add) implements Pending {}

  private final Network network;
  private final String title;
  private final List<Pending> pending = new ArrayList<>();
  private final Set<Risk> allowed = new java.util.HashSet<>();
  private boolean used;

  NetworkChange(Network network, String title) {
    this.network = network;
    this.title = Objects.requireNonNull(title, "title");
  }

  private NetworkChange add(Pending p) {
    if (used) {
      throw new IllegalStateException("this change was already planned; start a new one with Network.change()");
    }
    pending.add(p);
    return this;
  }

  public NetworkChange createBridge(InterfaceName name, BridgeOptions options) {
    return add(new CreateBridge(Objects.requireNonNull(name), Objects.requireNonNull(options)));
  }

  public NetworkChange createBridge(String name, BridgeOptions options) {
    return createBridge(InterfaceName.of(name), options);
  }

  public NetworkChange deleteBridge(InterfaceName name) {
    return add(new Delete(Objects.requireNonNull(name), Optional.of(LinkChange.DeviceKind.BRIDGE)));
  }

  public NetworkChange deleteBridge(String name) {
    return deleteBridge(InterfaceName.of(name));
  }

  /**
   * Makes {@code port} a port of {@code master}: of a bridge, or a slave of a bond (as {@link
   * #enslave}) — whichever {@code master} is, now or once this change has created it. A port in
   * another bridge or bond is taken out of it first.
   */
  public NetworkChange attach(InterfaceName port, InterfaceName master) {
    return add(new Attach(Objects.requireNonNull(port), Objects.requireNonNull(master)));
  }

  public NetworkChange attach(String port, String master) {
    return attach(InterfaceName.of(port), InterfaceName.of(master));
  }

  /** Takes {@code port} out of whatever bridge or bond it is in at that point of the change. */
  public NetworkChange detach(InterfaceName port) {
    return add(new Detach(Objects.requireNonNull(port)));
  }

  public NetworkChange detach(String port) {
    return detach(InterfaceName.of(port));
  }

  public NetworkChange up(InterfaceName name) {
    return add(new Up(Objects.requireNonNull(name), true));
  }

  public NetworkChange up(String name) {
    return up(InterfaceName.of(name));
  }

  public NetworkChange down(InterfaceName name) {
    return add(new Up(Objects.requireNonNull(name), false));
  }

  public NetworkChange down(String name) {
    return down(InterfaceName.of(name));
  }

  /** Creates a bond with its options (it is down and has no slaves until later changes). */
  public NetworkChange createBond(InterfaceName name, BondOptions options) {
    return add(new CreateBond(Objects.requireNonNull(name), Objects.requireNonNull(options)));
  }

  public NetworkChange createBond(String name, BondOptions options) {
    return createBond(InterfaceName.of(name), options);
  }

  public NetworkChange deleteBond(InterfaceName name) {
    return add(new Delete(Objects.requireNonNull(name), Optional.of(LinkChange.DeviceKind.BOND)));
  }

  /** Makes {@code slave} a slave of {@code bond}; see {@link #attach}. */
  public NetworkChange enslave(InterfaceName slave, InterfaceName bond) {
    return attach(slave, bond);
  }

  public NetworkChange enslave(String slave, String bond) {
    return attach(InterfaceName.of(slave), InterfaceName.of(bond));
  }

  /** Takes {@code slave} out of its bond; see {@link #detach}. */
  public NetworkChange release(InterfaceName slave) {
    return detach(slave);
  }

  /** Makes {@code slave} the active slave of {@code bond} (active-backup, balance-tlb, balance-alb). */
  public NetworkChange failover(InterfaceName bond, InterfaceName slave) {
    return add(new Failover(Objects.requireNonNull(bond), Objects.requireNonNull(slave)));
  }

  /**
   * Gives an existing bond the options {@code desired} names (see {@link BondOptions}; an option
   * it leaves unset stays as it is), one verified option change at a time in an order the kernel
   * accepts: for ARP monitoring the targets, then {@code arp_validate}, then {@code arp_interval}
   * (which turns MII monitoring off); for MII monitoring {@code miimon} first.
   */
  public NetworkChange reconfigureBond(InterfaceName bond, BondOptions desired) {
    return add(new Reconfigure(Objects.requireNonNull(bond), Objects.requireNonNull(desired)));
  }

  /** Creates 802.1Q device {@code parent.id}. */
  public NetworkChange createVlan(InterfaceName parent, int id) {
    new LinkChange.CreateVlan(InterfaceName.of(parent.value() + "." + id), parent, id); // checks the id now
    return add(new CreateVlan(parent, id));
  }

  /** Deletes a device of any kind (a bond's slaves are released, a bridge's ports freed, VLANs on it go too). */
  public NetworkChange deleteLink(InterfaceName name) {
    return add(new Delete(Objects.requireNonNull(name), Optional.empty()));
  }

  public NetworkChange addAddress(InterfaceName device, Ipv4Address address, int prefixLength) {
    new LinkChange.AddAddress(device, address, prefixLength); // checks the prefix now
    return add(new Address(Objects.requireNonNull(device), Objects.requireNonNull(address), prefixLength, true));
  }

  public NetworkChange deleteAddress(InterfaceName device, Ipv4Address address, int prefixLength) {
    new LinkChange.DeleteAddress(device, address, prefixLength);
    return add(new Address(Objects.requireNonNull(device), Objects.requireNonNull(address), prefixLength, false));
  }

  /**
   * Adds what builds {@code layout} on a blade whose NICs exist: per uplink the bond with the
   * layout's options, its NICs enslaved, its bridge with the bond as port, both up; per VLAN the
   * 802.1Q device on its bond and its bridge, both up; the management address on its bridge (the
   * default gateway is left to the configuration files, which the boot applies).
   */
  public NetworkChange layout(BladeLayout layout) {
    BridgeOptions bridge = new BridgeOptions(layout.stp(), Duration.ZERO, Optional.empty());
    for (BladeLayout.Uplink u : layout.uplinks()) {
      createBond(u.bond(), layout.bondOptions());
      u.nics().forEach(n -> enslave(n, u.bond()));
      createBridge(u.bridge(), bridge);
      attach(u.bond(), u.bridge());
      up(u.bond());
      up(u.bridge());
    }
    for (BladeLayout.VlanBridge v : layout.vlans()) {
      InterfaceName dev = InterfaceName.of(v.bond().value() + "." + v.id());
      createVlan(v.bond(), v.id());
      createBridge(v.bridge(), bridge);
      attach(dev, v.bridge());
      up(dev);
      up(v.bridge());
    }
    layout.management().ifPresent(m -> addAddress(m.bridge(), m.ipv4().address(), m.ipv4().prefixLength()));
    return this;
  }

  /** Lets the plan cut the host's management connection; the refusal is the default. */
  public NetworkChange allowLosingManagement() {
    allowed.add(Risk.MANAGEMENT);
    return this;
  }

  /** Lets the plan remove or set down the active slave of an up bond (traffic moves to another slave). */
  public NetworkChange allowFailover() {
    allowed.add(Risk.FAILOVER);
    return this;
  }

  /** Lets the plan remove or set down the last slave of a bond whose link is up. */
  public NetworkChange allowLosingCarrier() {
    allowed.add(Risk.CARRIER);
    return this;
  }

  /**
   * Reads the host once and builds the plan: resolves where each detached port is, what each
   * attach needs first, records what each step's rollback needs, and checks what the change would
   * cut.
   *
   * @throws UnsafeOperationException with every reason found, before anything changes
   * @throws NotFoundException when a detached port is in no bridge or bond, or a device to delete,
   *     fail over or reconfigure is absent
   */
  public Plan plan() {
    used = true;
    LinkBackend backend = network.linkBackend();
    LiveState live = backend.read(network.host());
    Planner p = new Planner(live);
    for (Pending x : pending) {
      p.plan(x);
    }
    List<Reason> blocking = p.reasons.stream().filter(r -> !allowed.contains(r.risk())).toList();
    if (!blocking.isEmpty()) {
      throw new UnsafeOperationException(title + " on " + network.host().name(), p.reasons.stream()
          .map(r -> r.text() + (r.risk() == Risk.IMPOSSIBLE || allowed.contains(r.risk()) ? "" : hint(r.risk())))
          .toList());
    }
    if (p.steps.isEmpty()) {
      return Plan.empty(title);
    }
    boolean batch = p.steps.stream().allMatch(s -> backend.batchLine(s.change()).isPresent());
    return Plan.builder(title + (batch ? " (one ip -batch, one read-back)" : ""))
        .steps(batch ? LinkSteps.batched(network.host(), backend, p.steps)
            : LinkSteps.individual(network.host(), backend, p.steps))
        .build();
  }

  private static String hint(Risk r) {
    return switch (r) {
      case MANAGEMENT -> " (allowLosingManagement() to go ahead)";
      case FAILOVER -> " (fail over first, or allowFailover())";
      case CARRIER -> " (allowLosingCarrier() to go ahead)";
      case IMPOSSIBLE -> "";
    };
  }

  /** {@code plan().apply()}. */
  public PlanReport apply() {
    return plan().apply();
  }

  private static boolean isVmPort(InterfaceName port) {
    return VM_PORT.matcher(port.value()).matches();
  }

  private static String addresses(List<IfAddress> a) {
    return String.join(", ", a.stream().map(IfAddress::toString).toList());
  }

  /** Turns pending changes into planned steps against the state they will meet. */
  private final class Planner {
    final LiveState live;
    final Virtual v;
    final List<LinkSteps.Planned> steps = new ArrayList<>();
    final List<Reason> reasons = new ArrayList<>();

    Planner(LiveState live) {
      this.live = live;
      this.v = new Virtual(live);
    }

    void step(LinkChange change, List<LinkChange> undo) {
      steps.add(new LinkSteps.Planned(change, undo));
      v.apply(change);
    }

    void unsafe(Risk risk, String text) {
      reasons.add(new Reason(risk, text));
    }

    void plan(Pending x) {
      if (x instanceof CreateBridge c) {
        step(new LinkChange.CreateBridge(c.name(), c.options()), List.of(new LinkChange.Delete(c.name(),
            LinkChange.DeviceKind.BRIDGE)));
      } else if (x instanceof CreateBond c) {
        step(new LinkChange.CreateBond(c.name(), c.options()), List.of(new LinkChange.Delete(c.name(),
            LinkChange.DeviceKind.BOND)));
      } else if (x instanceof CreateVlan c) {
        InterfaceName name = InterfaceName.of(c.parent().value() + "." + c.id());
        step(new LinkChange.CreateVlan(name, c.parent(), c.id()), List.of(new LinkChange.Delete(name,
            LinkChange.DeviceKind.OTHER)));
      } else if (x instanceof Attach a) {
        attach(a.port(), a.master());
      } else if (x instanceof Detach d) {
        InterfaceName master = v.master(d.port()).orElseThrow(() -> new NotFoundException("port", d.port().value(),
            "it is in no bridge or bond on " + network.host().name()));
        leave(d.port(), master);
      } else if (x instanceof Up u) {
        setUp(u.name(), u.up());
      } else if (x instanceof Delete d) {
        delete(d.name(), d.expected());
      } else if (x instanceof Failover f) {
        failover(f.bond(), f.slave());
      } else if (x instanceof Reconfigure r) {
        reconfigure(r.bond(), r.desired());
      } else if (x instanceof Address a) {
        address(a);
      }
    }

    private void attach(InterfaceName port, InterfaceName master) {
      Optional<InterfaceName> before = v.master(port);
      if (before.equals(Optional.of(master))) {
        return; // already there: nothing to do
      }
      if (v.kind(master) == LinkChange.DeviceKind.BOND) {
        before.ifPresent(m -> leave(port, m));
        if (v.isUp(port)) {
          setUp(port, false); // the kernel enslaves only devices that are down, and opens them itself
        }
        step(new LinkChange.Enslave(port, master), List.of(new LinkChange.Release(port, master)));
        return;
      }
      if (before.isPresent() && v.kind(before.get()) == LinkChange.DeviceKind.BOND) {
        leave(port, before.get());
        before = Optional.empty();
      }
      before.filter(m -> !m.equals(master)).ifPresent(m -> checkUplink(port, m, "move " + port + " from " + m + " to "
          + master));
      List<LinkChange> undo = before.<List<LinkChange>>map(m -> List.of(new LinkChange.Attach(port, m)))
          .orElse(List.of(new LinkChange.Detach(port, master)));
      step(new LinkChange.Attach(port, master), undo);
    }

    /** Takes {@code port} out of {@code master}, a bridge or a bond. */
    private void leave(InterfaceName port, InterfaceName master) {
      if (v.kind(master) == LinkChange.DeviceKind.BOND) {
        checkSlaveLoss(port, master, "release " + port + " from " + master);
        step(new LinkChange.Release(port, master), List.of(new LinkChange.Enslave(port, master)));
      } else {
        checkUplink(port, master, "detach " + port + " from " + master);
        step(new LinkChange.Detach(port, master), List.of(new LinkChange.Attach(port, master)));
      }
    }

    private void setUp(InterfaceName name, boolean up) {
      if (!up) {
        checkCarrier(name, "set " + name + " down");
        v.master(name).filter(m -> v.kind(m) == LinkChange.DeviceKind.BOND)
            .ifPresent(m -> checkSlaveLoss(name, m, "set " + name + " down"));
      }
      List<LinkChange> undo = v.isUp(name) == up ? List.of() : List.of(new LinkChange.SetUp(name, !up));
      step(new LinkChange.SetUp(name, up), undo);
    }

    private void delete(InterfaceName name, Optional<LinkChange.DeviceKind> expected) {
      LinkChange.DeviceKind kind = v.kind(name);
      if (!v.exists(name) || expected.filter(k -> k != kind).isPresent()) {
        throw new NotFoundException(expected.map(k -> k.name().toLowerCase(java.util.Locale.ROOT)).orElse("device"),
            name.value(), "there is no such " + expected.map(k -> k.name().toLowerCase(java.util.Locale.ROOT))
                .orElse("device") + " on " + network.host().name());
      }
      checkCarrier(name, "delete " + name);
      v.master(name).filter(m -> v.kind(m) == LinkChange.DeviceKind.BOND)
          .ifPresent(m -> checkSlaveLoss(name, m, "delete " + name));
      for (InterfaceName vlan : v.vlansOn(name)) {
        unsafe(Risk.IMPOSSIBLE, "delete " + name + ": VLAN " + vlan + " is on it and would go with it; delete it first");
      }
      step(new LinkChange.Delete(name, kind), recreate(name, kind));
    }

    private void failover(InterfaceName bond, InterfaceName slave) {
      Link.BondInfo info = live.link(bond).flatMap(Link::bond).orElseThrow(() -> new NotFoundException("bond",
          bond.value(), "there is no such bond on " + network.host().name()));
      String what = "fail " + bond + " over to " + slave;
      if (!List.of("active-backup", "balance-tlb", "balance-alb").contains(info.mode())) {
        unsafe(Risk.IMPOSSIBLE, what + ": mode " + info.mode() + " has no active slave");
      } else if (!v.master(slave).equals(Optional.of(bond))) {
        unsafe(Risk.IMPOSSIBLE, what + ": " + slave + " is not a slave of " + bond);
      } else if (!v.slaveLinkUp(slave)) {
        unsafe(Risk.IMPOSSIBLE, what + ": the link of " + slave + " is down (the kernel makes only a slave with "
            + "link active)");
      }
      Optional<InterfaceName> previous = v.active(bond);
      List<LinkChange> undo = previous.filter(p -> !p.equals(slave))
          .<List<LinkChange>>map(p -> List.of(new LinkChange.SetActiveSlave(bond, p))).orElse(List.of());
      step(new LinkChange.SetActiveSlave(bond, slave), undo);
    }

    private void reconfigure(InterfaceName bond, BondOptions desired) {
      Link.BondInfo info = live.link(bond).flatMap(Link::bond).orElseThrow(() -> new NotFoundException("bond",
          bond.value(), "there is no such bond on " + network.host().name() + " (give a new bond its options when "
              + "creating it)"));
      if (!desired.mode().kernelName().equals(info.mode()) && (v.hasSlaves(bond) || v.isUp(bond))) {
        unsafe(Risk.IMPOSSIBLE, "change the mode of " + bond + " from " + info.mode() + " to "
            + desired.mode().kernelName() + ": the kernel changes it only while the bond is down and has no slaves");
      }
      for (LinkChange c : BondOptionValues.changes(bond, info, desired)) {
        step(c, BondOptionValues.undo(info, c));
      }
    }

    private void address(Address a) {
      if (a.add()) {
        step(new LinkChange.AddAddress(a.device(), a.address(), a.prefixLength()),
            List.of(new LinkChange.DeleteAddress(a.device(), a.address(), a.prefixLength())));
        return;
      }
      if (!live.hasAddress(a.device(), a.address(), a.prefixLength())) {
        throw new NotFoundException("address", a.address() + "/" + a.prefixLength(), "not on " + a.device() + " on "
            + network.host().name());
      }
      if (live.globalAddresses(a.device()).stream().anyMatch(x -> x.address().equals(a.address().toString()))) {
        unsafe(Risk.MANAGEMENT, "delete " + a.address() + "/" + a.prefixLength() + " from " + a.device()
            + ": it is a global address of the host, what a management connection uses");
      }
      step(new LinkChange.DeleteAddress(a.device(), a.address(), a.prefixLength()),
          List.of(new LinkChange.AddAddress(a.device(), a.address(), a.prefixLength())));
    }

    /** What re-creates a deleted device, or null when it cannot be re-created. */
    private List<LinkChange> recreate(InterfaceName name, LinkChange.DeviceKind kind) {
      Optional<Link> link = live.link(name);
      List<LinkChange> undo = new ArrayList<>();
      if (kind == LinkChange.DeviceKind.BRIDGE) {
        Optional<BridgeStatus> br = live.bridge(name);
        Optional<Link.BridgeInfo> info = link.flatMap(Link::bridge);
        BridgeOptions opts = new BridgeOptions(br.map(BridgeStatus::stp).orElse(false),
            Duration.ofMillis(10L * info.map(Link.BridgeInfo::forwardDelayCs).orElse(0)),
            info.map(i -> Duration.ofMillis(10L * i.ageingTimeCs())));
        undo.add(new LinkChange.CreateBridge(name, opts));
        v.portsOf(name).forEach(p -> undo.add(new LinkChange.Attach(p, name)));
      } else if (kind == LinkChange.DeviceKind.BOND && link.flatMap(Link::bond).isPresent()) {
        undo.add(new LinkChange.CreateBond(name, BondOptionValues.current(link.get().bond().get())));
        v.portsOf(name).forEach(s -> undo.add(new LinkChange.Enslave(s, name)));
      } else if (link.flatMap(Link::vlan).isPresent() && link.get().lower().isPresent()) {
        undo.add(new LinkChange.CreateVlan(name, link.get().lower().get(), link.get().vlan().get().id()));
      } else {
        return null;
      }
      v.master(name).ifPresent(m -> undo.add(v.kind(m) == LinkChange.DeviceKind.BOND
          ? new LinkChange.Enslave(name, m) : new LinkChange.Attach(name, m)));
      if (v.isUp(name)) {
        undo.add(new LinkChange.SetUp(name, true));
      }
      for (IfAddress a : live.addresses()) {
        if (a.device().equals(name) && a.family().equals("inet")) {
          undo.add(new LinkChange.AddAddress(name, Ipv4Address.of(a.address()), a.prefixLength()));
        }
      }
      return undo;
    }

    private void checkUplink(InterfaceName port, InterfaceName master, String what) {
      List<IfAddress> mgmt = live.managementThrough(master);
      if (!mgmt.isEmpty() && !isVmPort(port)) {
        unsafe(Risk.MANAGEMENT, what + ": " + master + " carries the management address " + addresses(mgmt)
            + " and " + port + " is its uplink");
      }
    }

    private void checkCarrier(InterfaceName dev, String what) {
      List<IfAddress> own = live.globalAddresses(dev);
      if (!own.isEmpty()) {
        unsafe(Risk.MANAGEMENT, what + ": it carries the management address " + addresses(own));
      }
      v.master(dev).filter(m -> v.kind(m) != LinkChange.DeviceKind.BOND).ifPresent(m -> checkUplink(dev, m, what));
      if (!isVmPort(dev)) {
        for (InterfaceName vlan : v.vlansOn(dev)) {
          List<IfAddress> above = live.managementThrough(vlan);
          if (!above.isEmpty()) {
            unsafe(Risk.MANAGEMENT, what + ": VLAN " + vlan + " on it carries the management address "
                + addresses(above));
          }
        }
      }
    }

    /** Losing {@code slave} from {@code bond}: a failover when it is active, a lost carrier when it is the last. */
    private void checkSlaveLoss(InterfaceName slave, InterfaceName bond, String what) {
      if (!v.isUp(bond) || !v.slaveLinkUp(slave)) {
        return;
      }
      List<InterfaceName> others = v.portsOf(bond).stream().filter(s -> !s.equals(slave) && v.slaveLinkUp(s)).toList();
      if (others.isEmpty()) {
        unsafe(Risk.CARRIER, what + ": it is the last slave of " + bond + " whose link is up, so " + bond
            + " and everything on it lose their carrier");
        List<IfAddress> mgmt = live.managementThrough(bond);
        if (!mgmt.isEmpty()) {
          unsafe(Risk.MANAGEMENT, what + ": " + bond + " carries the management address " + addresses(mgmt));
        }
      } else if (v.active(bond).equals(Optional.of(slave))) {
        unsafe(Risk.FAILOVER, what + ": it is the active slave of " + bond + "; traffic would move to "
            + String.join(" or ", others.stream().map(InterfaceName::value).toList()));
      }
    }
  }

  /** The state as the steps planned so far will leave it: kinds, masters, up/down, active slaves. */
  private static final class Virtual {
    private final Map<InterfaceName, LinkChange.DeviceKind> kinds = new HashMap<>();
    private final Map<InterfaceName, InterfaceName> masters = new HashMap<>();
    private final Map<InterfaceName, Boolean> up = new HashMap<>();
    private final Map<InterfaceName, InterfaceName> active = new HashMap<>();
    private final Map<InterfaceName, Boolean> slaveLink = new HashMap<>();
    private final Map<InterfaceName, InterfaceName> vlanParents = new HashMap<>();

    Virtual(LiveState live) {
      live.bridges().forEach(b -> {
        kinds.put(b.name(), LinkChange.DeviceKind.BRIDGE);
        b.ports().forEach(p -> masters.put(p, b.name()));
      });
      live.links().values().forEach(l -> {
        kinds.putIfAbsent(l.name(), l.bond().isPresent() ? LinkChange.DeviceKind.BOND
            : l.bridge().isPresent() ? LinkChange.DeviceKind.BRIDGE : LinkChange.DeviceKind.OTHER);
        up.put(l.name(), l.isUp());
        l.master().ifPresent(m -> masters.putIfAbsent(l.name(), m));
        l.bond().flatMap(Link.BondInfo::activeSlave).ifPresent(a -> active.put(l.name(), a));
        l.bondSlave().ifPresent(s -> slaveLink.put(l.name(), s.miiStatus().equals("UP")));
        if (l.vlan().isPresent()) {
          l.lower().ifPresent(p -> vlanParents.put(l.name(), p));
        }
      });
    }

    boolean exists(InterfaceName dev) {
      return kinds.containsKey(dev);
    }

    LinkChange.DeviceKind kind(InterfaceName dev) {
      return kinds.getOrDefault(dev, LinkChange.DeviceKind.OTHER);
    }

    Optional<InterfaceName> master(InterfaceName port) {
      return Optional.ofNullable(masters.get(port));
    }

    Optional<InterfaceName> active(InterfaceName bond) {
      return Optional.ofNullable(active.get(bond));
    }

    boolean isUp(InterfaceName dev) {
      return up.getOrDefault(dev, false);
    }

    boolean slaveLinkUp(InterfaceName slave) {
      return slaveLink.getOrDefault(slave, false);
    }

    boolean hasSlaves(InterfaceName bond) {
      return masters.containsValue(bond);
    }

    List<InterfaceName> vlansOn(InterfaceName dev) {
      return vlanParents.entrySet().stream().filter(e -> e.getValue().equals(dev)).map(Map.Entry::getKey).sorted().toList();
    }

    Set<InterfaceName> portsOf(InterfaceName master) {
      Set<InterfaceName> s = new LinkedHashSet<>();
      masters.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
        if (e.getValue().equals(master)) {
          s.add(e.getKey());
        }
      });
      return s;
    }

    void apply(LinkChange c) {
      if (c instanceof LinkChange.Attach a) {
        masters.put(a.port(), a.master());
      } else if (c instanceof LinkChange.Detach d) {
        masters.remove(d.port());
      } else if (c instanceof LinkChange.Enslave e) {
        masters.put(e.slave(), e.bond());
        up.put(e.slave(), true);
        slaveLink.put(e.slave(), true);
        active.putIfAbsent(e.bond(), e.slave());
      } else if (c instanceof LinkChange.Release r) {
        masters.remove(r.slave());
        up.put(r.slave(), false);
        slaveLink.remove(r.slave());
        if (r.slave().equals(active.get(r.bond()))) {
          active.remove(r.bond());
          portsOf(r.bond()).stream().filter(this::slaveLinkUp).findFirst().ifPresent(s -> active.put(r.bond(), s));
        }
      } else if (c instanceof LinkChange.SetUp s) {
        up.put(s.name(), s.up());
        InterfaceName bond = masters.get(s.name());
        if (!s.up() && slaveLink.containsKey(s.name())) {
          slaveLink.put(s.name(), false);
          if (bond != null && s.name().equals(active.get(bond))) {
            active.remove(bond);
            portsOf(bond).stream().filter(this::slaveLinkUp).findFirst().ifPresent(n -> active.put(bond, n));
          }
        }
      } else if (c instanceof LinkChange.SetActiveSlave a) {
        active.put(a.bond(), a.slave());
      } else if (c instanceof LinkChange.Delete d) {
        masters.remove(d.name());
        masters.values().removeIf(d.name()::equals);
        up.remove(d.name());
        kinds.remove(d.name());
        active.remove(d.name());
        vlanParents.remove(d.name());
        vlanParents.entrySet().removeIf(e -> {
          if (e.getValue().equals(d.name())) {
            kinds.remove(e.getKey());
            return true;
          }
          return false;
        });
      } else if (c instanceof LinkChange.CreateBridge b) {
        kinds.put(b.name(), LinkChange.DeviceKind.BRIDGE);
        up.put(b.name(), false);
      } else if (c instanceof LinkChange.CreateBond b) {
        kinds.put(b.name(), LinkChange.DeviceKind.BOND);
        up.put(b.name(), false);
      } else if (c instanceof LinkChange.CreateVlan vl) {
        kinds.put(vl.name(), LinkChange.DeviceKind.OTHER);
        vlanParents.put(vl.name(), vl.parent());
        up.put(vl.name(), false);
      }
    }
  }
}
