package dev.midplane.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PlanTest {
  /** A toy live state: key/value settings, changed by steps that set a key and undo to the old value. */
  static final class State {
    final Map<String, String> values = new LinkedHashMap<>();

    Step set(String key, String value, Failure failure) {
      return new Step() {
        String before;

        @Override
        public String description() {
          return "set " + key + "=" + value;
        }

        @Override
        public void apply() {
          if (failure == Failure.APPLY) {
            throw new IllegalStateException("injected apply failure");
          }
          before = values.get(key);
          values.put(key, value);
          if (failure == Failure.NO_EFFECT) {
            values.put(key, before);
          }
        }

        @Override
        public Verification verify() {
          return Verification.check(value.equals(values.get(key)), key + " is " + values.get(key) + ", expected " + value);
        }

        @Override
        public void undo() {
          if (before == null) {
            values.remove(key);
          } else {
            values.put(key, before);
          }
        }
      };
    }
  }

  enum Failure { NONE, APPLY, NO_EFFECT }

  @Provide
  Arbitrary<Failure> failures() {
    return Arbitraries.of(Failure.APPLY, Failure.NO_EFFECT);
  }

  /** A failure injected at step k, however the plan is made, leaves the state as it was. */
  @Property(tries = 300)
  void aFailureAtAnyStepRestoresTheInitialState(
      @ForAll @IntRange(min = 1, max = 12) int length,
      @ForAll @IntRange(min = 0, max = 11) int k,
      @ForAll("failures") Failure kind,
      @ForAll @IntRange(min = 1, max = 4) int keys) {
    int failAt = k % length;
    State s = new State();
    s.values.put("k0", "initial");
    Map<String, String> initial = new LinkedHashMap<>(s.values);
    Plan.Builder b = Plan.builder("toy");
    for (int i = 0; i < length; i++) {
      b.step(s.set("k" + (i % keys), "v" + i, i == failAt ? kind : Failure.NONE));
    }
    Plan plan = b.build();
    assertThatThrownBy(plan::apply)
        .isInstanceOf(PlanFailedException.class)
        .satisfies(e -> {
          PlanReport r = ((PlanFailedException) e).report();
          assertThat(r.rolledBackCleanly()).isTrue();
          assertThat(r.steps().get(failAt).status()).isEqualTo(StepOutcome.Status.FAILED);
          assertThat(r.steps().subList(0, failAt)).allMatch(o -> o.status() == StepOutcome.Status.UNDONE);
          assertThat(r.steps().subList(failAt + 1, length)).allMatch(o -> o.status() == StepOutcome.Status.NOT_RUN);
        });
    assertThat(s.values).isEqualTo(initial);
  }

  @Test
  void aSuccessfulPlanVerifiesEachStepAndCanBeCheckedForDriftLater() {
    State s = new State();
    Plan p = Plan.builder("two").step(s.set("a", "1", Failure.NONE)).step(s.set("b", "2", Failure.NONE)).build();
    PlanReport r = p.apply();
    assertThat(r.succeeded()).isTrue();
    assertThat(r.steps()).extracting(StepOutcome::status).containsOnly(StepOutcome.Status.APPLIED);
    assertThat(p.verify()).isEmpty();
    s.values.put("b", "drifted");
    assertThat(p.verify()).containsExactly("2. set b=2: b is drifted, expected 2");
  }

  @Test
  void aStepThatCannotBeUndoneIsReportedAsSuch() {
    List<String> log = new ArrayList<>();
    Plan p = Plan.builder("flush then fail")
        .step(Step.builder("flush map").apply(() -> log.add("flush")).build())
        .step(Step.builder("boom").apply(() -> {
          throw new IllegalStateException("boom");
        }).build())
        .build();
    assertThatThrownBy(p::apply)
        .isInstanceOf(PlanFailedException.class)
        .hasMessageContaining("step 2 (boom) failed: boom")
        .hasMessageContaining("NOT fully rolled back")
        .satisfies(e -> assertThat(((PlanFailedException) e).report().steps().get(0).status())
            .isEqualTo(StepOutcome.Status.NOT_UNDOABLE));
  }

  @Test
  void aFailingUndoIsReportedNotHidden() {
    Plan p = Plan.builder("x")
        .step(Step.builder("a").apply(() -> {}).undo(() -> {
          throw new IllegalStateException("device busy");
        }).build())
        .step(Step.builder("b").apply(() -> {
          throw new IllegalStateException("b failed");
        }).build())
        .build();
    assertThatThrownBy(p::apply).satisfies(e -> {
      StepOutcome a = ((PlanFailedException) e).report().steps().get(0);
      assertThat(a.status()).isEqualTo(StepOutcome.Status.UNDO_FAILED);
      assertThat(a.detail()).contains("device busy");
    });
  }

  @Test
  void dryRunListsTheExactCommandsAndRunsNothing(@org.junit.jupiter.api.io.TempDir Path root) {
    List<Command> ran = new ArrayList<>();
    SimulatedRunner sim = new SimulatedRunner("blade1").register("ip", inv -> {
      ran.add(inv.command());
      return Reply.ok();
    });
    Host h = Host.simulated("blade1", root, sim);
    Plan p = Plan.builder("bond0")
        .step(Step.builder("create bond0").runs(h, Command.of("ip", "link", "add", "bond0", "type", "bond", "mode", "active-backup"))
            .undoRuns(h, Command.of("ip", "link", "del", "bond0")).build())
        .step(Step.builder("enslave eth0").runs(h, Command.of("ip", "link", "set", "eth0", "master", "bond0")).build())
        .build();
    assertThat(p.dryRun()).isEqualTo("""
        plan: bond0
          1. create bond0
               $ ip link add bond0 type bond mode active-backup
          2. enslave eth0  [cannot be undone]
               $ ip link set eth0 master bond0
        """);
    assertThat(ran).isEmpty();
    assertThat(p.commands()).hasSize(2);
    p.apply();
    assertThat(ran).hasSize(2);
  }

  @Test
  void dryRunShowsWhatACommandIsFedOnStdin(@org.junit.jupiter.api.io.TempDir Path root) {
    Host h = Host.simulated("blade1", root, new SimulatedRunner("blade1"));
    Plan p = Plan.builder("lock vif1.0")
        .step(Step.builder("load rules").runs(h, Command.builder("ebtables-restore", "--noflush")
            .stdin("*filter\n-N MP-vif1.0-in\nCOMMIT\n").build()).build())
        .build();
    assertThat(p.dryRun()).isEqualTo("""
        plan: lock vif1.0
          1. load rules  [cannot be undone]
               $ ebtables-restore --noflush <<'EOF'
               *filter
               -N MP-vif1.0-in
               COMMIT
               EOF
        """);
  }

  @Test
  void commandFailureInAStepRollsBackEarlierCommandSteps(@org.junit.jupiter.api.io.TempDir Path root) {
    List<String> ran = new ArrayList<>();
    SimulatedRunner sim = new SimulatedRunner("blade1").register("ip", inv -> {
      ran.add(String.join(" ", inv.args()));
      return inv.args().contains("eth9") ? Reply.fail(1, "Cannot find device \"eth9\"") : Reply.ok();
    });
    Host h = Host.simulated("blade1", root, sim);
    Plan p = Plan.builder("bond0")
        .step(Step.builder("create bond0").runs(h, Command.of("ip", "link", "add", "bond0", "type", "bond"))
            .undoRuns(h, Command.of("ip", "link", "del", "bond0")).build())
        .step(Step.builder("enslave eth9").runs(h, Command.of("ip", "link", "set", "eth9", "master", "bond0")).build())
        .build();
    assertThatThrownBy(p::apply).isInstanceOf(PlanFailedException.class)
        .hasMessageContaining("Cannot find device \"eth9\"")
        .hasMessageContaining("rolled back");
    assertThat(ran).containsExactly("link add bond0 type bond", "link set eth9 master bond0", "link del bond0");
  }
}
