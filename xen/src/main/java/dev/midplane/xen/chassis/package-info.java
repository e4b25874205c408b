/**
 * Xen across the blades of a chassis: what each host offers ({@link
 * dev.midplane.xen.chassis.HostFacts}), whether a VM can move from one to another ({@link
 * dev.midplane.xen.chassis.MigrationPreflight}, every {@link dev.midplane.xen.chassis.Blocker}
 * found), live migration as a plan that carries the VM's anti-spoofing rules and its placement
 * along ({@link dev.midplane.xen.chassis.ChassisMigration}), VM profiles kept in a shared
 * directory with their history ({@link dev.midplane.xen.chassis.Profiles}), the placement of VMs
 * on hosts that survives reboots ({@link dev.midplane.xen.chassis.Placement}) and the homogeneity
 * report ({@link dev.midplane.xen.chassis.HomogeneityReport}), which with the shared LUN inventory
 * also holds every host's {@code multipath.conf} against it ({@link
 * dev.midplane.xen.chassis.InventoryGap}).
 *
 * <p>{@link dev.midplane.xen.chassis.XenChassis#of} is the entry point: a core
 * {@link dev.midplane.core.chassis.Chassis} of hosts and the shared directory. Every question
 * asked of all hosts runs through {@code Chassis.onEach}, in parallel with per-host timeouts; a
 * host that does not answer is a reason to refuse, never taken as an empty answer.
 */
@MidplaneStyle
package dev.midplane.xen.chassis;

import dev.midplane.core.MidplaneStyle;
