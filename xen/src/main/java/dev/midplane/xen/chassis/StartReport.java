package dev.midplane.xen.chassis;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Placement#startAllFor} did with each VM placed on a host.
 *
 * @param host the host
 * @param vms one entry per VM placed there, by name
 */
public record StartReport(HostName host, List<VmStart> vms) {
  /** What happened to one VM. */
  public enum Outcome {
    /** Created, locked and unpaused. */
    STARTED,
    /** It already ran on the host; nothing was done. */
    ALREADY_RUNNING,
    /** Not started, because starting it could run it twice or it has no profile: see the detail. */
    REFUSED,
    /** Starting it failed and was rolled back: see the detail. */
    FAILED
  }

  /**
   * One VM's outcome.
   *
   * @param vm the VM
   * @param outcome what happened
   * @param detail why, in words
   */
  public record VmStart(DomainName vm, Outcome outcome, String detail) {
    public VmStart {
      Objects.requireNonNull(vm, "vm");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return vm + ": " + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (" + detail + ")";
    }
  }

  public StartReport {
    Objects.requireNonNull(host, "host");
    vms = List.copyOf(vms);
  }

  public List<DomainName> with(Outcome outcome) {
    return vms.stream().filter(v -> v.outcome() == outcome).map(VmStart::vm).toList();
  }

  public List<DomainName> started() {
    return with(Outcome.STARTED);
  }

  public List<VmStart> refused() {
    return vms.stream().filter(v -> v.outcome() == Outcome.REFUSED).toList();
  }

  public List<VmStart> failed() {
    return vms.stream().filter(v -> v.outcome() == Outcome.FAILED).toList();
  }

  /** Whether every VM placed on the host runs there now. */
  public boolean allRunning() {
    return vms.stream().allMatch(v -> v.outcome() == Outcome.STARTED || v.outcome() == Outcome.ALREADY_RUNNING);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("start VMs placed on ").append(host).append(':');
    vms.forEach(v -> b.append("\n  ").append(v));
    return b.toString();
  }
}
