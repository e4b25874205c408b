package dev.midplane.network.antispoof;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chain: a base chain ({@link #hook()} present) entered by every frame at its hook in
 * {@link #priority()} order, or a user chain entered only by jumps.
 *
 * @param policy what happens at the end: ACCEPT or DROP for base chains; for user chains
 *     RETURN (nftables, and ebtables' usual choice), or ACCEPT or DROP as ebtables allows
 */
public record Chain(String name, Optional<Hook> hook, int priority, Action policy, List<Rule> rules) {
  public Chain {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hook, "hook");
    Objects.requireNonNull(policy, "policy");
    rules = List.copyOf(rules);
    if (!(policy instanceof Action.Accept || policy instanceof Action.Drop || policy instanceof Action.Return)) {
      throw new IllegalArgumentException("a chain policy is accept, drop or return, not " + policy);
    }
  }

  public boolean isBase() {
    return hook.isPresent();
  }
}
