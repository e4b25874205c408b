package dev.midplane.xen.chassis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.plan.Plan;
import dev.midplane.core.plan.Step;
import dev.midplane.core.plan.StepOutcome;
import dev.midplane.xen.MigrationEvent;
import dev.midplane.xen.sim.SimulatedXen.MigrationFault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chassis migrations of a VM without anti-spoofing (no filter tool needed): placement moves with
 * it, and a failure at any stage leaves it on exactly one host with its placement there.
 */
class ChassisMigrationTest {
  private static final DomainName VM1 = DomainName.of("vm1");
  private static final HostName BLADE1 = HostName.of("blade1");
  private static final HostName BLADE2 = HostName.of("blade2");

  @TempDir
  Path dir;
  private Blades b;

  @BeforeEach
  void setUp() {
    b = Blades.of(dir, 2);
    b.sim.provisionLun(MultipathAlias.of("vm1"), 8L << 30);
    XenChassis xc = b.xc();
    xc.profiles().save(Blades.unlocked("vm1", 1, "xenbr1"));
    xc.placement().place(VM1, BLADE1);
    assertThat(xc.placement().startAllFor(BLADE1).started()).containsExactly(VM1);
  }

  @AfterEach
  void tearDown() {
    b.close();
  }

  /** The VM runs on {@code host} only, with nothing left elsewhere, and is placed there. */
  private void assertOnlyOn(HostName host) {
    XenChassis xc = b.xc();
    assertThat(xc.whereIs(VM1).onlyHost()).as("where vm1 runs: %s", xc.whereIs(VM1)).contains(host);
    assertThat(xc.placement().hostOf(VM1)).contains(host);
  }

