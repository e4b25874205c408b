package dev.midplane.multipath.inventory;

import java.util.Objects;

/**
 * Why an inventory cannot be used, and where.
 *
 * @param line the 1-based line of the inventory file (of its rendering, for an inventory built in
 *     code); 0 when the problem is not on one line
 * @param message what is wrong
 */
public record InventoryProblem(int line, String message) {
  public InventoryProblem {
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return (line > 0 ? "line " + line + ": " : "") + message;
  }
}
