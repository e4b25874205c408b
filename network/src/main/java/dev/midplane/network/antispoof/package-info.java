/**
 * Anti-spoofing for Xen VM interfaces on a Linux bridge: a {@link
 * dev.midplane.network.antispoof.VifPolicy} (vif, MAC, IPv4 addresses) is rendered as an ebtables
 * ruleset or as an nftables {@code bridge} table and applied, verified and removed by {@link
 * dev.midplane.network.antispoof.AntiSpoofing}.
 *
 * <p>Each vif's checks live in chains of their own, reached by a jump and left by return, so a
 * verdict about one VM's frames never skips the checks protecting another (an accept would end the
 * whole chain). Rulesets read back from the kernel ({@link
 * dev.midplane.network.antispoof.Ebtables}, {@link dev.midplane.network.antispoof.Nft}) become a
 * {@link dev.midplane.network.antispoof.Ruleset}, and {@link
 * dev.midplane.network.antispoof.BridgeFilter} answers what that ruleset does to a {@link
 * dev.midplane.network.antispoof.Frame} — the model the property tests check the rendered rules
 * with, and the one lock verification probes the live rules with.
 */
@MidplaneStyle
package dev.midplane.network.antispoof;

import dev.midplane.core.MidplaneStyle;
