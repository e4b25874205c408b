/**
 * Xen simulated on the sysfs module's simulated kernel, for tests, demos and jshell sessions that
 * need hosts with guests but have no hypervisor.
 *
 * <p>{@link dev.midplane.xen.sim.SimulatedXen#install} registers {@code xl} (Xen 4.17) or
 * {@code xm} (Xen 3.4 with xend) on one kernel's runner, backed by that host's domains: ids,
 * memory accounted against the host's total, virtual CPUs, states. Creating a domain checks what
 * Xen's hotplug scripts check (its bridges exist, its {@code phy:/dev/mapper/<alias>} disks exist
 * and are not open read-write elsewhere), creates its {@code vif<domid>.<n>} (or {@code vifname=})
 * devices on the bridges and holds its device-mapper devices open while it runs. Outputs are the
 * real layouts (the module's renderers, checked against real captures) and errors the real texts.
 *
 * <p>{@link dev.midplane.xen.sim.SimulatedChassis} puts several such blades behind one
 * {@link dev.midplane.sysfs.sim.SimulatedSan} and one management network with {@code ssh}, so
 * {@code xl migrate vm1 blade2} really moves the domain from one simulated host to the other while
 * printing the progress lines of a real run, one command at a time through each blade's runner —
 * so a {@link dev.midplane.core.exec.RecordingRunner} decorating a blade can fail the migration at
 * any stage. {@link dev.midplane.xen.sim.SimulatedChassis#reboot} ends a blade's domains, as a
 * power cycle does.
 *
 * <pre>{@code
 * SimulatedChassis sc = SimulatedChassis.builder().blades(2).build(dir);
 * sc.provisionLun(MultipathAlias.of("vm1"), 4L << 30);
 * Xen.on(sc.host("blade1")).create(config);
 * Xen.on(sc.host("blade1")).domain(DomainName.of("vm1")).migrate(HostName.of("blade2")).call();
 * }</pre>
 */
@MidplaneStyle
package dev.midplane.xen.sim;

import dev.midplane.core.MidplaneStyle;