  @Test
  void theVmAndItsPlacementMove() {
    List<MigrationEvent> heard = new CopyOnWriteArrayList<>();
    ChassisMigration m = b.xc().migrate(VM1, BLADE2).progress(heard::add);
    String dry = m.dryRun();
    assertThat(dry).contains("preflight: migrate vm1 from blade1 to blade2: clear")
        .contains("plan: migrate vm1 live from blade1 to blade2")
        .contains("$ xl migrate vm1 blade2")
        .contains("move vm1's placement from blade1 to blade2");

    MigrationOutcome o = m.call();
    assertOnlyOn(BLADE2);
    assertThat(o.source()).isEqualTo(BLADE1);
    assertThat(o.report().succeeded()).isTrue();
    assertThat(o.report().steps()).extracting(StepOutcome::status).containsOnly(StepOutcome.Status.APPLIED);
    assertThat(o.migration()).isPresent();
    assertThat(heard).extracting(MigrationEvent::stage).contains(MigrationEvent.Stage.SUCCEEDED);
    assertThat(o.notes()).isEmpty();
    assertThatThrownBy(m::call).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aCleanToolstackFailureLeavesTheVmAndItsPlacementAtTheSource() {
    for (MigrationFault f : List.of(MigrationFault.SUSPEND_FAILS, MigrationFault.STREAM_BROKEN,
        MigrationFault.TARGET_STARTUP_FAILS)) {
      b.sim.xen("blade1").injectMigrationFault(f);
      assertThatThrownBy(() -> b.xc().migrate(VM1, BLADE2).call()).as("%s", f)
          .isInstanceOfSatisfying(ChassisMigrationException.class, e -> {
            assertThat(e.migrated()).isFalse();
            assertThat(e.whereabouts()).hasValueSatisfying(w -> assertThat(w.onlyHost()).contains(BLADE1));
            assertThat(e.getMessage()).contains("vm1 runs on blade1");
          });
      assertOnlyOn(BLADE1);
    }
  }

  @Test
  void aLostFinalHandshakeAfterTheTargetStartedTheVmCompletesTheMigration() {
    b.sim.xen("blade1").injectMigrationFault(MigrationFault.FINAL_HANDSHAKE_LOST);
    MigrationOutcome o = b.xc().migrate(VM1, BLADE2).call();
    assertOnlyOn(BLADE2);
    assertThat(o.migration()).isEmpty();
    assertThat(o.notes()).anyMatch(n -> n.equals("destroyed the suspended copy vm1--migratedaway on blade1"))
        .anyMatch(n -> n.contains("runs on blade2: the migration is taken as done"));
    assertThat(b.sim.xen("blade1").domains()).hasSize(1);
  }

  @Test
  void aFailedVerificationAfterTheMigrationIsReconciled() {
    RecordingRunner blade2 = RecordingRunner.wrapping(b.sim.kernel("blade2").runner());
    b.sim.decorate("blade2", r -> blade2);
    // the preflight lists blade2's domains once; the second list is the migration's verification
    blade2.on(c -> c.argv().equals(List.of("xl", "list")), "xl list").fault(Fault.timeout()).afterMatches(1).once();

    assertThatThrownBy(() -> b.xc().migrate(VM1, BLADE2).call()).isInstanceOfSatisfying(ChassisMigrationException.class, e -> {
      assertThat(e.migrated()).isTrue();
      assertThat(e.reconciliation()).hasValueSatisfying(r -> assertThat(r.succeeded()).isTrue());
      // core's plan reports a step that failed its verification and cannot be undone as NOT_UNDOABLE
      assertThat(e.report().steps()).anySatisfy(s -> {
        assertThat(s.description()).startsWith("migrate vm1 from blade1 to blade2");
        assertThat(s.detail()).contains("verification: expected vm1 on blade2 only").contains("blade2 did not answer");
      });
    });
    assertOnlyOn(BLADE2);
  }

  @Test
  void aPlacementThatCannotBeWrittenIsReconciledOnceItCanBe() throws IOException {
    Path placement = b.sim.sharedDirectory().resolve("placement");
    String before = Files.readString(placement);
    Plan.Listener sabotage = new Plan.Listener() {
      @Override
      public void stepStarting(int index, Step step) {
        if (step.description().startsWith("move vm1's placement")) {
          swap(placement, true);
        }
      }

      @Override
      public void stepFinished(StepOutcome outcome) {
        if (outcome.description().startsWith("move vm1's placement")) {
          swap(placement, false);
        }
      }

      private void swap(Path p, boolean broken) {
        try {
          if (broken) {
            Files.delete(p);
            Files.createDirectories(p.resolve("unreadable"));
          } else {
            Files.delete(p.resolve("unreadable"));
            Files.delete(p);
            Files.writeString(p, before);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    assertThatThrownBy(() -> b.xc().migrate(VM1, BLADE2).listener(sabotage).call())
        .isInstanceOfSatisfying(ChassisMigrationException.class, e -> {
          assertThat(e.migrated()).isTrue();
          assertThat(e.report().steps()).anySatisfy(s -> {
            assertThat(s.description()).startsWith("move vm1's placement");
            assertThat(s.status()).isEqualTo(StepOutcome.Status.FAILED);
          });
          assertThat(e.reconciliation()).hasValueSatisfying(r -> assertThat(r.steps()).extracting(StepOutcome::description)
              .containsExactly("move vm1's placement from blade1 to blade2 (placement)"));
        });
    assertOnlyOn(BLADE2);
  }

  @Test
  void reconcileFollowsAVmMovedByHand() {
    dev.midplane.xen.Xen.on(b.sim.host("blade1")).domain(VM1).migrate(BLADE2).call();
    assertThat(b.xc().placement().hostOf(VM1)).contains(BLADE1);
    assertThat(b.xc().reconcilePlan(VM1).dryRun()).contains("move vm1's placement from blade1 to blade2");
    b.xc().reconcile(VM1);
    assertOnlyOn(BLADE2);
    assertThat(b.xc().reconcilePlan(VM1).isEmpty()).isTrue();
  }

  @Test
  void xmBladesStartFromProfilesAndMigrateThroughXend() {
    try (Blades xm = Blades.of(dir.resolve("xm"), 2, false, c -> c.toolstack(dev.midplane.xen.Toolstack.Kind.XM))) {
      xm.sim.provisionLun(MultipathAlias.of("vm1"), 8L << 30);
      XenChassis xc = xm.xc();
      xc.profiles().save(Blades.unlocked("vm1", 1, "xenbr1"));
      xc.placement().place(VM1, BLADE1);
      assertThat(xc.placement().startAllFor(BLADE1).started()).containsExactly(VM1);
      assertThat(xm.sim.xen("blade1").domain(VM1)).isPresent();

      ChassisMigration m = xc.migrate(VM1, BLADE2);
      assertThat(m.dryRun()).contains("$ xm migrate --live vm1 blade2");
      assertThat(m.call().report().succeeded()).isTrue();
      assertThat(xm.sim.xen("blade2").domain(VM1)).isPresent();
      assertThat(xm.sim.xen("blade1").domain(VM1)).isEmpty();
      assertThat(xc.placement().hostOf(VM1)).contains(BLADE2);

      // after a power cycle of blade2 the VM comes back there, and only there
      xm.sim.reboot("blade2");
      assertThat(xc.placement().startAllFor(BLADE1).started()).isEmpty();
      assertThat(xc.placement().startAllFor(BLADE2).started()).containsExactly(VM1);
      assertThat(xc.whereIs(VM1).onlyHost()).contains(BLADE2);
    }
  }
}
