/**
 * Simulated multipath-tools and device-mapper tools for a simulated kernel: install them with
 * {@link dev.midplane.multipath.sim.SimulatedMultipathTools#install} and a
 * {@link dev.midplane.sysfs.sim.SimulatedKernel}'s host answers {@code multipath},
 * {@code multipathd} and {@code dmsetup} as a real host does — reading its
 * {@code /etc/multipath.conf}, grouping the kernel's SCSI paths by WWID into device-mapper maps
 * with {@code slaves/}, {@code holders/} and {@code /dev/mapper/<alias>}, and answering in the real
 * output formats, with the real refusals ({@code map in use}, multipathd's {@code fail},
 * {@code Device does not exist.}). Nothing here is faked per test: the same command-line backends
 * ({@link dev.midplane.multipath.backend}) that drive real hosts drive these, so the whole LUN
 * lifecycle of {@link dev.midplane.multipath.Multipath} runs in-process, in tests and in the demo.
 *
 * <p>Known differences from multipath-tools 0.9.4: only the keywords listed on
 * {@link dev.midplane.multipath.sim.SimulatedMultipathTools} are honoured; the built-in hardware
 * table knows only the LIO-ORG entry; multipathd reacts to the kernel's events when the next tool
 * command runs rather than a few seconds later; {@code multipathd show maps json} prints the fields
 * the SDK reads with plausible values for the others ({@code next_check}, counters); events and
 * read-ahead of {@code dmsetup info} are constant.
 */
@MidplaneStyle
package dev.midplane.multipath.sim;

import dev.midplane.core.MidplaneStyle;
