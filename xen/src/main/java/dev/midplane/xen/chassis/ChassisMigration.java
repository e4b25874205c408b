package dev.midplane.xen.chassis;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.core.plan.Step;
import dev.midplane.core.plan.Verification;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.MigrateCommand;
import dev.midplane.xen.MigrationFailedException;
import dev.midplane.xen.MigrationListener;
import dev.midplane.xen.MigrationResult;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.VifLockdown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A live migration of a VM between hosts of a chassis, done as a {@link Plan} that carries the
 * VM's anti-spoofing rules and its placement along. Configured with the setters, run once with
 * {@link #call()} (the JGit pattern; the VM and the target come from {@link XenChassis#migrate}).
 *
 * <pre>{@code
 * ChassisMigration m = xc.migrate(DomainName.of("vm1"), HostName.of("blade2")).progress(System.out::println);
 * System.out.print(m.dryRun());        // the preflight and the plan
 * MigrationOutcome o = m.call();       // refused with every blocker unless the preflight is clear
 * }</pre>
 *
 * <p>The plan:
 * <ol>
 *   <li>lock the VM's vifs on the target, by their stable names, before it runs there (skipped
 *       when its configuration asks for no lock);
 *   <li>migrate it ({@code xl migrate}, or {@code xm migrate --live}), then check it runs on
 *       exactly one host of the chassis, the target, with no copy left anywhere;
 *   <li>remove its rules from the source;
 *   <li>move its placement entry from the source to the target (when it has one).
 * </ol>
 *
 * <p>When the toolstack reports a failure the domain's whereabouts decide: still (or again) at
 * the source, the step fails and the target's rules are rolled back; running at the target (xl's
 * "failed during final handshake" after the target started it), the suspended copy at the source
 * is destroyed, the failure is noted in {@link MigrationOutcome#notes()} and the plan goes on. The
 * migration itself is never undone by migrating back. Undoing a step that protects or places the
 * VM where it now runs is refused, so a failure after the migration can never leave it unlocked
 * or misplaced; {@link #call()} then reconciles rules and placement with where it runs and reports
 * both in a {@link ChassisMigrationException}.
 */
public final class ChassisMigration {
  private final XenChassis xc;
  private final DomainName vm;
  private final HostName target;
  private Duration timeout = MigrateCommand.DEFAULT_TIMEOUT;
  private MigrationListener progress;
  private boolean force;
  private Plan.Listener listener = new Plan.Listener() {};
  private MigrationPreflight preflight;
  private boolean called;

  ChassisMigration(XenChassis xc, DomainName vm, HostName target) {
    this.xc = xc;
    this.vm = vm;
    this.target = target;
  }

  /** How long the toolstack's migration may take (default {@link MigrateCommand#DEFAULT_TIMEOUT}). */
  public ChassisMigration timeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /** Hears every line the toolstack prints while migrating. */
  public ChassisMigration progress(MigrationListener listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** Hears each step of the plan start and finish. */
  public ChassisMigration listener(Plan.Listener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Goes ahead despite the preflight's blockers (never the default). The toolstack may still
   * refuse; what the blockers warned of (a missing disk, a different LUN) is then the caller's to
   * answer for.
   */
  public ChassisMigration force(boolean force) {
    this.force = force;
    return this;
  }

  /** The preflight, run once on first use. */
  public synchronized MigrationPreflight preflight() {
    if (preflight == null) {
      preflight = xc.preflight(vm, target);
    }
    return preflight;
  }

  /**
   * The plan {@link #call()} applies. Runs the preflight.
   *
   * @throws UnsafeOperationException with every blocker, unless the preflight is clear or
   *     {@link #force(boolean)} is set
   */
  public Plan plan() {
    MigrationPreflight p = preflight();
    if (!p.isClear() && !force) {
      p.requireClear();
    }
    HostName source = p.source().orElseThrow(() -> new UnsafeOperationException(p.operation(),
        "it must run on exactly one host to be migrated"));
    return build(source, new Notes());
  }

  /** The preflight and the plan, for a person to read before {@link #call()}. */
  public String dryRun() {
    MigrationPreflight p = preflight();
    StringBuilder b = new StringBuilder(p.toString()).append('\n');
    if (p.isClear() || force) {
      b.append(plan().dryRun());
    }
    return b.toString();
  }

  /** What happened besides the plan's steps (a toolstack failure the plan recovered from). */
  static final class Notes {
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<MigrationResult> result = new AtomicReference<>();
  }

  /**
   * Runs the preflight and the plan.
   *
   * @throws UnsafeOperationException when the preflight found blockers (and no force); nothing ran
   * @throws ChassisMigrationException when a step failed: it says where the VM runs now, and what
   *     was rolled back or reconciled
   * @throws IllegalStateException when called a second time
   */
  public MigrationOutcome call() {
    synchronized (this) {
      if (called) {
        throw new IllegalStateException("a ChassisMigration runs once; make another with XenChassis.migrate(...)");
      }
      called = true;
    }
    MigrationPreflight p = preflight();
    if (!p.isClear() && !force) {
      p.requireClear();
    }
    HostName source = p.source().orElseThrow(() -> new UnsafeOperationException(p.operation(),
        "it must run on exactly one host to be migrated"));
    Notes notes = new Notes();
    Plan plan = build(source, notes);
    try {
      PlanReport report = plan.apply(listener);
      return new MigrationOutcome(vm, source, target, p, report, Optional.ofNullable(notes.result.get()), notes.lines);
    } catch (PlanFailedException e) {
      Whereabouts after;
      try {
        after = xc.whereIs(vm);
      } catch (MidplaneException w) {
        e.addSuppressed(w);
        throw new ChassisMigrationException(vm, source, target, e, Optional.empty(), Optional.empty(), notes.lines);
      }
      Optional<PlanReport> reconciled = Optional.empty();
      if (after.onlyHost().isPresent()) {
        try {
          reconciled = Optional.of(xc.reconcile(vm));
        } catch (MidplaneException r) {
          e.addSuppressed(r);
        }
      }
      throw new ChassisMigrationException(vm, source, target, e, Optional.of(after), reconciled, notes.lines);
    }
  }

  private Plan build(HostName source, Notes notes) {
    Toolstack ts = xc.xen(source).toolstack();
    DomainDetails details = ts.details(vm);
    VifLockdown lockdown = VifLockdown.of(details);
    List<InterfaceName> vifs = details.nics().stream().flatMap(n -> n.vifname().stream()).toList();
    Plan.Builder p = Plan.builder("migrate " + vm + " live from " + source + " to " + target);
    if (!lockdown.policies().isEmpty()) {
      for (Step s : AntiSpoofing.on(xc.host(target)).lockPlan(lockdown.policies()).steps()) {
        p.step(keepWhileRunningOn(s, target, "on " + target + " before " + vm + " runs there"));
      }
    }
    p.step(new MigrateStep(ts, source, notes));
    if (!vifs.isEmpty() && hasFilterTool(source)) {
      for (Step s : AntiSpoofing.on(xc.host(source)).unlockPlan(vifs).steps()) {
        p.step(keepWhileRunningOn(s, target, "from " + source));
      }
    }
    Placement placement = xc.placement();
    Optional<HostName> placed = placement.hostOf(vm);
    if (placed.isPresent() && !placed.get().equals(target)) {
      p.step(placement.moveStep(vm, placed.get(), target, () -> runsOn(target)));
    }
    return p.build();
  }

  private boolean hasFilterTool(HostName h) {
    try {
      AntiSpoofing.on(xc.host(h));
      return true;
    } catch (MidplaneException e) {
      return false;
    }
  }

  private boolean runsOn(HostName h) {
    return xc.whereIs(vm).runningOn().contains(h);
  }

  /**
   * {@code step} whose undo is refused while the VM runs on {@code host}: the rules it put there
   * protect the running VM (or the ones it took away from the source no longer matter).
   */
  private Step keepWhileRunningOn(Step step, HostName host, String where) {
    return new Step() {
      @Override
      public String description() {
        return step.description() + " " + where;
      }

      @Override
      public List<Command> commands() {
        return step.commands();
      }

      @Override
      public void apply() {
        step.apply();
      }

      @Override
      public Verification verify() {
        return step.verify();
      }

      @Override
      public boolean undoable() {
        return step.undoable();
      }

      @Override
      public void undo() {
        if (runsOn(host)) {
          throw new UnsafeOperationException("undo '" + step.description() + "'", vm + " runs on " + host
              + " now: its anti-spoofing stays as the migration left it");
        }
        step.undo();
      }

      @Override
      public String toString() {
        return description();
      }
    };
  }

  /** The toolstack's migration, with the whereabouts deciding what a reported failure means. */
  private final class MigrateStep implements Step {
    private final Toolstack ts;
    private final HostName source;
    private final Notes notes;

    MigrateStep(Toolstack ts, HostName source, Notes notes) {
      this.ts = ts;
      this.source = source;
      this.notes = notes;
    }

    private MigrateCommand command() {
      MigrateCommand c = ts.migrate(vm, target).timeout(timeout);
      if (progress != null) {
        c.progress(progress);
      }
      return c;
    }

    @Override
    public String description() {
      return "migrate " + vm + " from " + source + " to " + target + ", then check it runs there and only there";
    }

    @Override
    public List<Command> commands() {
      return List.of(command().command());
    }

    @Override
    public void apply() {
      try {
        notes.result.set(command().call());
      } catch (MigrationFailedException e) {
        Whereabouts w = xc.whereIs(vm);
        List<HostName> running = w.runningOn();
        if (running.equals(List.of(target)) && w.isComplete()) {
          // xl lost the final handshake after the target started the domain: the source's copy is a suspended husk
          for (Map.Entry<HostName, List<DomainInfo>> c : w.copies().entrySet()) {
            for (DomainInfo d : c.getValue()) {
              if (!c.getKey().equals(target) || !d.rawName().equals(vm.value())) {
                if (Whereabouts.isLive(d)) {
                  throw new MidplaneException("migration of " + vm + " failed and left " + d.rawName() + " alive on "
                      + c.getKey() + " beside the one on " + target + ": " + w, e);
                }
                xc.xen(c.getKey()).toolstack().destroy(dev.midplane.core.names.DomainName.of(d.rawName()));
                notes.lines.add("destroyed the suspended copy " + d.rawName() + " on " + c.getKey());
              }
            }
          }
          notes.lines.add(ts.kind().program() + " reported a failure (" + e.errorLines() + ") but " + vm + " runs on "
              + target + ": the migration is taken as done");
          return;
        }
        if (running.equals(List.of(source)) && w.copies().size() == 1) {
          throw e; // a clean failure: the domain is still (or again) at the source
        }
        throw new MidplaneException("migration of " + vm + " failed and left it " + w + "; nothing was resumed or destroyed:"
            + " decide at both ends which copy lives", e);
      }
    }

    @Override
    public Verification verify() {
      Whereabouts w = xc.whereIs(vm);
      return Verification.check(w.onlyHost().equals(Optional.of(target)), "expected " + vm + " on " + target
          + " only: " + w);
    }

    @Override
    public boolean undoable() {
      return false;
    }

    @Override
    public void undo() {
      throw new UnsupportedOperationException("a migration is not undone by migrating back");
    }

    @Override
    public String toString() {
      return description();
    }
  }
}
