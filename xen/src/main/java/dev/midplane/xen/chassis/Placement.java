package dev.midplane.xen.chassis;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.chassis.ChassisResults;
import dev.midplane.core.files.AtomicFiles;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.plan.Step;
import dev.midplane.core.plan.Verification;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.DomainState;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.VifLockdown;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Which host each VM belongs on, kept in the shared directory's {@code placement} file
 * ({@link PlacementMap}) so that it survives reboots, and starting a host's VMs from their
 * profiles — what {@code xendomains} does with {@code /etc/xen/auto}, with one difference that
 * matters on shared storage: a VM is never started on a host while it runs (or a copy of it
 * waits) on another, and when a host does not answer, the VMs it might run are not started unless
 * the caller vouches that the host is down.
 *
 * <pre>{@code
 * Placement p = xc.placement();
 * p.place(DomainName.of("vm1"), HostName.of("blade1"));
 * StartReport r = p.startAllFor(HostName.of("blade1"));     // after blade1 booted
 * r.refused().forEach(System.out::println);                  // and why
 * }</pre>
 *
 * <p>Writes are atomic and keep the previous file as {@code placement.bak}; changes are
 * serialised between threads and processes.
 */
public final class Placement {
  private final XenChassis xc;
  private final Path file;
  private final SharedLock lock;

  Placement(XenChassis xc, Path sharedDirectory, SharedLock lock) {
    this.xc = xc;
    this.file = sharedDirectory.resolve("placement");
    this.lock = lock;
  }

  /** The placement file. */
  public Path file() {
    return file;
  }

