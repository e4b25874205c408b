/**
 * Device-mapper multipath for midplane: each VM disk is an FC LUN seen over two paths and grouped
 * by dm-multipath into {@code /dev/mapper/<alias>}, the alias being the VM's name.
 *
 * <p>The entry point is {@link dev.midplane.multipath.Multipath#on Multipath.on(host)}: the maps of a
 * host as {@link dev.midplane.multipath.MultipathDevice} handles whose
 * {@link dev.midplane.multipath.MultipathDevice#status() status()} is a fresh immutable
 * {@link dev.midplane.multipath.MultipathDeviceStatus}, and the lifecycle of a LUN —
 * {@link dev.midplane.multipath.Multipath#create create} (inventory, {@code multipath.conf}, reload,
 * wait for the alias), {@link dev.midplane.multipath.Multipath#scan scan},
 * {@link dev.midplane.multipath.MultipathDevice#resize resize} (grow only, every path agreeing) and
 * {@link dev.midplane.multipath.MultipathDevice#remove remove} (never an open map, never a live
 * map's last path) — each a single-use command whose {@code plan()} can be dry-run, and whose
 * {@code call()} applies it, verifies each step against the live host and rolls back on failure.
 * {@link dev.midplane.multipath.sim} runs all of it on a simulated kernel.
 *
 * <p>Underneath, the module is layered so that everything that can be decided from text is a pure
 * function:
 *
 * <ul>
 *   <li>{@link dev.midplane.multipath.config} — {@code multipath.conf} as code: an immutable model
 *       that keeps comments and unknown keywords, a parser with line numbers, a writer, and the
 *       keyword catalogue of multipath-tools 0.9 that flags what the tool would warn about.
 *   <li>{@link dev.midplane.multipath.inventory} — the shared WWID → alias (→ VM) inventory, one
 *       file for every host, validated before it is written, and the generation of the
 *       blacklist-everything-but-the-inventory {@code multipath.conf} from it.
 *   <li>{@link dev.midplane.multipath.topology} — what multipath-tools report about maps:
 *       {@code multipath -ll}/{@code -l} (tree and 0.4.x bracket layouts), {@code multipathd show
 *       topology}, {@code show maps json}, {@code show maps|paths format …}.
 *   <li>{@link dev.midplane.multipath.dm} — what device-mapper reports: {@code dmsetup table},
 *       {@code status}, {@code info}, {@code ls}, {@code ls --tree}, with the multipath target's
 *       table and status syntax parsed into values.
 *   <li>{@link dev.midplane.multipath.backend} — the narrow SPI over the tools
 *       ({@link dev.midplane.multipath.backend.MultipathTools},
 *       {@link dev.midplane.multipath.backend.DeviceMapper}) with command-line implementations that
 *       build exact argv lists and parse the real outputs.
 * </ul>
 *
 * <p>Parsers never return a partial result: malformed or truncated input throws
 * {@link dev.midplane.multipath.MultipathParseException} naming the line.
 */
@MidplaneStyle
package dev.midplane.multipath;

import dev.midplane.core.MidplaneStyle;
