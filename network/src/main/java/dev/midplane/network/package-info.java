/**
 * Networking of a Xen blade, entered from a host with {@link dev.midplane.network.Network#on}:
 * links, bridges, bonds and VLANs read and changed through iproute2, bridge-utils or the bonding
 * driver's sysfs files (one backend SPI, chosen from what the host has), as handles ({@link
 * dev.midplane.network.Bond}, {@link dev.midplane.network.Vlan}, {@link
 * dev.midplane.network.Bridge}, {@link dev.midplane.network.NetDevice}) whose every change is a
 * {@link dev.midplane.core.plan.Plan} verified against what the kernel reads back. {@link
 * dev.midplane.network.ArpAdvisor} reviews how the bonds watch their links (a blade NIC keeps its
 * carrier when the switch module behind it loses its uplink) and proposes ARP monitoring; {@link
 * dev.midplane.network.Network#layoutPlan} builds a whole blade. Anti-spoofing for VM interfaces
 * lives in {@code antispoof}, persistent configuration ({@code ifcfg-*} files, NetworkManager
 * keyfiles) in {@code persist}, the simulated network tools for simulated hosts in {@code sim}.
 */
@MidplaneStyle
package dev.midplane.network;

import dev.midplane.core.MidplaneStyle;
