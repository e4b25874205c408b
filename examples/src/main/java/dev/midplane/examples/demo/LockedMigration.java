package dev.midplane.examples.demo;

import dev.midplane.core.Host;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.network.antispoof.VifPolicy;
import dev.midplane.network.antispoof.VifStatus;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainState;
import dev.midplane.xen.MigrateCommand;
import dev.midplane.xen.MigrationListener;
import dev.midplane.xen.MigrationResult;
import dev.midplane.xen.Xen;
import dev.midplane.xen.XenDomain;
import dev.midplane.xen.config.VifSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A live migration that keeps the VM's anti-spoofing: the preflight must pass; the domain arrives
 * paused; every vif that was locked at the source is locked at the target with the same policy
 * before the domain is unpaused; then the source's rules for the old vifs are removed. Works on any
 * pair of hosts the SDK reaches (simulated, local, remote).
 *
 * <pre>{@code
 * LockedMigration.Done d = LockedMigration.of(blade1, blade2, DomainName.of("web01"))
 *     .progress(e -> System.out.println(e.line()))
 *     .call();
 * }</pre>
 */
public final class LockedMigration {
  /** What a migration did: the preflight, the toolstack's result, and the vifs locked and unlocked. */
  public record Done(MigrationPreflight.Result preflight, MigrationResult migration, List<InterfaceName> lockedOnTarget,
      List<InterfaceName> unlockedOnSource, boolean lockedBeforeRunning) {}

  private final Host source;
  private final Host target;
  private final DomainName domain;
  private MigrationListener progress = e -> { };
  private boolean called;

  private LockedMigration(Host source, Host target, DomainName domain) {
    this.source = Objects.requireNonNull(source, "source");
    this.target = Objects.requireNonNull(target, "target");
    this.domain = Objects.requireNonNull(domain, "domain");
  }

  /** A migration of {@code domain} from {@code source} to {@code target}, run by {@link #call()}. */
  public static LockedMigration of(Host source, Host target, DomainName domain) {
    return new LockedMigration(source, target, domain);
  }

  /** Hears the toolstack's progress lines. */
  public LockedMigration progress(MigrationListener listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** The toolstack command the migration runs, for dry runs. */
  public MigrateCommand command() {
    return Xen.on(source).domain(domain).migrate(target.name()).pausedOnTarget(true);
  }

  /**
   * Runs the preflight, then the migration and the lock moves.
   *
   * @throws dev.midplane.core.UnsafeOperationException when the preflight finds blockers (nothing
   *     changed)
   * @throws dev.midplane.xen.MigrationFailedException when the toolstack fails
   */
  public Done call() {
    if (called) {
      throw new IllegalStateException("a LockedMigration runs once");
    }
    called = true;
    MigrationPreflight.Result pre = MigrationPreflight.check(source, target, domain);
    pre.requireOk();
    XenDomain here = Xen.on(source).domain(domain);
    List<VifPolicy> policies = new ArrayList<>();
    AntiSpoofing sourceRules = AntiSpoofing.on(source);
    for (InterfaceName vif : vifs(here)) {
      VifStatus st = sourceRules.status(vif);
      st.policy().filter(p -> st.isLocked()).ifPresent(policies::add);
    }
    MigrationResult result = command().progress(progress).call();
    XenDomain there = Xen.on(target).domain(domain);
    List<InterfaceName> newVifs = vifs(there);
    List<VifPolicy> moved = new ArrayList<>();
    for (VifPolicy p : policies) {
      int index = policies.indexOf(p);
      moved.add(p.onVif(newVifs.get(Math.min(index, newVifs.size() - 1))));
    }
    AntiSpoofing targetRules = AntiSpoofing.on(target);
    if (!moved.isEmpty()) {
      targetRules.lock(moved);
    }
    boolean lockedBeforeRunning = there.status().state().contains(DomainState.PAUSED)
        && moved.stream().allMatch(p -> targetRules.status(p.vif()).isLocked());
    there.unpause();
    List<InterfaceName> old = policies.stream().map(VifPolicy::vif).toList();
    if (!old.isEmpty()) {
      sourceRules.unlock(old);
    }
    return new Done(pre, result, moved.stream().map(VifPolicy::vif).toList(), old, lockedBeforeRunning);
  }

  /** The dom0 names of a running domain's vifs, in device order. */
  static List<InterfaceName> vifs(XenDomain d) {
    int domid = d.status().id().orElseThrow();
    DomainDetails details = d.details();
    List<InterfaceName> out = new ArrayList<>();
    for (int i = 0; i < details.nics().size(); i++) {
      VifSpec spec = details.nics().get(i);
      Optional<InterfaceName> named = spec.vifname();
      out.add(named.orElse(InterfaceName.xenVif(domid, i)));
    }
    return out;
  }
}
