package dev.midplane.network.antispoof;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.PlanReport;
import dev.midplane.core.plan.Step;
import dev.midplane.core.plan.Verification;
import dev.midplane.core.HostLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Locks VM interfaces against spoofing and sniffing on one host, with ebtables or nftables.
 *
 * <pre>{@code
 * AntiSpoofing as = AntiSpoofing.on(host);             // nftables when nft runs, else ebtables
 * VifPolicy p = VifPolicy.of(InterfaceName.xenVif(7, 0), MacAddress.of("00:16:3e:12:34:56"),
 *     Ipv4Address.of("192.0.2.17"));
 * System.out.print(as.dryRun(List.of(p)));             // the plan and the exact script
 * as.lock(p);                                          // one process; verified by reading back
 * as.status(p.vif());                                  // LOCKED, with drop counters
 * as.unlock(p.vif());                                  // removes exactly what lock added
 * }</pre>
 *
 * <p>Contracts:
 * <ul>
 *   <li>{@link #lock} starts from a clean slate: whatever an earlier vif of the same name left
 *       (its chains, the jumps to them, its map elements) is replaced, nothing else is touched.
 *       Locking an already locked vif with the same policy changes nothing; with another policy
 *       it replaces the old one. Many vifs are locked in one process, atomically (ebtables-restore
 *       --noflush, or nft -f in one transaction): either all of them or none.
 *   <li>{@link #unlock} removes the vif's chains, the jumps or map elements that reach them, and
 *       nothing else; other rules in the same tables stay. Unlocking a vif that is not locked
 *       changes nothing and runs no command but the read.
 *   <li>Every change is a {@link Plan} whose verification reads the live rules back, compares
 *       them with what the policy renders to, and runs probe frames through {@link BridgeFilter}:
 *       a spoofed MAC, a foreign source address, a forged ARP sender and a frame for another MAC
 *       must be dropped. A lock that fails verification is rolled back.
 *   <li>Changes on one host are serialised ({@link HostLock} {@code antispoof}): in this JVM, and
 *       between processes through {@code /run/midplane/antispoof.lock}.
 * </ul>
 */
public final class AntiSpoofing {
  /** The tool the rules are written with. */
  public enum Backend {
    /** ebtables' filter table through {@code ebtables-restore --noflush} (ebtables-nft or 2.0.11+). */
    EBTABLES,
    /** A {@code bridge midplane} table through {@code nft -f -}. */
    NFTABLES
  }

  static final String LOCK_NAME = "antispoof";
  private static final Duration LOCK_WAIT = Duration.ofSeconds(60);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  private final Host host;
  private final FilterBackend backend;

  private AntiSpoofing(Host host, FilterBackend backend) {
    this.host = Objects.requireNonNull(host, "host");
    this.backend = backend;
  }

  /** Anti-spoofing on {@code host} with nftables when {@code nft} runs there, otherwise ebtables. */
  public static AntiSpoofing on(Host host) {
    return on(host, detect(host));
  }

  /** Anti-spoofing on {@code host} with the given backend. */
  public static AntiSpoofing on(Host host, Backend backend) {
    return new AntiSpoofing(host, backendFor(backend));
  }

  static FilterBackend backendFor(Backend b) {
    return switch (b) {
      case EBTABLES -> new EbtablesBackend();
      case NFTABLES -> new NftBackend();
    };
  }

  private static Backend detect(Host host) {
    if (runs(host, Command.builder("nft", "--version").timeout(PROBE_TIMEOUT).build())) {
      return Backend.NFTABLES;
    }
    if (runs(host, Command.builder("ebtables", "-V").timeout(PROBE_TIMEOUT).build())) {
      return Backend.EBTABLES;
    }
    throw new NotFoundException("program", "nft or ebtables", "neither runs on " + host.name()
        + "; install nftables, or ebtables (with ebtables-restore)");
  }

  private static boolean runs(Host host, Command c) {
    try {
      return host.run(c).isSuccess();
    } catch (CommandFailedException e) {
      return false;
    }
  }

  public Backend backend() {
    return backend.kind();
  }

  public Host host() {
    return host;
  }

  /** The live bridge filter rules, parsed (ebtables: {@code ebtables-save -c}; nftables: {@code nft -j}). */
  public Ruleset ruleset() {
    return backend.parse(host.execute(backend.readCommand()).stdout());
  }

  /**
   * The script {@link #lock} would apply now, for people: for ebtables it depends on the live
   * state (stale jumps to delete), which this reads.
   */
  public String script(Collection<VifPolicy> policies) {
    List<VifPolicy> list = distinct(policies);
    return backend.lockScript(list, backend.lockNeedsCurrentState() ? ruleset() : Ruleset.EMPTY);
  }

  /** The lock plan as a dry run, followed by the exact script it would feed to the tool now. */
  public String dryRun(Collection<VifPolicy> policies) {
    return lockPlan(policies).dryRun() + "--- " + backend.applyCommand("").programName() + " input ---\n"
        + script(policies);
  }

  /** Locks the vifs (see the class contract) and returns the plan's report. */
  public PlanReport lock(VifPolicy... policies) {
    return lock(List.of(policies));
  }

  public PlanReport lock(Collection<VifPolicy> policies) {
    return lockPlan(policies).apply();
  }

  /** Unlocks the vifs (see the class contract). */
  public PlanReport unlock(InterfaceName... vifs) {
    return unlock(List.of(vifs));
  }

  public PlanReport unlock(Collection<InterfaceName> vifs) {
    return unlockPlan(vifs).apply();
  }

  /**
   * One step that locks every policy in one process. Its verification reads the rules back and
   * checks each vif; its undo unlocks them. Building the plan runs nothing.
   *
   * @throws IllegalArgumentException when two policies name the same vif
   */
  public Plan lockPlan(Collection<VifPolicy> policies) {
    List<VifPolicy> list = distinct(policies);
    if (list.isEmpty()) {
      return Plan.empty("lock no vifs");
    }
    String what = list.size() == 1 ? "vif " + describe(list.get(0)) : list.size() + " vifs";
    return Plan.builder("anti-spoofing: lock " + what + " with " + backend.kind().name().toLowerCase(java.util.Locale.ROOT))
        .step(new LockStep(list, what))
        .build();
  }

  /** One step that unlocks the vifs in one process; its undo locks again what was there before. */
  public Plan unlockPlan(Collection<InterfaceName> vifs) {
    List<InterfaceName> list = List.copyOf(new java.util.LinkedHashSet<>(vifs));
    if (list.isEmpty()) {
      return Plan.empty("unlock no vifs");
    }
    String what = list.size() == 1 ? "vif " + list.get(0) : list.size() + " vifs";
    return Plan.builder("anti-spoofing: unlock " + what).step(new UnlockStep(list, what)).build();
  }

  /** The vif's lock as the kernel has it now. */
  public VifStatus status(InterfaceName vif) {
    return Verifier.status(backend, vif, ruleset());
  }

  /** Every vif that has anything of the SDK's in the live rules. */
  public List<VifStatus> statusAll() {
    Ruleset live = ruleset();
    return backend.vifsIn(live).stream().map(v -> Verifier.status(backend, v, live)).toList();
  }

  private static List<VifPolicy> distinct(Collection<VifPolicy> policies) {
    Set<InterfaceName> seen = new HashSet<>();
    for (VifPolicy p : policies) {
      if (!seen.add(p.vif())) {
        throw new IllegalArgumentException("two policies for " + p.vif());
      }
    }
    return List.copyOf(policies);
  }

  private static String describe(VifPolicy p) {
    return p.vif() + " (" + p.mac() + (p.addresses().isEmpty() ? "" : " " + p.addresses()) + (p.dhcp() ? " +dhcp" : "") + ")";
  }

  private CommandResult apply(String script) {
    return host.execute(backend.applyCommand(script));
  }

  private HostLock hostLock() {
    return HostLock.acquire(host, LOCK_NAME, LOCK_WAIT);
  }

  private final class LockStep implements Step {
    private final List<VifPolicy> policies;
    private final String what;

    LockStep(List<VifPolicy> policies, String what) {
      this.policies = policies;
      this.what = what;
    }

    @Override
    public String description() {
      return "lock " + what + " in one " + backend.applyCommand("").programName() + " transaction";
    }

    @Override
    public List<Command> commands() {
      List<Command> c = new ArrayList<>();
      Ruleset current = Ruleset.EMPTY;
      if (backend.lockNeedsCurrentState()) {
        c.add(backend.readCommand());
        current = ruleset();
      }
      c.add(backend.applyCommand(backend.lockScript(policies, current)));
      return c;
    }

    @Override
    public void apply() {
      try (HostLock l = hostLock()) {
        Ruleset current = backend.lockNeedsCurrentState() ? ruleset() : Ruleset.EMPTY;
        AntiSpoofing.this.apply(backend.lockScript(policies, current));
      }
    }

    @Override
    public Verification verify() {
      Ruleset live = ruleset();
      List<String> problems = new ArrayList<>();
      for (VifPolicy p : policies) {
        VifStatus s = Verifier.status(backend, p.vif(), live);
        if (!s.isLocked()) {
          problems.add(s.toString());
        } else if (!s.policy().equals(Optional.of(p))) {
          problems.add(p.vif() + " is locked with " + s.policy().map(AntiSpoofing::describe).orElse("?")
              + ", not " + describe(p));
        }
      }
      return problems.isEmpty() ? Verification.ok() : Verification.failed(String.join("; ", problems));
    }

    @Override
    public void undo() {
      unlockNow(policies.stream().map(VifPolicy::vif).toList());
    }

    @Override
    public String toString() {
      return description();
    }
  }

  private final class UnlockStep implements Step {
    private final List<InterfaceName> vifs;
    private final String what;
    private List<VifPolicy> previous = List.of();

    UnlockStep(List<InterfaceName> vifs, String what) {
      this.vifs = vifs;
      this.what = what;
    }

    @Override
    public String description() {
      return "unlock " + what + " in one " + backend.applyCommand("").programName() + " transaction";
    }

    @Override
    public List<Command> commands() {
      String script = backend.unlockScript(vifs, ruleset());
      List<Command> c = new ArrayList<>(List.of(backend.readCommand()));
      if (!script.isEmpty()) {
        c.add(backend.applyCommand(script));
      }
      return c;
    }

    @Override
    public void apply() {
      try (HostLock l = hostLock()) {
        Ruleset current = ruleset();
        List<VifPolicy> before = new ArrayList<>();
        for (InterfaceName v : vifs) {
          Verifier.status(backend, v, current).policy().ifPresent(before::add);
        }
        String script = backend.unlockScript(vifs, current);
        if (!script.isEmpty()) {
          AntiSpoofing.this.apply(script);
        }
        previous = List.copyOf(before);
      }
    }

    @Override
    public Verification verify() {
      Ruleset live = ruleset();
      List<String> left = new ArrayList<>();
      for (InterfaceName v : vifs) {
        VifStatus s = Verifier.status(backend, v, live);
        if (s.state() != VifStatus.State.NOT_LOCKED) {
          left.add(s.toString());
        }
      }
      return Verification.check(left.isEmpty(), "still there: " + String.join("; ", left));
    }

    @Override
    public void undo() {
      if (!previous.isEmpty()) {
        try (HostLock l = hostLock()) {
          Ruleset current = backend.lockNeedsCurrentState() ? ruleset() : Ruleset.EMPTY;
          AntiSpoofing.this.apply(backend.lockScript(previous, current));
        }
      }
    }

    @Override
    public String toString() {
      return description();
    }
  }

  private void unlockNow(List<InterfaceName> vifs) {
    try (HostLock l = hostLock()) {
      String script = backend.unlockScript(vifs, ruleset());
      if (!script.isEmpty()) {
        apply(script);
      }
    }
  }
}
