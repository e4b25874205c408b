/**
 * What multipath-tools report about maps, as immutable values: a
 * {@link dev.midplane.multipath.topology.MapTopology} with its
 * {@link dev.midplane.multipath.topology.PathGroup}s and
 * {@link dev.midplane.multipath.topology.MultipathPath}s.
 *
 * <p>{@link dev.midplane.multipath.topology.MultipathListing} parses the topology printed by
 * {@code multipath -ll}, {@code multipath -l} and {@code multipathd show topology} — the tree
 * layout of multipath-tools 0.4.9 and later ({@code size=.. features='..' hwhandler='..' wp=rw},
 * {@code |-+- policy='..' prio=.. status=..}) as well as the bracket layout of the 0.4.x releases
 * ({@code [size=..][features=..][hwhandler=..]}, {@code \_ round-robin 0 [prio=..][active]}) —
 * keeping the log lines the tools interleave ({@code 43.357566 | sdc: …},
 * {@code Nov 25 10:00:00 | …}, {@code DM message failed …}) as messages; it also reads the names of
 * {@code multipath -ll -v1} and the JSON of {@code multipathd show maps json}, and writes the
 * topology layouts back (for simulated tools and benchmarks).
 * {@link dev.midplane.multipath.topology.MultipathdTable} reads {@code multipathd show maps} and
 * {@code show paths}, with or without a format string.
 *
 * <p>Sizes in the topology are what multipath printed ({@code 1.0G}), a rounded figure:
 * {@link dev.midplane.multipath.topology.DisplayedSize} says which byte counts print that way; the
 * exact size is in the device-mapper table ({@link dev.midplane.multipath.dm}).
 */
@MidplaneStyle
package dev.midplane.multipath.topology;

import dev.midplane.core.MidplaneStyle;
