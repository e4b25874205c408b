package dev.midplane.xen.chassis;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.chassis.Chassis;
import dev.midplane.core.chassis.ChassisResults;
import dev.midplane.core.chassis.HostResult;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.plan.Plan;
import dev.midplane.multipath.inventory.LunInventory;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.network.antispoof.VifStatus;
import dev.midplane.xen.DomainDetails;
import dev.midplane.xen.DomainInfo;
import dev.midplane.xen.Toolstack;
import dev.midplane.xen.VifLockdown;
import dev.midplane.xen.Xen;
import dev.midplane.xen.sxp.XendConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Xen on every blade of a chassis, and the shared directory they keep VM profiles and placement
 * in: the entry point for what concerns more than one host.
 *
 * <pre>{@code
 * XenChassis xc = XenChassis.of(Chassis.of(blade1, blade2), Path.of("/srv/midplane"));
 * xc.profiles().save(config);                            // vm1's profile, versioned
 * xc.placement().place(vm1, HostName.of("blade1"));      // blade1 starts it at boot
 * xc.placement().startAllFor(HostName.of("blade1"));     // what xendomains would do
 * System.out.println(xc.preflight(vm1, blade2Name));     // every blocker, or clear
 * xc.migrate(vm1, blade2Name).call();                    // rules and placement move along
 * System.out.println(xc.withInventory(Path.of("/srv/midplane/luns"))
 *     .homogeneity());                                    // what differs, what it blocks
 * }</pre>
 *
 * <p>Questions to all hosts run through {@link Chassis#onEach} with {@link #timeout()} per host.
 * A host that does not answer is reported as such; it is never read as "has nothing".
 */
public final class XenChassis {
  /** How long each host may take to answer, unless set with {@link #withTimeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
  /** How long the ssh reachability probe of a preflight may take. */
  static final Duration SSH_PROBE_TIMEOUT = Duration.ofSeconds(20);

  private final Chassis chassis;
  private final Path shared;
  private final Duration timeout;
  private final SharedLock lock;
  private final Map<HostName, Xen> xens;
  private final Optional<Path> inventory;

  private XenChassis(Chassis chassis, Path shared, Duration timeout, SharedLock lock, Map<HostName, Xen> xens,
      Optional<Path> inventory) {
    this.chassis = Objects.requireNonNull(chassis, "chassis");
    this.shared = Objects.requireNonNull(shared, "shared");
    this.timeout = timeout;
    this.lock = lock;
    this.xens = xens;
    this.inventory = inventory;
  }

  /** The chassis's hosts, with VM profiles and placement in {@code sharedDirectory}. */
  public static XenChassis of(Chassis chassis, Path sharedDirectory) {
    return new XenChassis(chassis, sharedDirectory, DEFAULT_TIMEOUT, new SharedLock(sharedDirectory), new ConcurrentHashMap<>(),
        Optional.empty());
  }

  /** The same, with another per-host timeout. */
  public XenChassis withTimeout(Duration perHost) {
    if (perHost.isNegative() || perHost.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + perHost);
    }
    return new XenChassis(chassis, shared, perHost, lock, xens, inventory);
  }

  /**
   * The same, knowing the shared LUN inventory file (the multipath module's {@link LunInventory},
   * the file {@code Multipath.on(host).withInventory(file)} keeps): {@link #homogeneity()} then
   * holds every host's {@code /etc/multipath.conf} against it, and {@link #preflight} blocks a
   * migration to a host whose {@code /etc/multipath.conf} does not admit one of the VM's LUNs under
   * its alias ({@link Blocker.Kind#MULTIPATH_CONFIG}). The file is read anew by each of them.
   */
  public XenChassis withInventory(Path file) {
    return new XenChassis(chassis, shared, timeout, lock, xens, Optional.of(Objects.requireNonNull(file, "file")));
  }

  /** The shared LUN inventory file, if the chassis was given one. */
  public Optional<Path> inventoryFile() {
    return inventory;
  }

  public Chassis chassis() {
    return chassis;
  }

  public Path sharedDirectory() {
    return shared;
  }

  public Duration timeout() {
    return timeout;
  }

  public Host host(HostName name) {
    return chassis.host(name);
  }

  /** Xen on one host (its toolstack detected once). */
  public Xen xen(HostName name) {
    Host h = chassis.host(name);
    return xens.computeIfAbsent(name, n -> Xen.on(h));
  }

  /** The VM profiles of the shared directory. */
  public Profiles profiles() {
    return new Profiles(shared, lock);
  }

  /** The placement of VMs on hosts, and starting them. */
  public Placement placement() {
    return new Placement(this, shared, lock);
  }

  // ------------------------------------------------------------------ questions to every host

  /** Every host's {@link HostFacts}, read in parallel. */
  public ChassisResults<HostFacts> facts() {
    return chassis.onEach(timeout, HostFacts::collect);
  }

  /** Where {@code vm} is now: one {@code xl list} per host, in parallel. */
  public Whereabouts whereIs(DomainName vm) {
    ChassisResults<List<DomainInfo>> lists = chassis.onEach(timeout, h -> xen(h.name()).toolstack().list());
    return whereabouts(vm, lists);
  }

  static Whereabouts whereabouts(DomainName vm, ChassisResults<List<DomainInfo>> lists) {
    Map<HostName, List<DomainInfo>> copies = new LinkedHashMap<>();
    Map<HostName, String> unanswered = new LinkedHashMap<>();
    for (HostResult<List<DomainInfo>> r : lists) {
      if (!r.succeeded()) {
        unanswered.put(r.host(), r.error().map(XenChassis::firstLine).orElse("no answer"));
        continue;
      }
      List<DomainInfo> mine = r.value().orElse(List.of()).stream()
          .filter(d -> Whereabouts.isCopyName(vm, d.rawName())).toList();
      if (!mine.isEmpty()) {
        copies.put(r.host(), mine);
      }
    }
    return new Whereabouts(vm, copies, unanswered);
  }

  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    return m.lines().findFirst().orElse(m);
  }

  // ------------------------------------------------------------------ migration

  /**
   * Checks whether {@code vm} can move live to {@code target} now; see {@link MigrationPreflight}
   * for everything checked. Runs on every host (the VM must run on exactly one) and, for the
   * handover, on the source ({@code ssh -o BatchMode=yes <target> true}) or the target (its
   * {@code xend-config.sxp}). Changes nothing.
   *
   * @throws NotFoundException when the chassis was given an inventory file ({@link #withInventory})
   *     that does not exist
   * @throws dev.midplane.multipath.inventory.InventoryException when that file breaks the inventory's rules
   */
  public MigrationPreflight preflight(DomainName vm, HostName target) {
    chassis.host(target);
    Optional<LunInventory> luns = inventory();
    FactsRead read = readFacts();
    return preflight(vm, target, read.facts(), read.unread(), luns);
  }

  /**
   * Where {@code vm} could move now: a {@link #preflight} against every other host of the chassis,
   * all from one parallel read of every host's facts, in the chassis's host order. The host the VM
   * runs on is left out when it runs on exactly one; otherwise every host is listed, each preflight
   * carrying the whereabouts blocker. Changes nothing.
   */
  public Map<HostName, MigrationPreflight> preflightEverywhere(DomainName vm) {
    Optional<LunInventory> luns = inventory();
    FactsRead read = readFacts();
    Map<HostName, MigrationPreflight> out = new LinkedHashMap<>();
    for (HostName target : chassis.names()) {
      MigrationPreflight p = preflight(vm, target, read.facts(), read.unread(), luns);
      if (!p.source().filter(target::equals).isPresent()) {
        out.put(target, p);
      }
    }
    return out;
  }

  /** Every host's facts, and why the hosts that did not answer did not. */
  private record FactsRead(Map<HostName, HostFacts> facts, Map<HostName, String> unread) {}

  private FactsRead readFacts() {
    Map<HostName, HostFacts> facts = new LinkedHashMap<>();
    Map<HostName, String> unread = new LinkedHashMap<>();
    for (HostResult<HostFacts> r : facts()) {
      if (r.succeeded() && r.value().isPresent()) {
        facts.put(r.host(), r.value().get());
      } else {
        unread.put(r.host(), r.error().map(XenChassis::firstLine).orElse("no answer"));
      }
    }
    return new FactsRead(facts, unread);
  }

  MigrationPreflight preflight(DomainName vm, HostName target, Map<HostName, HostFacts> facts, Map<HostName, String> unread,
      Optional<LunInventory> luns) {
    List<Blocker> blockers = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<HostName> running = new ArrayList<>();
    for (HostFacts f : facts.values()) {
      for (DomainInfo d : f.domains()) {
        if (d.rawName().equals(vm.value()) && Whereabouts.isLive(d)) {
          running.add(f.host());
        } else if (Whereabouts.isCopyName(vm, d.rawName())) {
          blockers.add(new Blocker(Blocker.Kind.WHEREABOUTS, "a copy " + d.rawName() + " (" + dev.midplane.xen.DomainState
              .render(d.state()) + ") is on " + f.host() + ": settle it first (XenChassis.reconcile)"));
        }
      }
    }
    unread.forEach((h, why) -> {
      if (h.equals(target)) {
        blockers.add(new Blocker(Blocker.Kind.WHEREABOUTS, "the target " + h + " did not answer: " + why));
      } else {
        warnings.add(h + " did not answer (" + why + "): if " + vm + " ran there too, nothing here would know");
      }
    });
    Optional<HostName> source = running.size() == 1 ? Optional.of(running.get(0)) : Optional.empty();
    if (running.isEmpty()) {
      blockers.add(new Blocker(Blocker.Kind.WHEREABOUTS, vm + " runs on no host that answered"));
    } else if (running.size() > 1) {
      blockers.add(new Blocker(Blocker.Kind.WHEREABOUTS, vm + " runs on " + running + " at once"));
    }
    if (source.isPresent() && facts.containsKey(target)) {
      HostFacts s = facts.get(source.get());
      HostFacts t = facts.get(target);
      DomainDetails details = s.details(vm.value()).orElseThrow(() -> new MidplaneException(
          source.get() + " lists " + vm + " but xl list -l does not show it"));
      MigrationChecks.Findings f = MigrationChecks.check(details, s, t);
      if (!source.get().equals(target)) {
        luns.ifPresent(inv -> MigrationChecks.inventory(details, t, inv, f));
      }
      blockers.addAll(f.blockers());
      warnings.addAll(f.warnings());
      if (!source.get().equals(target) && s.toolstack().isPresent() && s.toolstack().equals(t.toolstack())) {
        relocation(s.toolstack().get(), source.get(), target).ifPresent(blockers::add);
      }
    }
    return new MigrationPreflight(vm, source, target, blockers, warnings);
  }

  /** Whether the source can hand a domain to the target: ssh for xl, the target's xend relocation server for xm. */
  private Optional<Blocker> relocation(Toolstack.Kind kind, HostName source, HostName target) {
    if (kind == Toolstack.Kind.XL) {
      Command probe = Command.builder("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", target.value(), "true")
          .timeout(SSH_PROBE_TIMEOUT).build();
      try {
        CommandResult r = chassis.host(source).run(probe);
        if (r.isSuccess()) {
          return Optional.empty();
        }
        return Optional.of(new Blocker(Blocker.Kind.RELOCATION, source + " cannot reach " + target
            + " over ssh without a password (xl migrate runs 'ssh " + target + " xl migrate-receive'): `" + probe
            + "` exited with " + r.exitCode() + ": " + r.stderr().strip().lines().reduce((a, b) -> b).orElse("")));
      } catch (MidplaneException e) {
        return Optional.of(new Blocker(Blocker.Kind.RELOCATION, source + " cannot run `" + probe + "`: " + firstLine(e)));
      }
    }
    Path sxp = chassis.host(target).path("/etc/xen/xend-config.sxp");
    if (!Files.exists(sxp)) {
      return Optional.of(new Blocker(Blocker.Kind.RELOCATION, target + " has no /etc/xen/xend-config.sxp: xend's relocation "
          + "server is off"));
    }
    try {
      XendConfig c = XendConfig.read(sxp);
      if (!c.relocationServer()) {
        return Optional.of(new Blocker(Blocker.Kind.RELOCATION, target + "'s xend-relocation-server is off"));
      }
      if (!c.relocationHostsAllow().isEmpty() && !c.relocationHostsAllow().permits(source.value())) {
        return Optional.of(new Blocker(Blocker.Kind.RELOCATION, target + "'s xend-relocation-hosts-allow ("
            + c.relocationHostsAllow().toConfigValue() + ") does not admit " + source));
      }
      return Optional.empty();
    } catch (MidplaneException e) {
      return Optional.of(new Blocker(Blocker.Kind.RELOCATION, "cannot read " + target + "'s xend-config.sxp: " + firstLine(e)));
    }
  }

  /**
   * A live migration of {@code vm} to {@code target} that carries its anti-spoofing rules and its
   * placement along, configured with the command's setters and run with
   * {@link ChassisMigration#call()}.
   */
  public ChassisMigration migrate(DomainName vm, HostName target) {
    chassis.host(target);
    return new ChassisMigration(this, Objects.requireNonNull(vm, "vm"), target);
  }

  /**
   * A plan that makes rules and placement match where {@code vm} runs: its vifs locked there and
   * on no other host, its placement entry (if it has one) naming that host. For after an operator
   * moved it by hand, or after a migration that did not finish.
   *
   * @throws UnsafeOperationException when the VM does not run on exactly one host, or a host did
   *     not answer
   */
  public Plan reconcilePlan(DomainName vm) {
    Whereabouts w = whereIs(vm);
    HostName here = w.onlyHost().orElseThrow(() -> new UnsafeOperationException("reconcile " + vm,
        "it must run on exactly one host, without copies, and every host must answer: " + w));
    DomainDetails details = xen(here).toolstack().details(vm);
    VifLockdown lockdown = VifLockdown.of(details);
    Plan.Builder p = Plan.builder("reconcile " + vm + " with where it runs: " + here);
    if (!lockdown.policies().isEmpty()) {
      AntiSpoofing as = AntiSpoofing.on(chassis.host(here));
      boolean locked = lockdown.policies().stream().allMatch(pol -> {
        VifStatus s = as.status(pol.vif());
        return s.isLocked() && s.policy().equals(Optional.of(pol));
      });
      if (!locked) {
        p.then(as.lockPlan(lockdown.policies()));
      }
    }
    List<InterfaceName> vifs = details.nics().stream().flatMap(n -> n.vifname().stream()).toList();
    for (Host h : chassis.hosts()) {
      if (h.name().equals(here) || vifs.isEmpty()) {
        continue;
      }
      AntiSpoofing as;
      try {
        as = AntiSpoofing.on(h);
      } catch (MidplaneException e) {
        continue; // no filter tool there, so no rules of this VM either
      }
      List<InterfaceName> stale = vifs.stream().filter(v -> as.status(v).state() != VifStatus.State.NOT_LOCKED).toList();
      if (!stale.isEmpty()) {
        p.then(as.unlockPlan(stale));
      }
    }
    Placement placement = placement();
    Optional<HostName> placed = placement.hostOf(vm);
    if (placed.isPresent() && !placed.get().equals(here)) {
      p.step(placement.moveStep(vm, placed.get(), here, () -> false));
    }
    return p.build();
  }

  /** {@link #reconcilePlan} applied. */
  public dev.midplane.core.plan.PlanReport reconcile(DomainName vm) {
    return reconcilePlan(vm).apply();
  }

  /**
   * What differs between the hosts, and which VMs that keeps from moving where; with
   * {@link #withInventory}, also where a host's {@code multipath.conf} falls short of the LUN
   * inventory (read once, before the hosts are asked).
   *
   * @throws NotFoundException when the chassis was given an inventory file that does not exist
   * @throws dev.midplane.multipath.inventory.InventoryException when that file breaks the inventory's rules
   */
  public HomogeneityReport homogeneity() {
    return HomogeneityReport.of(facts(), inventory());
  }

  /** The LUN inventory, read now, when the chassis was given its file. */
  private Optional<LunInventory> inventory() {
    return inventory.map(file -> {
      if (!Files.exists(file)) {
        throw new NotFoundException("LUN inventory", file.toString(), "the chassis was given this file but it does not exist");
      }
      return LunInventory.read(file);
    });
  }

  @Override
  public String toString() {
    return "Xen on " + chassis + ", shared directory " + shared + inventory.map(i -> ", LUN inventory " + i).orElse("");
  }
}
