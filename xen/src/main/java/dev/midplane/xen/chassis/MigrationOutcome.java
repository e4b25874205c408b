package dev.midplane.xen.chassis;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.xen.MigrationResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chassis migration that finished: the VM runs on the target only, with its rules and placement.
 *
 * @param vm the VM
 * @param source where it ran
 * @param target where it runs
 * @param preflight what the preflight found (warnings included)
 * @param report each step of the plan
 * @param migration the toolstack's run (every line it printed), empty when it reported a failure
 *     the plan recovered from (see {@code notes})
 * @param notes what happened besides the steps
 */
public record MigrationOutcome(DomainName vm, HostName source, HostName target, MigrationPreflight preflight,
    PlanReport report, Optional<MigrationResult> migration, List<String> notes) {
  public MigrationOutcome {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(report, "report");
    notes = List.copyOf(notes);
  }
}
