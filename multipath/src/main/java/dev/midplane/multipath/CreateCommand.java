package dev.midplane.multipath;

import dev.midplane.core.HostLock;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.Step;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.sysfs.MultipathMap;
import dev.midplane.sysfs.ScsiPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes the map of one LUN on one host, named by its alias on every host ({@link Multipath#create}).
 * Single use: configure, then {@link #plan()} to look or {@link #call()} to do it.
 *
 * <p>The plan: add the LUN to the shared inventory (unless it is there); write
 * {@code /etc/multipath.conf} from the inventory (unless it says so already); have multipath load
 * it — {@code multipathd reconfigure}, or {@code multipath <wwid>} without a daemon; wait until the
 * map exists with its alias. A failure at any step undoes the steps before it: the map is flushed
 * again if the plan made it and nobody opened it, the previous {@code multipath.conf} is put back
 * (and re-read by multipathd), the LUN leaves the inventory.
 *
 * <p>Refused, before anything changes, when the inventory names the WWID with another alias or the
 * alias with another WWID, when this host sees no path to the LUN (a host makes only the maps whose
 * paths it sees — {@link Multipath#scan()} first), when another device-mapper device has the alias,
 * or when the LUN's map is open under another name (renaming it would pull it from under its
 * users). A map that exists with the alias, with the inventory and file up to date, is an empty
 * plan.
 */
public final class CreateCommand {
  private final Multipath mp;
  private final MultipathAlias alias;
  private final Wwid wwid;
  private Optional<DomainName> vm = Optional.empty();
  private Optional<String> note = Optional.empty();
  private boolean used;

  CreateCommand(Multipath mp, MultipathAlias alias, Wwid wwid) {
    this.mp = mp;
    this.alias = alias;
    this.wwid = wwid;
  }

  /** Records in the inventory that the LUN is a disk of {@code domain}. */
  public CreateCommand vm(DomainName domain) {
    vm = Optional.of(domain);
    return this;
  }

  /** A note for the LUN's inventory line. */
  public CreateCommand note(String text) {
    note = Optional.of(text);
    return this;
  }

  /**
   * The plan, checked against the host and the inventory now.
   *
   * @throws UnsafeOperationException listing every reason the map cannot be made
   * @throws NotFoundException when the host sees no path to the LUN
   */
  public Plan plan() {
    String title = "create multipath map " + alias + " of " + wwid + " on " + mp.host().name();
    LunInventory inventory = mp.inventory();
    Lun lun = new Lun(alias, wwid, vm, note);
    List<String> reasons = new ArrayList<>();
    inventory.find(wwid).filter(l -> !l.alias().equals(alias)).ifPresent(l -> reasons.add("the inventory names "
        + wwid + " " + l.alias() + " (an alias is the same on every host; change it in the inventory first)"));
    inventory.find(alias).filter(l -> !l.wwid().equals(wwid)).ifPresent(l -> reasons.add("the inventory gives alias "
        + alias + " to " + l.wwid()));
    List<ScsiPath> paths = mp.sysfs().pathsTo(wwid);
    Optional<MultipathMap> existing = mp.sysfs().multipathMapOf(wwid);
    mp.sysfs().dmDevice(alias.value()).filter(d -> !d.uuid().equals(Optional.of(wwid.dmUuid())))
        .ifPresent(d -> reasons.add("device-mapper device " + d.device() + " is called " + alias
            + " already (uuid " + d.uuid().orElse("none") + ")"));
    if (existing.isPresent() && !existing.get().name().equals(alias.value())) {
      int open = mp.deviceMapper().info(MapName.parse(existing.get().name())).map(i -> i.openCount()).orElse(0);
      if (open > 0) {
        reasons.add("the map of " + wwid + " is open as " + existing.get().name() + " (" + open
            + " opener(s)); renaming it to " + alias + " would pull it from under its users");
      }
    }
    if (!reasons.isEmpty()) {
      throw new UnsafeOperationException(title, reasons);
    }
    if (paths.isEmpty() && existing.isEmpty()) {
      throw new NotFoundException("LUN", wwid.value(), mp.host().name() + " sees no path to it (present it to this host's"
          + " HBAs and scan; a host makes only the maps whose paths it sees)");
    }
    boolean listed = inventory.find(wwid).isPresent();
    LunInventory after = listed ? inventory : inventory.add(lun);
    boolean configCurrent = Lifecycle.configCurrent(mp, after);
    if (listed && configCurrent && existing.filter(m -> m.name().equals(alias.value())).isPresent()) {
      return Plan.empty(title);
    }
    Multipath.Mode mode = mp.mode();
    Plan.Builder b = Plan.builder(title);
    if (!listed) {
      b.step(Lifecycle.inventory(mp, "add " + alias + " " + wwid + " to the LUN inventory",
          inv -> inv.find(wwid).isPresent() ? inv : inv.add(lun),
          inv -> inv.find(wwid).filter(l -> l.alias().equals(alias)).isPresent() ? inv.remove(wwid) : inv,
          inv -> inv.find(wwid).filter(l -> l.alias().equals(alias)).isPresent()));
    }
    if (!configCurrent) {
      b.step(Lifecycle.writeConfig(mp, mode, c -> c.admits(wwid, alias),
          "let " + wwid + " through the blacklist as " + alias));
    }
    boolean existedBefore = existing.isPresent();
    Step load = Step.builder(mode == Multipath.Mode.MULTIPATHD ? "have multipathd read the configuration and make the map"
            : "make the map with multipath")
        .apply(() -> Lifecycle.load(mp, mode, wwid), Lifecycle.loadCommand(mode, wwid))
        .undo(() -> {
          if (!existedBefore) {
            flushIfUnused();
          }
        })
        .build();
    return b.step(load).step(Lifecycle.waitForMap(mp, wwid, alias)).build();
  }

  /** Takes back a map this plan made, unless someone opened it meanwhile. */
  private void flushIfUnused() {
    Optional<MultipathMap> m = mp.sysfs().multipathMapOf(wwid);
    if (m.isEmpty()) {
      return;
    }
    MapName name = MapName.parse(m.get().name());
    int open = mp.deviceMapper().info(name).map(i -> i.openCount()).orElse(0);
    if (open > 0) {
      throw new UnsafeOperationException("flush " + name + " while undoing its creation",
          name + " is open (" + open + "); it stays");
    }
    mp.tools().flushMap(name);
  }

  /**
   * Makes the map; returns its handle.
   *
   * @throws dev.midplane.core.plan.PlanFailedException when a step failed (the report says what was
   *     undone)
   */
  public MultipathDevice call() {
    if (used) {
      throw new IllegalStateException("a CreateCommand runs once");
    }
    used = true;
    try (HostLock l = HostLock.acquire(mp.host(), "multipath", mp.deadline())) {
      plan().apply();
    }
    return mp.device(alias);
  }
}
