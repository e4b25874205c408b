/**
 * The shared LUN inventory: which WWID is which multipath alias (and which VM uses it), one file
 * for every host, and the {@code multipath.conf} generated from it.
 *
 * <h2>The file</h2>
 *
 * Modelled on multipath-tools' own {@code /etc/multipath/bindings} ({@code alias wwid} per line,
 * {@code #} comments), so operators can read, edit and diff it with the tools they already use:
 *
 * <pre>
 * # midplane LUN inventory: alias wwid [vm]
 * vm-web01 3600a0b800026b2820000004d4d2f6b4b
 * web01-data 3600a0b800026b2820000004e4d2f6b4c web01   # second disk of web01
 * vm-legacy "1ATA     WDC WD1003FBYX"
 * </pre>
 *
 * <ul>
 *   <li>one LUN per line: the alias (the map becomes {@code /dev/mapper/<alias>}), the WWID as
 *       multipath prints it, and optionally the VM (Xen domain) the disk belongs to — when it is
 *       missing the disk belongs to no VM in particular;
 *   <li>fields are separated by spaces or tabs; a WWID with inner spaces is written in double
 *       quotes;
 *   <li>{@code #} starts a comment, on its own line or after the fields (kept as the entry's note);
 *       blank lines and comment lines are kept as they are.
 * </ul>
 *
 * <p>Nothing is written unless the whole file is valid: alias, WWID and VM syntax; no WWID or alias
 * twice; no alias of the shape multipath generates itself ({@code mpatha}, {@code mpath7} — with
 * the configured {@code alias_prefix}), which would collide on a host where the map was once
 * created without alias; no alias equal to another LUN's WWID or shaped like a kernel block device
 * ({@code sdb}, {@code dm-3}), since multipath commands accept both kinds of names. Every problem is
 * reported at once, each with its line.
 *
 * <h2>The generated multipath.conf</h2>
 *
 * {@link dev.midplane.multipath.inventory.LunInventory#toConfig} applies the strategy of the
 * paper: {@code blacklist { wwid ".*" }}, a {@code blacklist_exceptions} line
 * {@code wwid "^<wwid>$"} per inventoried LUN (anchored and regex-escaped), and a
 * {@code multipaths { multipath { wwid …; alias … } }} entry per LUN, keeping the operator's other
 * sections and settings. Every host gets the same file: a host only ever creates the maps whose
 * paths it sees, so LUNs zoned to another blade are simply absent there (the lifecycle operations
 * of the second round check this before they create a map).
 */
@MidplaneStyle
package dev.midplane.multipath.inventory;

import dev.midplane.core.MidplaneStyle;
