/**
 * S-expressions as xend writes and reads them: {@link dev.midplane.xen.sxp.Sxp} values
 * ({@link dev.midplane.xen.sxp.SxpAtom}, {@link dev.midplane.xen.sxp.SxpList}) for
 * {@code xm list --long} and the old SXP form of {@code xl list -l};
 * {@link dev.midplane.xen.sxp.SxpDocument} for files edited in place with comments kept; and
 * {@link dev.midplane.xen.sxp.XendConfig}, the typed view of {@code xend-config.sxp}'s relocation
 * settings, with {@link dev.midplane.xen.sxp.RelocationAllowList} to build and judge
 * {@code xend-relocation-hosts-allow}.
 */
@MidplaneStyle
package dev.midplane.xen.sxp;

import dev.midplane.core.MidplaneStyle;
