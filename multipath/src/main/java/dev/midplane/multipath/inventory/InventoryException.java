package dev.midplane.multipath.inventory;

import dev.midplane.core.MidplaneException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An inventory was refused: it could not be read, or it breaks a rule (duplicate WWID or alias,
 * invalid names, an alias that would collide with generated names). Carries every problem found,
 * each with its line. Nothing was written when this is thrown.
 */
public class InventoryException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final List<InventoryProblem> problems;

  public InventoryException(String source, List<InventoryProblem> problems) {
    super("LUN inventory " + source + ": " + problems.size() + (problems.size() == 1 ? " problem: " : " problems: ")
        + problems.stream().map(InventoryProblem::toString).collect(Collectors.joining("; ")));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The file or description of the inventory. */
  public String source() {
    return source;
  }

  /** Every problem, in line order. */
  public List<InventoryProblem> problems() {
    return problems;
  }
}
