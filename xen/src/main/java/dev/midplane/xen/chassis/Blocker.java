package dev.midplane.xen.chassis;

import java.util.Objects;

/**
 * One reason a VM cannot move to a host: what kind of obstacle, and the obstacle in words with
 * the names involved ({@code "blade2 has no bridge xenbr1 (vif 0 of vm1)"}).
 *
 * @param kind what sort of obstacle
 * @param detail the obstacle, for people
 */
public record Blocker(Kind kind, String detail) {
  /** Sorts of obstacles, roughly in the order a preflight finds them. */
  public enum Kind {
    /** The VM runs on no host, on several, or a host that must answer did not. */
    WHEREABOUTS,
    /** Source and target are the same host. */
    SAME_HOST,
    /** No toolstack works on a host, or source and target run different ones. */
    TOOLSTACK,
    /** The target's Xen is older than the source's (a stream only goes to the same or a newer Xen). */
    XEN_VERSION,
    /** The target lacks a bridge one of the VM's vifs is on. */
    BRIDGE,
    /** The target lacks one of the VM's multipath maps, or has it for another LUN or another size. */
    DISK,
    /** A disk is not on a multipath map, so nothing shows the target would see the same data. */
    DISK_NOT_SHARED,
    /** The target has not enough free memory. */
    MEMORY,
    /** A hypervisor cannot track the guest's dirty pages, which live migration needs. */
    LIVE_MIGRATION,
    /** The source cannot hand the VM to the target: no ssh (xl), or xend's relocation server refuses (xm). */
    RELOCATION,
    /** The target already has a domain of this name, or a device of one of the VM's vif names. */
    NAME_TAKEN,
    /** A vif to be locked has no stable dom0 name, so its rules cannot be there before it arrives. */
    NO_VIFNAME,
    /** The VM's vifs are to be locked but the target has neither nft nor ebtables. */
    FILTER_TOOLS,
    /**
     * The target's {@code multipath.conf} does not admit one of the VM's inventoried LUNs under the
     * inventory's alias: its map may be there now but would not come back right after a reload or
     * a reboot (see {@link InventoryGap}).
     */
    MULTIPATH_CONFIG
  }

  public Blocker {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return detail;
  }
}
