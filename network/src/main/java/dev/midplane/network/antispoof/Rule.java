package dev.midplane.network.antispoof;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One rule: all of its matches must hold for its action to apply (an empty list always holds).
 *
 * <p>Two rules are equal when they select the same frames and do the same thing: the same set of
 * matches, in any order, and the same action. Counters and the source text are evidence, not
 * meaning, and are not compared.
 *
 * @param matches the conditions, all of which must hold
 * @param action what happens to a frame that meets them
 * @param counters packet and byte counters, when the listing had them
 * @param source the rule as the tool printed or was given it ({@code -i vif1.0 -j x}), for
 *     messages and for deleting it again by its exact specification
 */
public record Rule(List<Match> matches, Action action, Optional<Counters> counters, String source) {
  /** Packets and bytes a rule has seen. */
  public record Counters(long packets, long bytes) {}

  public Rule {
    matches = List.copyOf(matches);
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(counters, "counters");
    Objects.requireNonNull(source, "source");
  }

  /** True when every match holds for {@code frame}. */
  public boolean matches(Frame frame) {
    for (Match m : matches) {
      if (!m.test(frame)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rule other && Set.copyOf(other.matches).equals(Set.copyOf(matches))
        && other.action.equals(action);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Set.copyOf(matches), action);
  }

  @Override
  public String toString() {
    return source;
  }
}
