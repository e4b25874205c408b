package dev.midplane.sysfs;

/**
 * Where a path's WWID came from. multipath-tools identifies a path by udev's {@code ID_SERIAL}
 * (its {@code uid_attribute}), so the udev database is preferred; the sysfs {@code wwid}
 * attribute spells the identifier the kernel's way and can differ (scsi_debug:
 * {@code naa.33333330000007d0} in sysfs, {@code 1Linux_scsi_debug_2000} in udev).
 */
public enum WwidSource {
  /** {@code E:ID_SERIAL=} in {@code /run/udev/data/b<major>:<minor>}. */
  UDEV_ID_SERIAL,
  /** The device's sysfs {@code wwid} attribute, converted with {@link dev.midplane.core.names.Wwid#fromSysfs}. */
  SYSFS_WWID
}
