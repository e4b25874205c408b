package dev.midplane.xen;

import java.util.List;
import java.util.OptionalInt;

/**
 * A device hotplug script did not finish: libxl killed it after its timeout ({@code killing
 * execution of /etc/xen/scripts/block add because of timeout}), so the device — and with it a
 * domain being created — did not come up.
 */
public class HotplugFailedException extends ToolstackException {
  private static final long serialVersionUID = 1L;
  private final String script;
  private final String action;

  public HotplugFailedException(String host, List<String> argv, OptionalInt exitCode, String stderr, String operation,
      List<String> errorLines, String script, String action) {
    super(host, argv, exitCode, stderr, operation, errorLines,
        "libxl killed the hotplug script '" + script + " " + action + "' after its timeout (40 s in libxl); the scripts "
            + "need bash, flock and /dev/stdin in dom0, and a busy dom0 can exceed the limit", null);
    this.script = script;
    this.action = action;
  }

  /** The script libxl killed: {@code /etc/xen/scripts/block}. */
  public String script() {
    return script;
  }

  /** {@code add} or {@code remove}. */
  public String action() {
    return action;
  }
}
