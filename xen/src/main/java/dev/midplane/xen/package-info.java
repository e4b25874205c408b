/**
 * Xen on a blade host. {@link dev.midplane.xen.Xen#on(dev.midplane.core.Host)} is the entry point;
 * {@link dev.midplane.xen.XenDomain} is the handle on one domain (it acts; {@code status()} and
 * {@code details()} return fresh values: {@link dev.midplane.xen.DomainInfo},
 * {@link dev.midplane.xen.DomainDetails}); {@link dev.midplane.xen.Toolstack} is the SPI with one
 * command-line implementation for {@code xl} and {@code xm}; {@link dev.midplane.xen.MigrateCommand}
 * runs a live migration with progress ({@link dev.midplane.xen.MigrationEvent}).
 * {@link dev.midplane.xen.ToolstackOutputs} holds the pure parsers for everything the toolstacks
 * print, and renderers in {@code xl}'s exact layout. Failures carry evidence:
 * {@link dev.midplane.xen.ToolstackException} and its subtypes,
 * {@link dev.midplane.xen.DomainNotFoundException}.
 *
 * <p>Domain config files are in {@link dev.midplane.xen.config}, {@code xend-config.sxp} and
 * S-expressions in {@link dev.midplane.xen.sxp}.
 */
@MidplaneStyle
package dev.midplane.xen;

import dev.midplane.core.MidplaneStyle;
