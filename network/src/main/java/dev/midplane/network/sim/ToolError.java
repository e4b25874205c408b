package dev.midplane.network.sim;

import dev.midplane.core.exec.Reply;
import dev.midplane.sysfs.sim.KernelException;

/** A simulated tool's failure: its exit code and what it prints on stderr. */
final class ToolError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int exit;

  ToolError(int exit, String stderr) {
    super(stderr, null, false, false);
    this.exit = exit;
  }

  Reply reply() {
    return Reply.fail(exit, getMessage());
  }

  /** How iproute2 reports a refused netlink request: the extended ack, else the errno's text. */
  static ToolError rtnetlink(KernelException e) {
    return e.extack().map(ToolError::extack)
        .orElseGet(() -> new ToolError(2, "RTNETLINK answers: " + e.strerror()));
  }

  /** {@code Error: TEXT.}, as iproute2 prints an extended ack (adding the full stop). */
  static ToolError extack(String text) {
    return new ToolError(2, "Error: " + text + (text.endsWith(".") ? "" : "."));
  }

  /** iproute2's own refusal of an argument, before anything reaches the kernel. */
  static ToolError badArgument(String argument, String what) {
    return new ToolError(255, "Error: argument \"" + argument + "\" is wrong: " + what);
  }

  static ToolError noDevice(String name) {
    return new ToolError(1, "Cannot find device \"" + name + "\"");
  }
}
