/**
 * Configuration that survives a reboot: the blade's bonds, bridges and VLANs written as CentOS/RHEL
 * {@code ifcfg-*} files ({@link dev.midplane.network.persist.IfcfgStore}) or NetworkManager
 * keyfiles ({@link dev.midplane.network.persist.KeyfileStore}), both read back into the same
 * {@link dev.midplane.network.persist.InterfaceConfig}. Existing files are parsed with their
 * comments and unknown keys kept, and every write is an atomic replacement inside a plan that
 * verifies the file and restores the previous one on rollback.
 */
@MidplaneStyle
package dev.midplane.network.persist;

import dev.midplane.core.MidplaneStyle;
