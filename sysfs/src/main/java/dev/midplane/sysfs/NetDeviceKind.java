package dev.midplane.sysfs;

/**
 * What sysfs reveals about a network device's kind. sysfs cannot tell a veth from a dummy or a tun
 * device (only netlink can), so those are {@link #VIRTUAL}.
 */
public enum NetDeviceKind {
  /** A NIC with a bus device ({@code /sys/class/net/X/device} exists). */
  ETHERNET,
  /** {@code DEVTYPE=bond}. */
  BOND,
  /** {@code DEVTYPE=bridge}. */
  BRIDGE,
  /** {@code DEVTYPE=vlan}. */
  VLAN,
  /** A Xen netback interface ({@code vifD.N} under {@code /sys/devices/xen-backend}). */
  XEN_VIF,
  /** {@code lo}. */
  LOOPBACK,
  /** Any other virtual device: veth, dummy, tun, … */
  VIRTUAL
}
