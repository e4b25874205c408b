package dev.midplane.xen.sim;

import java.util.List;

/**
 * Why a simulated toolstack refused: the engine says what happened, {@link ToolstackCli} says it
 * the way {@code xl} or {@code xm} would.
 */
final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  enum Reason {
    /** args: name or id. */
    NO_SUCH_DOMAIN,
    /** args: name, id of the existing domain. */
    NAME_EXISTS,
    /** args: domid, needed MiB, free MiB. */
    NO_MEMORY,
    /** args: domid, vdev, path, strerror. */
    DISK_MISSING,
    /** args: domid, vdev, resolved device. */
    DISK_IN_USE,
    /** args: domid, devid, bridge ("" when none was given and none exists). */
    NO_BRIDGE,
    /** args: domid, devid, backend device, vifname. */
    VIFNAME_TAKEN,
    /** args: message. */
    BAD_CONFIG,
    /** args: domid, vdev. */
    VDEV_TAKEN,
    /** args: domid, device (vdev or mac or devid). */
    NO_SUCH_DEVICE,
    /** args: what (operation), for Domain-0. */
    DOMAIN0,
    /** args: path, strerror. */
    BAD_FILE
  }

  final Reason reason;
  final List<String> args;

  Refusal(Reason reason, Object... args) {
    super(reason + " " + List.of(args));
    this.reason = reason;
    this.args = java.util.Arrays.stream(args).map(String::valueOf).toList();
  }

  String arg(int i) {
    return args.get(i);
  }
}
