package dev.midplane.xen;

import dev.midplane.core.names.DomainName;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.immutables.value.Value;

/**
 * One row of {@code xl list} / {@code xm list}: a snapshot of a domain's name, id, memory, virtual
 * CPUs, state flags and CPU time.
 *
 * <p>A dying domain whose name is already gone is listed as {@code (null)}: {@link #rawName()}
 * keeps what was printed, {@link #name()} is empty then (as it is for a name this SDK's
 * {@link DomainName} rules refuse). A domain xm manages but that is not running has no id.
 */
@Value.Immutable
public abstract class DomainInfo {
  /** The name column as printed ({@code (null)} for a domain whose name is gone). */
  public abstract String rawName();

  /** The domain id; empty for an inactive domain xend manages. */
  public abstract OptionalInt id();

  /** Current memory in MiB. */
  public abstract long memoryMib();

  /** Virtual CPUs. */
  public abstract int vcpus();

  /** The state flags; empty for a domain that is neither running nor blocked nor anything else ({@code ------}). */
  public abstract Set<DomainState> state();

  /** CPU time used so far, in seconds. */
  public abstract double cpuSeconds();

  @Value.Check
  protected void check() {
    if (rawName().isEmpty() || rawName().chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a listed domain name is non-empty and has no whitespace: '" + rawName() + "'");
    }
    if (memoryMib() < 0 || vcpus() < 0 || cpuSeconds() < 0 || id().orElse(0) < 0) {
      throw new IllegalArgumentException("negative memory, vcpus, id or CPU time in " + this);
    }
  }

  /** The name, when it is a valid {@link DomainName} (never for {@code (null)}). */
  public Optional<DomainName> name() {
    return DomainName.isValid(rawName()) ? Optional.of(DomainName.of(rawName())) : Optional.empty();
  }

  /** Whether the domain is being destroyed ({@code d} flag, or listed as {@code (null)}). */
  public boolean isDying() {
    return state().contains(DomainState.DYING) || rawName().equals("(null)");
  }

  /** Whether this is the control domain (id 0). */
  public boolean isDomain0() {
    return id().isPresent() && id().getAsInt() == 0;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link DomainInfo}; every attribute except {@link #id()} is required. */
  public static final class Builder extends ImmutableDomainInfo.Builder {}
}
