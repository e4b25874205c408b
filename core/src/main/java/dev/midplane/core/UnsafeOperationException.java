package dev.midplane.core;

/**
 * An operation was refused because it could lose data or connectivity: flushing an open map,
 * deleting the last live path, shrinking a LUN, removing a bond's active slave, migrating to a
 * host that lacks the VM's disks. Nothing was changed when this is thrown.
 */
public class UnsafeOperationException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final String operation;
  private final java.util.List<String> reasons;

  public UnsafeOperationException(String operation, String reason) {
    this(operation, java.util.List.of(reason));
  }

  public UnsafeOperationException(String operation, java.util.List<String> reasons) {
    super("refused to " + operation + ": " + String.join("; ", reasons));
    this.operation = operation;
    this.reasons = java.util.List.copyOf(reasons);
  }

  /** The refused operation, in words, e.g. {@code "flush multipath map vm-web01"}. */
  public String operation() {
    return operation;
  }

  /** Every reason found, not only the first. */
  public java.util.List<String> reasons() {
    return reasons;
  }
}
