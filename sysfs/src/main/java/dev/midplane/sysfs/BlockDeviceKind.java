package dev.midplane.sysfs;

/** What a whole block device is, as told by where its sysfs directory sits. */
public enum BlockDeviceKind {
  /** A SCSI disk: {@code .../H:C:T:L/block/sdX}. */
  SCSI_DISK,
  /** A device-mapper device: {@code /sys/devices/virtual/block/dm-N}. */
  DEVICE_MAPPER,
  /** Any other disk: virtio, NVMe, loop, zram, … */
  OTHER
}