  /** The placement as the file says now (empty when there is no file yet). */
  public PlacementMap map() {
    try {
      return PlacementMap.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (NoSuchFileException e) {
      return PlacementMap.empty();
    } catch (IOException e) {
      throw new MidplaneException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public Optional<HostName> hostOf(DomainName vm) {
    return map().hostOf(vm);
  }

  /** The VMs placed on {@code host}. */
  public List<DomainName> vmsOn(HostName host) {
    return map().vmsOn(host);
  }

  /** Places {@code vm} on {@code host} (a host of the chassis). */
  public void place(DomainName vm, HostName host) {
    xc.chassis().host(host);
    update(m -> m.with(vm, host));
  }

  /** Removes {@code vm}'s entry: no host starts it at boot. */
  public void unplace(DomainName vm) {
    update(m -> m.without(vm));
  }

  /**
   * Moves {@code vm}'s entry from {@code from} to {@code to}, only if it still names {@code from}
   * (another operator may have changed it meanwhile).
   *
   * @return whether it moved
   */
  public boolean move(DomainName vm, HostName from, HostName to) {
    try (SharedLock.Held l = lock.acquire()) {
      PlacementMap m = map();
      if (!m.hostOf(vm).equals(Optional.of(from))) {
        return false;
      }
      write(m.with(vm, to));
      return true;
    }
  }

  private void update(java.util.function.UnaryOperator<PlacementMap> change) {
    try (SharedLock.Held l = lock.acquire()) {
      write(change.apply(map()));
    }
  }

  private void write(PlacementMap m) {
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new MidplaneException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
    }
    AtomicFiles.write(file, m.render());
  }

  /**
   * The step that moves the entry from {@code from} to {@code to} (compare-and-set), verified by
   * reading the file back. Its undo moves it back, unless {@code keep} says the VM now runs at
   * {@code to} — then the entry stays, and the undo says so by failing.
   */
  Step moveStep(DomainName vm, HostName from, HostName to, BooleanSupplier keep) {
    return Step.builder("move " + vm + "'s placement from " + from + " to " + to + " (" + file.getFileName() + ")")
        .apply(() -> {
          if (!move(vm, from, to)) {
            throw new MidplaneException(vm + "'s placement no longer names " + from + " but " + hostOf(vm).map(Object::toString)
                .orElse("no host") + ": someone changed it meanwhile");
          }
        })
        .verify(() -> Verification.check(hostOf(vm).equals(Optional.of(to)), vm + " is placed on "
            + hostOf(vm).map(Object::toString).orElse("no host") + ", not " + to))
        .undo(() -> {
          if (keep.getAsBoolean()) {
            throw new UnsafeOperationException("move " + vm + "'s placement back to " + from, vm + " runs on " + to
                + " now: its placement stays there");
          }
          move(vm, to, from);
        })
        .build();
  }

  // ------------------------------------------------------------------ starting

  /** {@link #startAllFor(HostName, Collection)} vouching for no host. */
  public StartReport startAllFor(HostName host) {
    return startAllFor(host, Set.of());
  }

  /**
   * Starts the VMs placed on {@code host} that do not run there yet, each from its profile:
   * created paused, its vifs locked (when its profile gives them addresses), then unpaused — so it
   * runs no traffic unlocked. A VM is refused, with the reason, when it (or a copy of it) is on
   * another host, when a host that did not answer might have it (unless that host is in
   * {@code assumedDown}: the caller vouches it is off, as after fencing), when it has no profile,
   * or when it is on {@code host} but not running (crashed, suspended). Each VM's start is a plan
   * of its own: one that fails is rolled back (destroyed, unlocked) and reported, and the others
   * go on.
   *
   * @param host the host that starts its VMs (typically itself, after boot)
   * @param assumedDown hosts the caller knows are off
   */
  public StartReport startAllFor(HostName host, Collection<HostName> assumedDown) {
    xc.chassis().host(host);
    List<DomainName> placed = vmsOn(host);
    List<StartReport.VmStart> out = new ArrayList<>();
    if (placed.isEmpty()) {
      return new StartReport(host, out);
    }
    ChassisResults<List<DomainInfo>> lists = xc.chassis().onEach(xc.timeout(), h -> xc.xen(h.name()).toolstack().list());
    Profiles profiles = xc.profiles();
    for (DomainName vm : placed) {
      Whereabouts w = XenChassis.whereabouts(vm, lists);
      List<String> reasons = new ArrayList<>();
      boolean here = false;
      for (Map.Entry<HostName, List<DomainInfo>> e : w.copies().entrySet()) {
        for (DomainInfo d : e.getValue()) {
          if (e.getKey().equals(host) && d.rawName().equals(vm.value()) && Whereabouts.isLive(d)) {
            here = true;
          } else if (e.getKey().equals(host)) {
            reasons.add(d.rawName() + " is on " + host + " in state " + DomainState.render(d.state())
                + ": destroy it or let it finish first");
          } else {
            reasons.add((d.rawName().equals(vm.value()) ? "it" : "a copy " + d.rawName()) + " is on " + e.getKey() + " ("
                + DomainState.render(d.state()) + ")");
          }
        }
      }
      w.unanswered().forEach((h, why) -> {
        if (!assumedDown.contains(h)) {
          reasons.add(h + " did not answer (" + why + "), so it may be running there; vouch that " + h
              + " is down to start it anyway");
        }
      });
      if (here && reasons.isEmpty()) {
        out.add(new StartReport.VmStart(vm, StartReport.Outcome.ALREADY_RUNNING, "runs on " + host));
        continue;
      }
      Optional<VmProfile> profile = profiles.get(vm);
      if (profile.isEmpty()) {
        reasons.add("it has no profile in " + profiles.directory());
      }
      if (!reasons.isEmpty()) {
        out.add(new StartReport.VmStart(vm, StartReport.Outcome.REFUSED, String.join("; ", reasons)));
        continue;
      }
      try {
        startPlan(host, profile.get()).apply();
        out.add(new StartReport.VmStart(vm, StartReport.Outcome.STARTED, "started from profile version "
            + profile.get().version()));
      } catch (PlanFailedException e) {
        Throwable why = e.report().failure().orElse(e);
        String detail = why instanceof dev.midplane.xen.ToolstackException t && !t.errorLines().isEmpty()
            ? t.operation() + ": " + String.join(" / ", t.errorLines()) : XenChassis.firstLine(why);
        out.add(new StartReport.VmStart(vm, StartReport.Outcome.FAILED, detail + "; rolled back: " + e.report().steps().stream()
            .filter(o -> o.status() != dev.midplane.core.plan.StepOutcome.Status.NOT_RUN)
            .map(o -> o.description() + " " + o.status().name().toLowerCase(java.util.Locale.ROOT)).toList()));
      } catch (MidplaneException e) {
        out.add(new StartReport.VmStart(vm, StartReport.Outcome.FAILED, XenChassis.firstLine(e)));
      }
    }
    return new StartReport(host, out);
  }

  /** Create paused, lock the vifs, unpause: a VM's start on {@code host} from its profile. */
  Plan startPlan(HostName host, VmProfile profile) {
    Toolstack ts = xc.xen(host).toolstack();
    DomainName vm = profile.name();
    VifLockdown lockdown = VifLockdown.of(profile.config());
    Plan.Builder p = Plan.builder("start " + vm + " on " + host + " from its profile (version " + profile.version() + ")");
    p.step(Step.builder("create " + vm + " paused").apply(() -> ts.createPaused(profile.config()))
        .verify(() -> Verification.check(ts.find(vm).isPresent(), vm + " is not on " + host))
        .undo(() -> ts.destroy(vm)).build());
    if (!lockdown.policies().isEmpty()) {
      p.then(AntiSpoofing.on(xc.host(host)).lockPlan(lockdown.policies()));
    }
    p.step(Step.builder("unpause " + vm).apply(() -> ts.unpause(vm))
        .verify(() -> Verification.check(ts.find(vm).map(d -> !d.state().contains(DomainState.PAUSED)).orElse(false),
            vm + " is not running on " + host))
        .undo(() -> ts.pause(vm)).build());
    return p.build();
  }

  @Override
  public String toString() {
    return "placement in " + file;
  }
}
