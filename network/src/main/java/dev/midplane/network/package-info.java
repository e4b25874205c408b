/**
 * Networking of a Xen blade: links, bridges (and, through the same backends, bonds and VLANs),
 * read and changed through iproute2 or bridge-utils, every change a {@link
 * dev.midplane.core.plan.Plan}. Entered from a host with {@link dev.midplane.network.Network#on}.
 * Anti-spoofing for VM interfaces lives in {@code antispoof}, persistent configuration
 * ({@code ifcfg-*} files, NetworkManager keyfiles) in {@code persist}.
 */
@MidplaneStyle
package dev.midplane.network;

import dev.midplane.core.MidplaneStyle;
