package dev.midplane.xen.chassis;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a VM can move live to a host now, and if not every reason why: the target must have
 * every bridge the VM's vifs are on, every multipath map its disks are on for the same LUN and of
 * the same size, the free memory it needs and a hypervisor that can track its dirty pages; the
 * source must be able to hand it over (xl: ssh from the source to the target; xm: the target's
 * xend relocation server, whose allow-list admits the source); both must run the same toolstack,
 * the target a Xen no older than the source's; the target must have neither a domain of the VM's
 * name nor a device of one of its vif names; and if the VM's vifs are locked against spoofing, the
 * target must have a filter tool and the vifs stable names. When the chassis knows the shared LUN
 * inventory ({@link XenChassis#withInventory}), the target's {@code /etc/multipath.conf} must also
 * admit each of the VM's inventoried LUNs under its alias
 * ({@link dev.midplane.multipath.config.MultipathConfig#admission}), so that the map comes back
 * with its name after a reload or a reboot there.
 *
 * @param vm the VM
 * @param source where it runs (empty when it runs on no host, or on several)
 * @param target where it would go
 * @param blockers every obstacle found; empty when the migration may go ahead
 * @param warnings what does not stop the migration but deserves a look
 */
public record MigrationPreflight(DomainName vm, Optional<HostName> source, HostName target, List<Blocker> blockers,
    List<String> warnings) {
  public MigrationPreflight {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    blockers = List.copyOf(blockers);
    warnings = List.copyOf(warnings);
  }

  /** Whether nothing stands in the way. */
  public boolean isClear() {
    return blockers.isEmpty();
  }

  /** The blockers of one kind. */
  public List<Blocker> blockers(Blocker.Kind kind) {
    return blockers.stream().filter(b -> b.kind() == kind).toList();
  }

  /**
   * Returns this when clear.
   *
   * @throws UnsafeOperationException with every blocker as a reason otherwise
   */
  public MigrationPreflight requireClear() {
    if (!isClear()) {
      throw new UnsafeOperationException(operation(), blockers.stream().map(Blocker::detail).toList());
    }
    return this;
  }

  String operation() {
    return "migrate " + vm + source.map(s -> " from " + s).orElse("") + " to " + target;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("preflight: ").append(operation()).append(isClear() ? ": clear" : ": blocked");
    blockers.forEach(x -> b.append("\n  blocker (").append(x.kind()).append("): ").append(x.detail()));
    warnings.forEach(w -> b.append("\n  warning: ").append(w));
    return b.toString();
  }
}
