package dev.midplane.xen.chassis;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.multipath.inventory.Lun;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.HostInfo;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.VifSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a VM as it runs on one host could run on another, decided from the two hosts'
 * {@link HostFacts} alone (no command runs). Every obstacle is collected, never only the first.
 * Used by the migration preflight (which adds the checks only a live host can answer) and by the
 * homogeneity report.
 */
final class MigrationChecks {
  /** Blockers and warnings found. */
  record Findings(List<Blocker> blockers, List<String> warnings) {
    Findings() {
      this(new ArrayList<>(), new ArrayList<>());
    }

    void block(Blocker.Kind kind, String detail) {
      blockers.add(new Blocker(kind, detail));
    }

    void warn(String w) {
      warnings.add(w);
    }
  }

  private MigrationChecks() {}

  static Findings check(DomainDetails vm, HostFacts source, HostFacts target) {
    Findings f = new Findings();
    String name = vm.rawName();
    String s = source.host().value();
    String t = target.host().value();
    if (source.host().equals(target.host())) {
      f.block(Blocker.Kind.SAME_HOST, name + " already runs on " + t);
      return f;
    }
    toolstacks(source, target, f);
    memory(vm, target, f);
    live(vm, source, f);
    live(vm, target, f);
    bridges(vm, target, f);
    disks(vm, source, target, f);
    if (target.domain(name).isPresent()) {
      f.block(Blocker.Kind.NAME_TAKEN, t + " already has a domain called " + name);
    }
    lockdown(vm, target, f);
    return f;
  }

  private static void toolstacks(HostFacts source, HostFacts target, Findings f) {
    for (HostFacts h : List.of(source, target)) {
      if (h.toolstack().isEmpty()) {
        f.block(Blocker.Kind.TOOLSTACK, h.host() + " has no working toolstack"
            + (h.problems().isEmpty() ? "" : " (" + String.join("; ", h.problems()) + ")"));
      }
    }
    if (source.toolstack().isPresent() && target.toolstack().isPresent() && source.toolstack().get() != target.toolstack().get()) {
      f.block(Blocker.Kind.TOOLSTACK, source.host() + " runs " + source.toolstack().get().program() + ", " + target.host()
          + " runs " + target.toolstack().get().program() + ": neither can receive what the other sends");
    }
    if (source.info().isPresent() && target.info().isPresent()) {
      int[] sv = version(source.info().get());
      int[] tv = version(target.info().get());
      if (tv[0] < sv[0] || tv[0] == sv[0] && tv[1] < sv[1]) {
        f.block(Blocker.Kind.XEN_VERSION, target.host() + " runs Xen " + target.info().get().xenVersion() + ", older than "
            + source.host() + "'s " + source.info().get().xenVersion() + ": a migration stream only goes to the same or a newer Xen");
      }
    }
  }

