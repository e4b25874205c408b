package dev.midplane.examples.demo;

import dev.midplane.core.Host;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.sysfs.MultipathMap;
import dev.midplane.sysfs.Sysfs;
import dev.midplane.sysfs.Topology;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.Xen;
import dev.midplane.xen.XenDomain;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.VifSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether a running domain can migrate from one host to another, every check run and every
 * blocker reported together: the domain runs at the source and not at the target; both run the
 * same toolstack; every bridge its interfaces use exists on the target; every disk is a multipath
 * map that the target has under the same alias, with the same WWID and the same size; the target
 * has the memory. Hosts are read through the SDK only ({@link Sysfs}, {@link Xen}), so local,
 * simulated and remote hosts are checked alike.
 *
 * <p>This stands in for the xen module's migration preflight until that ships; the command line
 * and the demo use it.
 */
public final class MigrationPreflight {
  /** One check: what was checked, whether it passed, and what was found. */
  public record Check(String what, boolean ok, String found) {
    @Override
    public String toString() {
      return (ok ? "ok       " : "BLOCKER  ") + what + ": " + found;
    }
  }

  /** Every check of one preflight. */
  public record Result(DomainName domain, HostName source, HostName target, List<Check> checks) {
    public Result {
      checks = List.copyOf(checks);
    }

    /** True when nothing blocks the migration. */
    public boolean ok() {
      return checks.stream().allMatch(Check::ok);
    }

    /** What blocks it, one sentence each. */
    public List<String> blockers() {
      return checks.stream().filter(c -> !c.ok()).map(c -> c.what() + ": " + c.found()).toList();
    }

    /**
     * Returns when nothing blocks the migration.
     *
     * @throws UnsafeOperationException with every blocker
     */
    public void requireOk() {
      if (!ok()) {
        throw new UnsafeOperationException("migrate " + domain + " from " + source + " to " + target, blockers());
      }
    }
  }

  private MigrationPreflight() {}

  /** Checks {@code domain}, running on {@code source}, against {@code target}. Changes nothing. */
  public static Result check(Host source, Host target, DomainName domain) {
    List<Check> checks = new ArrayList<>();
    Xen from = Xen.on(source);
    Xen to = Xen.on(target);
    XenDomain d = from.domain(domain);
    if (!d.exists()) {
      checks.add(new Check(domain + " runs on " + source.name(), false, "no such domain there"));
      return new Result(domain, source.name(), target.name(), checks);
    }
    boolean already = to.domain(domain).exists();
    checks.add(new Check(domain + " is not running on " + target.name(), !already,
        already ? "it is: migrating would run it twice" : "not running there"));
    var kindFrom = from.toolstack().kind();
    var kindTo = to.toolstack().kind();
    checks.add(new Check("same toolstack", kindFrom == kindTo, source.name() + " " + kindFrom.program() + ", "
        + target.name() + " " + kindTo.program()));

    DomainDetails details = d.details();
    Topology here = Sysfs.on(source).discover().network(false).call();
    Topology there = Sysfs.on(target).topology();
    for (VifSpec vif : details.nics()) {
      Optional<InterfaceName> bridge = vif.bridge();
      if (bridge.isEmpty()) {
        checks.add(new Check("interface " + vif.mac().map(Object::toString).orElse("?") + " names its bridge", false,
            "no bridge= in its spec: the target would pick one"));
        continue;
      }
      boolean exists = there.bridge(bridge.get()).isPresent();
      checks.add(new Check("bridge " + bridge.get() + " exists on " + target.name(), exists,
          exists ? "yes, ports " + there.bridge(bridge.get()).get().ports().stream().map(p -> p.name().value()).toList()
              : "no such bridge"));
    }
    for (DiskSpec disk : details.disks()) {
      Optional<MultipathAlias> alias = disk.multipathAlias();
      if (alias.isEmpty()) {
        checks.add(new Check("disk " + disk.vdev() + " is a shared multipath device", false,
            disk.target().orElse("(empty)") + " is not /dev/mapper/<alias>: the target cannot reach it"));
        continue;
      }
      Optional<MultipathMap> mine = here.multipathMap(alias.get().value());
      Optional<MultipathMap> theirs = there.multipathMap(alias.get().value());
      String what = "map " + alias.get() + " on " + target.name() + " is the same LUN";
      if (theirs.isEmpty()) {
        checks.add(new Check(what, false, "no /dev/mapper/" + alias.get() + " there (LUN not presented or not scanned)"));
      } else if (mine.isPresent() && !mine.get().wwid().equals(theirs.get().wwid())) {
        checks.add(new Check(what, false, "WWID " + theirs.get().wwid() + " there, " + mine.get().wwid() + " here"));
      } else if (mine.isPresent() && mine.get().sizeBytes() != theirs.get().sizeBytes()) {
        checks.add(new Check(what, false, Demo.size(theirs.get().sizeBytes()) + " there, "
            + Demo.size(mine.get().sizeBytes()) + " here (rescan and resize the map there)"));
      } else {
        checks.add(new Check(what, true, "WWID " + theirs.get().wwid() + ", " + Demo.size(theirs.get().sizeBytes())));
      }
    }
    long need = details.memoryMib().orElse(0);
    long free = to.info().freeMemoryMib();
    checks.add(new Check(target.name() + " can give " + domain + " its " + need + " MiB", free >= need,
        free + " MiB free"));
    return new Result(domain, source.name(), target.name(), checks);
  }
}
