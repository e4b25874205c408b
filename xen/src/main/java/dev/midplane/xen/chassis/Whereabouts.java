package dev.midplane.xen.chassis;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.DomainState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a VM is across a chassis at one moment: on each host that has it, its domain and the
 * half-migrated copies xl leaves behind ({@code <vm>--incoming} while it arrives,
 * {@code <vm>--migratedaway} while it leaves, a suspended one after a migration that failed during
 * its final handshake); and the hosts that did not answer, which might have it too.
 *
 * @param vm the VM
 * @param copies per host that has any: the domains of the VM's name and of its copies' names
 * @param unanswered per host that did not answer: why
 */
public record Whereabouts(DomainName vm, Map<HostName, List<DomainInfo>> copies, Map<HostName, String> unanswered) {
  private static final Set<DomainState> NOT_LIVE = Set.of(DomainState.SHUTDOWN, DomainState.CRASHED, DomainState.DYING);

  public Whereabouts {
    Objects.requireNonNull(vm, "vm");
    Map<HostName, List<DomainInfo>> c = new LinkedHashMap<>();
    copies.forEach((h, l) -> c.put(h, List.copyOf(l)));
    copies = java.util.Collections.unmodifiableMap(c);
    unanswered = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unanswered));
  }

  /** Whether {@code rawName} is the VM or one of xl's migration copies of it. */
  static boolean isCopyName(DomainName vm, String rawName) {
    return rawName.equals(vm.value()) || rawName.equals(vm.value() + "--incoming") || rawName.equals(vm.value() + "--migratedaway");
  }

  /** The hosts where the VM, under its own name, is alive (running, blocked or paused). */
  public List<HostName> runningOn() {
    return copies.entrySet().stream()
        .filter(e -> e.getValue().stream().anyMatch(d -> d.rawName().equals(vm.value()) && isLive(d)))
        .map(Map.Entry::getKey).toList();
  }

  static boolean isLive(DomainInfo d) {
    return d.state().stream().noneMatch(NOT_LIVE::contains) && !d.isDying();
  }

  /** Whether every host answered. */
  public boolean isComplete() {
    return unanswered.isEmpty();
  }

  /** The one host the VM runs on, when every host answered and it runs, without copies, on exactly one. */
  public Optional<HostName> onlyHost() {
    List<HostName> r = runningOn();
    if (!isComplete() || r.size() != 1 || copies.size() != 1 || copies.get(r.get(0)).size() != 1) {
      return Optional.empty();
    }
    return Optional.of(r.get(0));
  }

  /** Whether the VM is nowhere, as far as every host says. */
  public boolean isNowhere() {
    return isComplete() && copies.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(vm.value()).append(": ");
    if (copies.isEmpty()) {
      b.append("on no host");
    } else {
      copies.forEach((h, l) -> b.append(h).append(' ').append(l.stream().map(d -> d.rawName() + " ("
          + DomainState.render(d.state()) + ")").toList()).append("; "));
    }
    unanswered.forEach((h, why) -> b.append("; ").append(h).append(" did not answer: ").append(why));
    return b.toString();
  }
}
