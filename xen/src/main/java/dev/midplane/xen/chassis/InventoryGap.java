package dev.midplane.xen.chassis;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.multipath.config.Admission;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.config.DiskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One way a host's {@code /etc/multipath.conf} falls short of the shared LUN inventory: the
 * configuration multipath reads on a reload or at boot would not give the LUN its map under the
 * inventory's alias there, so the VMs on that LUN cannot rely on running on that host, whatever
 * maps exist at the moment.
 *
 * @param host the host whose configuration falls short
 * @param lun the inventoried LUN
 * @param kind how it falls short
 * @param detail the shortfall in words, with the names involved
 * @param blocks the VMs this keeps from that host, by name: the LUN's VM in the inventory and every
 *     running guest (on any host that answered) with a disk on {@code /dev/mapper/<alias>}
 */
public record InventoryGap(HostName host, Lun lun, Kind kind, String detail, List<DomainName> blocks) {
  /** How a host's configuration falls short of one inventoried LUN. */
  public enum Kind {
    /** The host has no {@code /etc/multipath.conf}: nothing admits the LUN or names its map. */
    NO_CONFIG,
    /**
     * The host's {@code /etc/multipath.conf} cannot be read or parsed, or multipath-tools would
     * refuse it whole (a regular expression that does not compile).
     */
    UNREADABLE_CONFIG,
    /** A {@code blacklist} {@code wwid} matches the WWID and no {@code blacklist_exceptions} {@code wwid} does. */
    BLACKLISTED,
    /** No {@code multipath} entry names the WWID, or the entry has no alias: the map would get a generated name. */
    NO_ALIAS,
    /** The WWID's {@code multipath} entry gives it another alias than the inventory. */
    OTHER_ALIAS,
    /** Another WWID's {@code multipath} entry takes the inventory's alias. */
    ALIAS_TAKEN
  }

  public InventoryGap {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(lun, "lun");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
    blocks = List.copyOf(blocks);
  }

  @Override
  public String toString() {
    return detail + (blocks.isEmpty() ? "" : " (blocks " + blocks.stream().map(DomainName::value).toList() + " there)");
  }

  /**
   * Every gap between {@code inventory} and the configuration of each host in {@code facts}, by
   * host in the map's order, then by LUN in inventory order.
   */
  static List<InventoryGap> find(LunInventory inventory, Map<HostName, HostFacts> facts) {
    List<InventoryGap> gaps = new ArrayList<>();
    for (HostFacts f : facts.values()) {
      for (Lun lun : inventory.luns()) {
        gaps.addAll(of(f, lun, blockedVms(lun, facts)));
      }
    }
    return gaps;
  }

  /**
   * The gaps between one host's configuration and one inventoried LUN, in the order of
   * {@link Admission.Reason}: the multipath module's {@link MultipathConfig#admission} decides,
   * so the chassis and the multipath lifecycle never disagree on what a file admits.
   *
   * @param vms the VMs the gaps keep from the host
   */
  static List<InventoryGap> of(HostFacts f, Lun lun, List<DomainName> vms) {
    String what = "LUN " + lun.wwid() + " (" + lun.alias() + ")";
    if (f.multipathConfig().isEmpty()) {
      if (f.multipathConfigProblem().isPresent()) {
        return List.of(new InventoryGap(f.host(), lun, Kind.UNREADABLE_CONFIG, f.host() + "'s " + HostFacts.MULTIPATH_CONF
            + " cannot be read (" + f.multipathConfigProblem().get() + "): nothing shows it admits " + what, vms));
      }
      return List.of(new InventoryGap(f.host(), lun, Kind.NO_CONFIG, f.host() + " has no " + HostFacts.MULTIPATH_CONF
          + ": nothing admits " + what + " or names its map", vms));
    }
    List<InventoryGap> gaps = new ArrayList<>();
    for (Admission.Refusal r : f.multipathConfig().get().admission(lun.wwid(), lun.alias()).refusals()) {
      String found = r.found().orElse("");
      gaps.add(switch (r.reason()) {
        case REFUSED_FILE -> new InventoryGap(f.host(), lun, Kind.UNREADABLE_CONFIG, f.host() + "'s "
            + HostFacts.MULTIPATH_CONF + " is refused by multipath-tools (" + found + "): it admits no LUN, not " + what, vms);
        case BLACKLISTED -> new InventoryGap(f.host(), lun, Kind.BLACKLISTED, f.host() + " blacklists " + what + " (wwid \""
            + found + "\") and no blacklist_exceptions wwid admits it", vms);
        case NO_ALIAS -> new InventoryGap(f.host(), lun, Kind.NO_ALIAS, f.host() + "'s multipaths section gives " + what
            + " no alias: its map would get a generated name, not " + lun.alias(), vms);
        case OTHER_ALIAS -> new InventoryGap(f.host(), lun, Kind.OTHER_ALIAS, f.host() + " names the map of " + what + " "
            + found + ", the inventory " + lun.alias(), vms);
        case ALIAS_TAKEN -> new InventoryGap(f.host(), lun, Kind.ALIAS_TAKEN, f.host() + " gives the alias "
            + lun.alias() + " to WWID " + found + ", the inventory to " + lun.wwid(), vms);
      });
    }
    return gaps;
  }

  /** The LUN's VM and every running guest with a disk on its map, in name order. */
  private static List<DomainName> blockedVms(Lun lun, Map<HostName, HostFacts> facts) {
    Set<DomainName> vms = new TreeSet<>(java.util.Comparator.comparing(DomainName::value));
    lun.vm().ifPresent(vms::add);
    String path = "/dev/mapper/" + lun.alias().value();
    for (HostFacts f : facts.values()) {
      for (DomainDetails d : f.details()) {
        if (d.name().isPresent() && d.disks().stream().map(DiskSpec::target).anyMatch(t -> t.equals(Optional.of(path)))) {
          vms.add(d.name().get());
        }
      }
    }
    return List.copyOf(vms);
  }
}
