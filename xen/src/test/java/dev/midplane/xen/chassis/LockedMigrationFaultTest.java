package dev.midplane.xen.chassis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.testkit.RealPrerequisites;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.network.antispoof.AntiSpoofing;
import dev.midplane.network.antispoof.VifStatus;
import dev.midplane.xen.VifNames;
import dev.midplane.xen.sim.SimulatedXen.MigrationFault;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Migrations of a locked VM between blades whose anti-spoofing rules live in real nftables (one
 * network namespace per blade, made and removed by the test): the rules are in place on the target
 * before the VM runs there, leave the source after, and a failure injected at any stage leaves the
 * VM running on exactly one blade, locked there and nowhere else, and placed there.
 */
@RequiresReal(tools = {"ip", "nft"}, root = true, features = RealPrerequisites.Feature.NETNS)
class LockedMigrationFaultTest {
  private static final DomainName VM1 = DomainName.of("vm1");
  private static final HostName BLADE1 = HostName.of("blade1");
  private static final HostName BLADE2 = HostName.of("blade2");
  private static final InterfaceName VIF = VifNames.of(VM1, 0);

  @TempDir
  Path dir;
  private Blades b;
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    b = Blades.of(dir, 2, true, c -> { });
    b.sim.provisionLun(MultipathAlias.of("vm1"), 8L << 30);
    XenChassis xc = b.xc();
    xc.profiles().save(Blades.vm("vm1", 1, "xenbr1"));
    xc.placement().place(VM1, BLADE1);
    assertThat(xc.placement().startAllFor(BLADE1).started()).containsExactly(VM1);
    assertConsistent(BLADE1);
  }

  @AfterEach
  void tearDown() {
    b.close();
  }

  /** Runs on exactly {@code host}, locked there (with its profile's policy) and nowhere else, placed there. */
  private void assertConsistent(HostName host) {
    XenChassis xc = b.xc();
    assertThat(xc.whereIs(VM1).onlyHost()).as("%s", xc.whereIs(VM1)).contains(host);
    for (HostName h : List.of(BLADE1, BLADE2)) {
      VifStatus s = AntiSpoofing.on(xc.host(h)).status(VIF);
      assertThat(s.state()).as("%s on %s", VIF, h).isEqualTo(h.equals(host) ? VifStatus.State.LOCKED : VifStatus.State.NOT_LOCKED);
    }
    assertThat(xc.placement().hostOf(VM1)).contains(host);
  }

  /** Wraps each blade's runner to log its commands in one list, and gives the blade's RecordingRunner. */
  private RecordingRunner record(String blade) {
    RecordingRunner r = RecordingRunner.wrapping(b.sim.kernel(blade).runner());
    CommandRunner logged = new CommandRunner() {
      @Override
      public CommandResult run(Command c) {
        log.add(blade + ": " + String.join(" ", c.argv()));
        return r.run(c);
      }

      @Override
      public CommandResult run(Command c, dev.midplane.core.exec.OutputListener l) {
        log.add(blade + ": " + String.join(" ", c.argv()));
        return r.run(c, l);
      }
    };
    b.sim.decorate(blade, x -> logged);
    return r;
  }

  @Test
  void theRulesAreOnTheTargetBeforeTheVmRunsThereAndLeaveTheSourceAfter() {
    record("blade1");
    record("blade2");
    MigrationOutcome o = b.xc().migrate(VM1, BLADE2).call();
    assertConsistent(BLADE2);
    assertThat(o.report().steps()).hasSize(4);
    int lockedOnTarget = log.indexOf("blade2: nft -f -");
    int migrated = log.indexOf("blade1: xl migrate vm1 blade2");
    int received = log.indexOf("blade2: xl migrate-receive");
    int unlockedOnSource = log.lastIndexOf("blade1: nft -f -");
    assertThat(lockedOnTarget).isNotNegative().isLessThan(migrated);
    assertThat(migrated).isLessThan(received);
    assertThat(received).isLessThan(unlockedOnSource);

    // and back: the profile's policy travels both ways
    b.xc().migrate(VM1, BLADE1).call();
    assertConsistent(BLADE1);
  }

  @Test
  void aStartWhoseLockFailsIsRolledBackBeforeTheVmRuns() {
    RecordingRunner blade1 = record("blade1");
    b.sim.reboot("blade1");
    blade1.on("nft", "-f").fault(Fault.exit(1, "Error: Could not process rule: No buffer space available")).once();
    StartReport r = b.xc().placement().startAllFor(BLADE1);
    assertThat(r.failed()).singleElement().satisfies(v -> assertThat(v.detail()).contains("No buffer space available")
        .contains("create vm1 paused undone"));
    assertThat(b.sim.xen("blade1").domains()).hasSize(1);
    assertThat(log).doesNotContain("blade1: xl unpause vm1");
    assertThat(b.xc().placement().startAllFor(BLADE1).started()).containsExactly(VM1);
    assertConsistent(BLADE1);
  }

  /** Where a fault is put, and where the VM must end up. */
  enum Stage {
    TARGET_LOCK(BLADE1, m -> m.target.on("nft", "-f").fault(Fault.exit(1, "Error: Could not process rule: No buffer space available"))
        .once()),
    SSH_CUT(BLADE1, m -> m.source.on("xl", "migrate").fault(Fault.sideEffectBefore("blade2 drops off the network",
        () -> m.blades.sim.disconnect("blade2"))).once()),
    SUSPEND(BLADE1, m -> m.blades.sim.xen("blade1").injectMigrationFault(MigrationFault.SUSPEND_FAILS)),
    STREAM(BLADE1, m -> m.blades.sim.xen("blade1").injectMigrationFault(MigrationFault.STREAM_BROKEN)),
    RECEIVER(BLADE1, m -> m.target.on("xl", "migrate-receive").fault(Fault.timeout()).once()),
    TARGET_STARTUP(BLADE1, m -> m.blades.sim.xen("blade1").injectMigrationFault(MigrationFault.TARGET_STARTUP_FAILS)),
    FINAL_HANDSHAKE(BLADE2, m -> m.blades.sim.xen("blade1").injectMigrationFault(MigrationFault.FINAL_HANDSHAKE_LOST)),
    VERIFICATION(BLADE2, m -> m.target.on(c -> c.argv().equals(List.of("xl", "list")), "xl list").fault(Fault.timeout())
        .afterMatches(1).once()),
    SOURCE_UNLOCK(BLADE2, m -> m.source.on("nft", "-f").fault(Fault.exit(1, "Error: Could not process rule: Device or resource busy"))
        .once());

    final HostName endsOn;
    final Consumer<Faults> inject;

    Stage(HostName endsOn, Consumer<Faults> inject) {
      this.endsOn = endsOn;
      this.inject = inject;
    }
  }

  /** The recording runners of both blades, for a stage to put its fault on. */
  record Faults(Blades blades, RecordingRunner source, RecordingRunner target) {}

  @ParameterizedTest
  @EnumSource(Stage.class)
  void aFaultAtAnyStageLeavesTheVmOnOneBladeLockedAndPlacedThere(Stage stage) {
    Faults f = new Faults(b, record("blade1"), record("blade2"));
    stage.inject.accept(f);
    if (stage.endsOn.equals(BLADE2) && stage != Stage.VERIFICATION && stage != Stage.SOURCE_UNLOCK) {
      MigrationOutcome o = b.xc().migrate(VM1, BLADE2).call();
      assertThat(o.notes()).isNotEmpty();
    } else {
      assertThatThrownBy(() -> b.xc().migrate(VM1, BLADE2).call()).isInstanceOfSatisfying(ChassisMigrationException.class,
          e -> assertThat(e.migrated()).isEqualTo(stage.endsOn.equals(BLADE2)));
    }
    b.sim.reconnect("blade2");
    assertConsistent(stage.endsOn);
  }
}
