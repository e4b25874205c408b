package dev.midplane.multipath.topology;

import java.util.List;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** A priority group of a map: its selector, priority, state and paths. */
@Value.Immutable
public abstract class PathGroup {
  /** 1-based position in the map, as device-mapper numbers groups. */
  public abstract int number();

  /** The path selector with its arguments, e.g. {@code service-time 0}. */
  public abstract String selector();

  /** The group's priority; absent where the 0.4.x layout omits it. */
  public abstract OptionalInt priority();

  public abstract PathGroupState state();

  public abstract List<MultipathPath> paths();

  @Value.Check
  void check() {
    if (number() < 1) {
      throw new IllegalStateException("path group numbers start at 1: " + number());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link PathGroup}. */
  public static final class Builder extends ImmutablePathGroup.Builder {}
}
