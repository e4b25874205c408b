/**
 * The network tools of a simulated host: {@code ip}, {@code bridge}, {@code brctl},
 * {@code ebtables}/{@code ebtables-save}/{@code ebtables-restore} and {@code nft}, registered on a
 * {@link dev.midplane.sysfs.sim.SimulatedKernel}'s runner by {@link
 * dev.midplane.network.sim.SimulatedNetworkTools#install}. They act on the kernel's simulated
 * network stack and answer in the real tools' formats — JSON shaped as iproute2 6.1 prints it,
 * {@code brctl show}'s columns, {@code ebtables-save} and {@code nft -j} listings — with their real
 * error messages and exit codes, so the SDK's network code runs unchanged on a simulated host,
 * anti-spoofing included.
 */
@MidplaneStyle
package dev.midplane.network.sim;

import dev.midplane.core.MidplaneStyle;
