package dev.midplane.xen.chassis;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.plan.PlanReport;
import java.util.List;
import java.util.Optional;

/**
 * A chassis migration did not finish. It says where the VM runs now, what the plan did and rolled
 * back ({@link #report()}, the cause's report), and — when the VM ran on exactly one host after the
 * failure — how rules and placement were reconciled with that host ({@link #reconciliation()}).
 */
public class ChassisMigrationException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final DomainName vm;
  private final HostName source;
  private final HostName target;
  private final transient Optional<Whereabouts> whereabouts;
  private final transient Optional<PlanReport> reconciliation;
  private final List<String> notes;

  public ChassisMigrationException(DomainName vm, HostName source, HostName target, PlanFailedException cause,
      Optional<Whereabouts> whereabouts, Optional<PlanReport> reconciliation, List<String> notes) {
    super(message(vm, source, target, cause, whereabouts, reconciliation), cause);
    this.vm = vm;
    this.source = source;
    this.target = target;
    this.whereabouts = whereabouts;
    this.reconciliation = reconciliation;
    this.notes = List.copyOf(notes);
  }

  private static String message(DomainName vm, HostName source, HostName target, PlanFailedException cause,
      Optional<Whereabouts> w, Optional<PlanReport> reconciled) {
    String where = w.map(x -> x.onlyHost().map(h -> vm + " runs on " + h).orElse("where " + vm + " is: " + x))
        .orElse("where " + vm + " is could not be read");
    return "migration of " + vm + " from " + source + " to " + target + " failed: " + cause.getMessage().lines().findFirst()
        .orElse("") + "; " + where + reconciled.map(r -> "; rules and placement reconciled with it" + (r.succeeded() ? ""
            : " (partly: " + r + ")")).orElse("");
  }

  public DomainName vm() {
    return vm;
  }

  public HostName source() {
    return source;
  }

  public HostName target() {
    return target;
  }

  /** Where the VM was after the failure; empty when the hosts could not be asked. */
  public Optional<Whereabouts> whereabouts() {
    return whereabouts;
  }

  /** Whether the VM runs on the target (and only there) now: the migration happened, finishing it did not. */
  public boolean migrated() {
    return whereabouts.flatMap(Whereabouts::onlyHost).filter(target::equals).isPresent();
  }

  /** The plan's steps: applied, failed, rolled back, refused to roll back. */
  public PlanReport report() {
    return ((PlanFailedException) getCause()).report();
  }

  /** The reconciliation run after the failure, when the VM ran on exactly one host. */
  public Optional<PlanReport> reconciliation() {
    return reconciliation;
  }

  public List<String> notes() {
    return notes;
  }
}
