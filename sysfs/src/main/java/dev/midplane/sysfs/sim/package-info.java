/**
 * The simulated kernel every module is tested on, and the embedded demo runs on.
 *
 * <p>{@link dev.midplane.sysfs.sim.SimulatedKernel} keeps a stateful {@code /sys}, {@code /proc},
 * {@code /dev} and {@code /run/udev} under a directory and reacts to attribute writes the way
 * Linux does; it supplies the {@link dev.midplane.core.Host} (its attribute writer, and the
 * {@link dev.midplane.core.exec.SimulatedRunner} other modules register their simulated tools on).
 * Simulated tools drive it through a Java API that answers with real errno values
 * ({@link dev.midplane.sysfs.sim.KernelException}): {@link dev.midplane.sysfs.sim.SimulatedNet}
 * (links, bonds, bridges, VLANs), {@link dev.midplane.sysfs.sim.SimulatedDeviceMapper} (dm
 * devices, tables, open counts) and {@link dev.midplane.sysfs.sim.SimulatedScsi} (HBAs and disks).
 * Behind the FC HBAs sits a {@link dev.midplane.sysfs.sim.SimulatedSan}, shared by the kernels of a
 * chassis.
 *
 * <p>Presets: {@link dev.midplane.sysfs.sim.SimulatedKernel#blade} (2 FC HBA ports, 4 NICs,
 * bond0/bond1 active-backup, xenbr0/xenbr1), {@link dev.midplane.sysfs.sim.SimulatedKernel#bareBlade}
 * (the same hardware, unconfigured) and {@link dev.midplane.sysfs.sim.SimulatedScsiDebug#boot} (only
 * the scsi_debug driver's SCSI hosts, as the real-kernel lab's guest has them).
 */
package dev.midplane.sysfs.sim;
