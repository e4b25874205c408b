/**
 * Typed, rooted access to a host's {@code /sys} and {@code /proc}.
 *
 * <p>Enter with {@link dev.midplane.sysfs.Sysfs#on(dev.midplane.core.Host)}. Reading gives
 * immutable values: {@link dev.midplane.sysfs.Topology} (SCSI and FC hosts, remote ports, SCSI
 * paths with the WWID multipath uses, block and device-mapper devices, multipath maps, network
 * devices, bonds, bridges, VLANs), {@link dev.midplane.sysfs.ProcBonding}
 * ({@code /proc/net/bonding/bondN}, parsed and rendered) and {@link dev.midplane.sysfs.VlanConfig}
 * ({@code /proc/net/vlan/config}). Writing — SCSI scan, rescan and delete, FC LIP and timeouts, the
 * bonding sysfs interface ({@link dev.midplane.sysfs.Bonding}) — goes through
 * {@link dev.midplane.core.Host#writeAttribute}, so the kernel's refusals arrive with their errno.
 *
 * <p>Nothing here names a static {@code /sys}: the same code reads the local machine, a
 * {@link dev.midplane.sysfs.sim.SimulatedKernel simulated kernel}'s directory and a remote host.
 * Discovery is linear in the number of devices, reads each file at most once and each relation
 * from one side only ({@link dev.midplane.sysfs.DiscoveryStats} shows what it cost).
 */
@MidplaneStyle
package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
