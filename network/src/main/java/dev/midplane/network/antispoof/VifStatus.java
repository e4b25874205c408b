package dev.midplane.network.antispoof;

import dev.midplane.core.names.InterfaceName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A vif's anti-spoofing as the kernel has it right now.
 *
 * @param vif the interface
 * @param state locked as the SDK renders it, not locked at all, or locked but different
 * @param policy the policy the live rules implement, when they are recognisable
 * @param problems what differs from a clean lock, empty when {@link State#LOCKED}
 * @param droppedFromVm frames the ingress chain dropped (spoofing attempts), from the counters
 * @param droppedToVm frames the egress chain dropped (others' unicast the bridge flooded)
 */
public record VifStatus(InterfaceName vif, State state, Optional<VifPolicy> policy, List<String> problems,
    long droppedFromVm, long droppedToVm) {
  /** The overall verdict. */
  public enum State {
    /** The vif's chains, and the way to them, are exactly what a lock renders. */
    LOCKED,
    /** Nothing of the SDK's remains for this vif. */
    NOT_LOCKED,
    /** Some of it is there but it differs: see {@link #problems()}. */
    DRIFTED
  }

  public VifStatus {
    Objects.requireNonNull(vif, "vif");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(policy, "policy");
    problems = List.copyOf(problems);
  }

  public boolean isLocked() {
    return state == State.LOCKED;
  }

  @Override
  public String toString() {
    return vif + ": " + state.name().toLowerCase(java.util.Locale.ROOT)
        + policy.map(p -> " (" + p.mac() + " " + p.addresses() + (p.dhcp() ? " +dhcp" : "") + ")").orElse("")
        + (state == State.LOCKED ? ", dropped " + droppedFromVm + " from / " + droppedToVm + " to the VM" : "")
        + (problems.isEmpty() ? "" : ": " + String.join("; ", problems));
  }
}
