package dev.midplane.network;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanReport;
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
 * step, {@link #plan()} reads the host once and builds the plan, {@link #apply()} builds and
 * applies it.
 *
 * <pre>{@code
 * Network.on(host).change("xenbr1 on bond1")
 *     .createBridge("xenbr1", BridgeOptions.xen())
 *     .attach("bond1", "xenbr1")
 *     .up("xenbr1")
 *     .apply();
 * }</pre>
 *
 * <p>With the iproute2 backend the whole plan is applied by one {@code ip -batch -} and verified by
 * one read-back: two processes whatever the number of steps. A step whose line fails, or whose
 * effect the read-back does not show, rolls back every step applied before it.
 *
 * <p>Refused unless {@link #allowLosingManagement()} is called: any change that would take away
 * the host's management connection — detaching or moving the uplink port of a bridge that carries
 * a global address, deleting or setting down a device that carries one or is such an uplink.
 * Uplinks are the ports that are not Xen backend interfaces ({@code vifD.N}, {@code tapD.N},
 * {@code vifD.N-emu}). The live addresses decide, not a configuration file.
 */
public final class NetworkChange {
  private static final Pattern VM_PORT = Pattern.compile("(vif|tap)\\d+\\.\\d+(-emu)?");

  private final Network network;
  private final String title;
  private final List<Pending> pending = new ArrayList<>();
  private boolean allowLosingManagement;
  private boolean used;

  private record Pending(String kind, InterfaceName a, InterfaceName b, Object options) {}

  NetworkChange(Network network, String title) {
    this.network = network;
    this.title = Objects.requireNonNull(title, "title");
  }

  private NetworkChange add(String kind, InterfaceName a, InterfaceName b, Object options) {
    if (used) {
      throw new IllegalStateException("this change was already planned; start a new one with Network.change()");
    }
    pending.add(new Pending(kind, Objects.requireNonNull(a), b, options));
    return this;
  }

  public NetworkChange createBridge(InterfaceName name, BridgeOptions options) {
    return add("createBridge", name, null, Objects.requireNonNull(options));
  }

  public NetworkChange createBridge(String name, BridgeOptions options) {
    return createBridge(InterfaceName.of(name), options);
  }

  public NetworkChange deleteBridge(InterfaceName name) {
    return add("deleteBridge", name, null, null);
  }

  public NetworkChange deleteBridge(String name) {
    return deleteBridge(InterfaceName.of(name));
  }

  /** Makes {@code port} a port of {@code bridge} (moving it if it is in another bridge). */
  public NetworkChange attach(InterfaceName port, InterfaceName bridge) {
    return add("attach", port, bridge, null);
  }

  public NetworkChange attach(String port, String bridge) {
    return attach(InterfaceName.of(port), InterfaceName.of(bridge));
  }

  /** Takes {@code port} out of whatever bridge it is in at planning time. */
  public NetworkChange detach(InterfaceName port) {
    return add("detach", port, null, null);
  }

  public NetworkChange detach(String port) {
    return detach(InterfaceName.of(port));
  }

  public NetworkChange up(InterfaceName name) {
    return add("up", name, null, Boolean.TRUE);
  }

  public NetworkChange up(String name) {
    return up(InterfaceName.of(name));
  }

  public NetworkChange down(InterfaceName name) {
    return add("up", name, null, Boolean.FALSE);
  }

  public NetworkChange down(String name) {
    return down(InterfaceName.of(name));
  }

  /** Creates a bond (iproute2; the bridge-utils backend also uses {@code ip} for this). */
  public NetworkChange createBond(InterfaceName name, BondOptions options) {
    return add("createBond", name, null, Objects.requireNonNull(options));
  }

  /** Creates 802.1Q device {@code parent.id}. */
  public NetworkChange createVlan(InterfaceName parent, int id) {
    return add("createVlan", InterfaceName.of(parent.value() + "." + id), parent, id);
  }

  public NetworkChange deleteLink(InterfaceName name) {
    return add("delete", name, null, null);
  }

  /** Lets the plan cut the host's management connection; the refusal is the default. */
  public NetworkChange allowLosingManagement() {
    this.allowLosingManagement = true;
    return this;
  }

  /**
   * Reads the host once and builds the plan: resolves which bridge each detached port is in,
   * records what each step's rollback needs, and checks the management connection.
   *
   * @throws UnsafeOperationException with every reason found, before anything changes
   * @throws NotFoundException when a detached port is in no bridge, or a deleted bridge is absent
   */
  public Plan plan() {
    used = true;
    LinkBackend backend = network.linkBackend();
    LiveState live = backend.read(network.host());
    Virtual v = new Virtual(live);
    List<LinkSteps.Planned> planned = new ArrayList<>();
    List<String> unsafe = new ArrayList<>();
    for (Pending p : pending) {
      LinkSteps.Planned step = plan(p, live, v, unsafe);
      planned.add(step);
      v.apply(step.change());
    }
    if (!unsafe.isEmpty() && !allowLosingManagement) {
      throw new UnsafeOperationException(title + " on " + network.host().name(), unsafe);
    }
    if (planned.isEmpty()) {
      return Plan.empty(title);
    }
    boolean batch = backend.batchLine(planned.get(0).change()).isPresent();
    return Plan.builder(title + (batch ? " (one ip -batch, one read-back)" : ""))
        .steps(batch ? LinkSteps.batched(network.host(), backend, planned)
            : LinkSteps.individual(network.host(), backend, planned))
        .build();
  }

  /** {@code plan().apply()}. */
  public PlanReport apply() {
    return plan().apply();
  }

  private LinkSteps.Planned plan(Pending p, LiveState live, Virtual v, List<String> unsafe) {
    InterfaceName a = p.a();
    switch (p.kind()) {
      case "createBridge" -> {
        return new LinkSteps.Planned(new LinkChange.CreateBridge(a, (BridgeOptions) p.options()),
            List.of(new LinkChange.Delete(a, true)));
      }
      case "createBond" -> {
        return new LinkSteps.Planned(new LinkChange.CreateBond(a, (BondOptions) p.options()),
            List.of(new LinkChange.Delete(a, false)));
      }
      case "createVlan" -> {
        return new LinkSteps.Planned(new LinkChange.CreateVlan(a, p.b(), (Integer) p.options()),
            List.of(new LinkChange.Delete(a, false)));
      }
      case "attach" -> {
        Optional<InterfaceName> before = v.master(a);
        before.filter(m -> !m.equals(p.b())).ifPresent(m -> checkUplink(a, m, "move " + a + " from " + m + " to " + p.b(),
            live, unsafe));
        List<LinkChange> undo = before.<List<LinkChange>>map(m -> List.of(new LinkChange.Attach(a, m)))
            .orElse(List.of(new LinkChange.Detach(a, p.b())));
        return new LinkSteps.Planned(new LinkChange.Attach(a, p.b()), undo);
      }
      case "detach" -> {
        InterfaceName master = v.master(a).orElseThrow(() -> new NotFoundException("bridge port", a.value(),
            "it is not in any bridge on " + network.host().name()));
        checkUplink(a, master, "detach " + a + " from " + master, live, unsafe);
        return new LinkSteps.Planned(new LinkChange.Detach(a, master), List.of(new LinkChange.Attach(a, master)));
      }
      case "up" -> {
        boolean up = (Boolean) p.options();
        if (!up) {
          checkCarrier(a, "set " + a + " down", live, v, unsafe);
        }
        List<LinkChange> undo = v.isUp(a) == up ? List.of() : List.of(new LinkChange.SetUp(a, !up));
        return new LinkSteps.Planned(new LinkChange.SetUp(a, up), undo);
      }
      case "deleteBridge", "delete" -> {
        boolean bridge = p.kind().equals("deleteBridge");
        if (bridge && live.bridge(a).isEmpty()) {
          throw new NotFoundException("bridge", a.value(), "there is no such bridge on " + network.host().name());
        }
        checkCarrier(a, "delete " + a, live, v, unsafe);
        return new LinkSteps.Planned(new LinkChange.Delete(a, bridge || live.bridge(a).isPresent()), recreate(a, live, v));
      }
      default -> throw new IllegalStateException(p.kind());
    }
  }

  /** What re-creates a deleted device, or null when it cannot be re-created. */
  private static List<LinkChange> recreate(InterfaceName name, LiveState live, Virtual v) {
    Optional<BridgeStatus> br = live.bridge(name);
    Optional<Link> link = live.link(name);
    if (br.isPresent()) {
      Optional<Link.BridgeInfo> info = link.flatMap(Link::bridge);
      BridgeOptions opts = new BridgeOptions(br.get().stp(),
          java.time.Duration.ofMillis(10L * info.map(Link.BridgeInfo::forwardDelayCs).orElse(0)),
          info.map(i -> java.time.Duration.ofMillis(10L * i.ageingTimeCs())));
      List<LinkChange> undo = new ArrayList<>();
      undo.add(new LinkChange.CreateBridge(name, opts));
      v.portsOf(name).forEach(p -> undo.add(new LinkChange.Attach(p, name)));
      if (v.isUp(name)) {
        undo.add(new LinkChange.SetUp(name, true));
      }
      return undo;
    }
    if (link.flatMap(Link::vlan).isPresent() && link.get().lower().isPresent()) {
      List<LinkChange> undo = new ArrayList<>(List.of(new LinkChange.CreateVlan(name, link.get().lower().get(),
          link.get().vlan().get().id())));
      v.master(name).ifPresent(m -> undo.add(new LinkChange.Attach(name, m)));
      if (v.isUp(name)) {
        undo.add(new LinkChange.SetUp(name, true));
      }
      return undo;
    }
    return null;
  }

  private static boolean isVmPort(InterfaceName port) {
    return VM_PORT.matcher(port.value()).matches();
  }

  private static void checkUplink(InterfaceName port, InterfaceName bridge, String what, LiveState live,
      List<String> unsafe) {
    List<IfAddress> mgmt = live.globalAddresses(bridge);
    if (!mgmt.isEmpty() && !isVmPort(port)) {
      unsafe.add(what + ": " + bridge + " carries the management address " + addresses(mgmt) + " and " + port
          + " is its uplink");
    }
  }

  private static void checkCarrier(InterfaceName dev, String what, LiveState live, Virtual v, List<String> unsafe) {
    List<IfAddress> own = live.globalAddresses(dev);
    if (!own.isEmpty()) {
      unsafe.add(what + ": it carries the management address " + addresses(own));
    }
    v.master(dev).ifPresent(m -> checkUplink(dev, m, what, live, unsafe));
  }

  private static String addresses(List<IfAddress> a) {
    return String.join(", ", a.stream().map(IfAddress::toString).toList());
  }

  /** The state as the steps planned so far will leave it: masters and up/down. */
  private static final class Virtual {
    private final Map<InterfaceName, InterfaceName> masters = new HashMap<>();
    private final Map<InterfaceName, Boolean> up = new HashMap<>();

    Virtual(LiveState live) {
      live.bridges().forEach(b -> b.ports().forEach(p -> masters.put(p, b.name())));
      live.links().values().forEach(l -> {
        up.put(l.name(), l.isUp());
        l.master().ifPresent(m -> masters.putIfAbsent(l.name(), m));
      });
    }

    Optional<InterfaceName> master(InterfaceName port) {
      return Optional.ofNullable(masters.get(port));
    }

    boolean isUp(InterfaceName dev) {
      return up.getOrDefault(dev, false);
    }

    Set<InterfaceName> portsOf(InterfaceName bridge) {
      Set<InterfaceName> s = new LinkedHashSet<>();
      masters.forEach((p, m) -> {
        if (m.equals(bridge)) {
          s.add(p);
        }
      });
      return s;
    }

    void apply(LinkChange c) {
      if (c instanceof LinkChange.Attach a) {
        masters.put(a.port(), a.master());
      } else if (c instanceof LinkChange.Detach d) {
        masters.remove(d.port());
      } else if (c instanceof LinkChange.SetUp s) {
        up.put(s.name(), s.up());
      } else if (c instanceof LinkChange.Delete d) {
        masters.remove(d.name());
        masters.values().removeIf(d.name()::equals);
        up.remove(d.name());
      } else if (c instanceof LinkChange.CreateBridge b) {
        up.put(b.name(), false);
      }
    }
  }
}