  private static int[] version(HostInfo i) {
    String[] p = i.xenVersion().split("\\.");
    try {
      return new int[] {Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1].replaceAll("[^0-9].*", "")) : 0};
    } catch (NumberFormatException e) {
      return new int[] {0, 0};
    }
  }

  /** What the VM needs on the target, MiB: its current allocation, or its maximum if larger. */
  static long neededMib(DomainDetails vm) {
    long kib = Math.max(vm.targetMemoryKib().orElse(0), vm.maxMemoryKib().orElse(0));
    return (kib + 1023) / 1024;
  }

  private static void memory(DomainDetails vm, HostFacts target, Findings f) {
    if (target.info().isEmpty()) {
      return;
    }
    long need = neededMib(vm);
    long free = target.info().get().freeMemoryMib();
    if (need > free) {
      f.block(Blocker.Kind.MEMORY, target.host() + " has " + free + " MiB free, " + vm.rawName() + " needs " + need + " MiB");
    }
  }

  private static void live(DomainDetails vm, HostFacts h, Findings f) {
    if (h.info().isEmpty()) {
      return;
    }
    String type = vm.guestType().orElse("pv");
    Optional<Boolean> can;
    try {
      can = h.info().get().canMigrateLive(type);
    } catch (IllegalArgumentException e) {
      f.warn(vm.rawName() + " is of guest type '" + type + "', which the live-migration check does not know");
      return;
    }
    if (can.isEmpty()) {
      f.warn(h.host() + "'s xl info does not say whether it can track dirty pages (no paging modes in virt_caps)");
    } else if (!can.get()) {
      f.block(Blocker.Kind.LIVE_MIGRATION, h.host() + " cannot track the dirty pages of " + type + " guest " + vm.rawName()
          + ": " + (type.equals("pv") ? "its Xen has no shadow paging" : "its Xen has neither HAP nor shadow paging")
          + " (virt_caps: " + String.join(" ", h.info().get().virtCaps().orElse(java.util.Set.of())) + ")");
    }
  }

  private static void bridges(DomainDetails vm, HostFacts target, Findings f) {
    for (int i = 0; i < vm.nics().size(); i++) {
      VifSpec v = vm.nics().get(i);
      if (v.bridge().isEmpty()) {
        f.warn("vif " + i + " of " + vm.rawName() + " names no bridge: the target's hotplug script picks one");
        continue;
      }
      InterfaceName br = v.bridge().get();
      List<InterfaceName> uplinks = target.bridges().get(br);
      if (uplinks == null) {
        f.block(Blocker.Kind.BRIDGE, target.host() + " has no bridge " + br + " (vif " + i + " of " + vm.rawName() + ")");
      } else if (uplinks.isEmpty()) {
        f.warn("bridge " + br + " on " + target.host() + " has no uplink: " + vm.rawName() + " would reach only local guests");
      }
    }
  }

  private static void disks(DomainDetails vm, HostFacts source, HostFacts target, Findings f) {
    for (DiskSpec d : vm.disks()) {
      Optional<String> path = d.target();
      if (path.isEmpty()) {
        continue; // an empty CD-ROM drive
      }
      String p = path.get();
      String what = d.vdev() + " of " + vm.rawName();
      if (!p.startsWith("/dev/mapper/")) {
        f.block(Blocker.Kind.DISK_NOT_SHARED, what + " is " + p + ", not a multipath map: nothing shows " + target.host()
            + " would see the same data");
        continue;
      }
      String map = p.substring("/dev/mapper/".length());
      HostFacts.LunMap here = source.maps().get(map);
      if (here == null) {
        f.block(Blocker.Kind.DISK_NOT_SHARED, what + " is " + p + ", which is not a multipath map on " + source.host());
        continue;
      }
      HostFacts.LunMap there = target.maps().get(map);
      if (there == null) {
        f.block(Blocker.Kind.DISK, target.host() + " has no multipath map " + map + " (" + what + ", LUN " + here.wwid() + ")");
      } else if (!there.wwid().equals(here.wwid())) {
        f.block(Blocker.Kind.DISK, target.host() + "'s map " + map + " is LUN " + there.wwid() + ", " + source.host() + "'s is "
            + here.wwid() + " (" + what + ")");
      } else if (there.sizeBytes() != here.sizeBytes()) {
        f.block(Blocker.Kind.DISK, target.host() + " sees LUN " + here.wwid() + " (" + map + ") with " + there.sizeBytes()
            + " bytes, " + source.host() + " with " + here.sizeBytes() + " (" + what + "; rescan the paths and resize the map)");
      } else if (there.paths() < 2) {
        f.warn(target.host() + "'s map " + map + " has " + there.paths() + " path" + (there.paths() == 1 ? "" : "s")
            + ": " + vm.rawName() + " would run there without redundancy");
      }
    }
  }

  /**
   * Whether the target's {@code multipath.conf} admits each of the VM's inventoried LUNs under its
   * alias (the VM's disks on {@code /dev/mapper/<alias>}, that alias's WWID in {@code inventory}):
   * a blocker for each {@link InventoryGap}; a warning for a disk on a map the inventory does not
   * list, whose survival of a reload on the target nothing shows.
   */
  static void inventory(DomainDetails vm, HostFacts target, LunInventory inventory, Findings f) {
    for (DiskSpec d : vm.disks()) {
      Optional<String> path = d.target().filter(p -> p.startsWith("/dev/mapper/"));
      if (path.isEmpty()) {
        continue; // not on a map: disks() blocks it already
      }
      String map = path.get().substring("/dev/mapper/".length());
      Optional<Lun> lun = MultipathAlias.isValid(map) ? inventory.find(MultipathAlias.of(map)) : Optional.empty();
      if (lun.isEmpty()) {
        f.warn(d.vdev() + " of " + vm.rawName() + " is on map " + map + ", which the LUN inventory does not list: nothing "
            + "shows " + target.host() + "'s " + HostFacts.MULTIPATH_CONF + " keeps it after a reload");
        continue;
      }
      List<DomainName> blocks = vm.name().map(List::of).orElse(List.of());
      InventoryGap.of(target, lun.get(), blocks).forEach(g -> f.block(Blocker.Kind.MULTIPATH_CONFIG, g.detail()));
    }
  }

  private static void lockdown(DomainDetails vm, HostFacts target, Findings f) {
    for (int i = 0; i < vm.nics().size(); i++) {
      VifSpec v = vm.nics().get(i);
      if (v.ips().isEmpty()) {
        f.warn("vif " + i + " of " + vm.rawName() + " has no ip=: it is not locked against spoofing, here or there");
      } else if (v.vifname().isEmpty()) {
        f.block(Blocker.Kind.NO_VIFNAME, "vif " + i + " of " + vm.rawName() + " has addresses to lock but no vifname=: its "
            + "rules cannot be in place on " + target.host() + " before it arrives (VifNames gives stable names)");
      }
      if (v.vifname().isPresent() && target.interfaces().contains(v.vifname().get())) {
        f.block(Blocker.Kind.NAME_TAKEN, target.host() + " already has a device called " + v.vifname().get() + " (vif " + i
            + " of " + vm.rawName() + ")");
      }
    }
    List<String> toLock = new ArrayList<>();
    for (int i = 0; i < vm.nics().size(); i++) {
      if (!vm.nics().get(i).ips().isEmpty()) {
        toLock.add("vif " + i);
      }
    }
    if (!toLock.isEmpty() && target.filterBackend().isEmpty()) {
      f.block(Blocker.Kind.FILTER_TOOLS, target.host() + " has neither nft nor ebtables to lock " + String.join(", ", toLock)
          + " of " + vm.rawName());
    }
  }
}
