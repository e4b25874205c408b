package dev.midplane.xen;

import java.util.List;
import java.util.OptionalInt;

/**
 * The toolstack process aborted on its way out ({@code libgcc_s.so.1 must be installed for
 * pthread_cancel to work}, then signal 6), after the operation itself may well have completed:
 * seen in real runs at the end of create, attach and save when dom0 lacked {@code libgcc_s.so.1}.
 * Check the domain's state before retrying — a retried create can start the domain twice.
 */
public class ToolstackAbortedException extends ToolstackException {
  private static final long serialVersionUID = 1L;

  public ToolstackAbortedException(String host, List<String> argv, OptionalInt exitCode, String stderr, String operation,
      List<String> errorLines) {
    super(host, argv, exitCode, stderr, operation, errorLines,
        "xl aborted at exit because dom0 lacks libgcc_s.so.1 (it is loaded with dlopen, so ldd does not list it); "
            + "the operation may have completed: check the domain's state before retrying", null);
  }
}
