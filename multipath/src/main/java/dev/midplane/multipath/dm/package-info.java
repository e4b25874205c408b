/**
 * What device-mapper reports about multipath maps, parsed from {@code dmsetup}'s output into
 * immutable values: {@link dev.midplane.multipath.dm.DmsetupDevice} ({@code dmsetup ls}),
 * {@link dev.midplane.multipath.dm.DmTreeNode} ({@code ls --tree}),
 * {@link dev.midplane.multipath.dm.DmTarget} and {@link dev.midplane.multipath.dm.MultipathTable}
 * ({@code dmsetup table}: features, hardware handler, path groups with selector and paths with
 * their arguments, sizes in bytes), {@link dev.midplane.multipath.dm.MultipathStatus}
 * ({@code dmsetup status}: which group is active, which paths failed and how often),
 * {@link dev.midplane.multipath.dm.DmInfo} ({@code dmsetup info} and {@code info -c}: open count,
 * suspended, UUID). The entry point is {@link dev.midplane.multipath.dm.DmsetupOutput}.
 *
 * <p>The multipath target's syntax is the kernel's ({@code drivers/md/dm-mpath.c},
 * {@code Documentation/admin-guide/device-mapper}): every list is preceded by its length, so a
 * table or status cut short or with a wrong count is detected and reported with the word where it
 * went wrong. {@link dev.midplane.multipath.dm.MultipathTable#render()} writes a table back in the
 * same syntax, as {@code dmsetup reload --table} takes it.
 */
@MidplaneStyle
package dev.midplane.multipath.dm;

import dev.midplane.core.MidplaneStyle;
