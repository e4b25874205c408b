package dev.midplane.network.antispoof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.Fault;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.Ipv4Address;
import dev.midplane.core.names.MacAddress;
import dev.midplane.core.plan.PlanFailedException;
import dev.midplane.core.plan.StepOutcome;
import dev.midplane.core.testkit.RealPrerequisites;
import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Locks as plans on a real kernel, watched through a recording runner. */
@RequiresReal(tools = {"ip", "nft", "ebtables", "ebtables-save", "ebtables-restore"}, root = true,
    features = RealPrerequisites.Feature.NETNS)
class AntiSpoofingPlanTest {
  @TempDir
  Path root;

  private static List<VifPolicy> policies(int n) {
    List<VifPolicy> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(VifPolicy.of(InterfaceName.xenVif(100 + i, 0), MacAddress.fromBits(0x00163e100000L + i),
          Ipv4Address.fromBits(Ipv4Address.of("192.0.2.0").bits() + 1 + (i % 250))));
    }
    return l;
  }

  /** What a test does with a recording runner over a fresh namespace and anti-spoofing through it. */
  private interface Lab {
    void run(RecordingRunner r, AntiSpoofing as);
  }

  private void inNamespace(AntiSpoofing.Backend backend, Lab body) {
    try (var ns = dev.midplane.core.testkit.NetNs.create("plan")) {
      RecordingRunner r = RecordingRunner.wrapping(ns.runner());
      body.run(r, AntiSpoofing.on(Host.of(HostName.of("plan-lab"), Host.Kind.LOCAL, r, root, null, null), backend));
    }
  }

  @ParameterizedTest
  @EnumSource(AntiSpoofing.Backend.class)
  void fiftyVifsLockInOneWritingProcessAndAreVerifiedByOneRead(AntiSpoofing.Backend backend) {
    inNamespace(backend, (r, as) -> {
      as.lock(policies(50));
      List<String> programs = r.commands().stream().map(c -> String.join(" ", c.argv())).toList();
      if (backend == AntiSpoofing.Backend.EBTABLES) {
        assertThat(programs).containsExactly("ebtables-save -c", "ebtables-restore --noflush", "ebtables-save -c");
      } else {
        assertThat(programs).containsExactly("nft -f -", "nft -j list ruleset");
      }
      assertThat(as.statusAll()).hasSize(50).allMatch(VifStatus::isLocked);
    });
  }

  @ParameterizedTest
  @EnumSource(AntiSpoofing.Backend.class)
  void aDryRunShowsTheCommandsAndTheScriptAndChangesNothing(AntiSpoofing.Backend backend) {
    inNamespace(backend, (r, as) -> {
      String dry = as.dryRun(policies(2));
      assertThat(dry).contains("lock 2 vifs in one");
      if (backend == AntiSpoofing.Backend.EBTABLES) {
        assertThat(dry).contains("$ ebtables-save -c", "$ ebtables-restore --noflush",
            "-A midplane-vif100.0-in -s ! 00:16:3e:10:00:00 -j DROP", "-I FORWARD 1 -i vif101.0 -j midplane-vif101.0-in");
      } else {
        assertThat(dry).contains("$ nft -f -",
            "add rule bridge midplane midplane-vif100.0-in ether saddr != 00:16:3e:10:00:00 counter drop");
      }
      assertThat(r.commands()).allMatch(c -> c.argv().contains("-j") || c.argv().contains("-c"));
      assertThat(as.statusAll()).isEmpty();
    });
  }

  @ParameterizedTest
  @EnumSource(AntiSpoofing.Backend.class)
  void aLockThatDoesNotReadBackRightIsRolledBack(AntiSpoofing.Backend backend) {
    inNamespace(backend, (r, as) -> {
      Command read = AntiSpoofing.backendFor(backend).readCommand();
      // The verification read sees a ruleset where the lock is missing.
      String empty = backend == AntiSpoofing.Backend.EBTABLES ? "*filter\n:INPUT ACCEPT\n:FORWARD ACCEPT\n:OUTPUT ACCEPT\n"
          : "{\"nftables\": []}";
      r.on(read.argv().toArray(String[]::new)).afterMatches(backend == AntiSpoofing.Backend.EBTABLES ? 1 : 0)
          .reply(Reply.ok(empty)).once();
      assertThatThrownBy(() -> as.lock(policies(1)))
          .isInstanceOf(PlanFailedException.class)
          .hasMessageContaining("not_locked")
          .satisfies(e -> assertThat(((PlanFailedException) e).report().steps()).singleElement()
              .satisfies(s -> assertThat(s.status()).isEqualTo(StepOutcome.Status.FAILED))
              .satisfies(s -> assertThat(s.detail()).contains("undone")));
      assertThat(as.statusAll()).as("the rollback unlocked what the lock had added").isEmpty();
    });
  }

  @ParameterizedTest
  @EnumSource(AntiSpoofing.Backend.class)
  void aToolThatFailsLeavesNothingAndSaysWhy(AntiSpoofing.Backend backend) {
    inNamespace(backend, (r, as) -> {
      String program = backend == AntiSpoofing.Backend.EBTABLES ? "ebtables-restore" : "nft";
      r.on(program, backend == AntiSpoofing.Backend.EBTABLES ? "--noflush" : "-f")
          .fault(Fault.exit(4, "line 7: CHAIN_ADD failed (Cannot allocate memory)")).once();
      assertThatThrownBy(() -> as.lock(policies(3)))
          .isInstanceOf(PlanFailedException.class)
          .hasMessageContaining("exited with 4")
          .hasMessageContaining("Cannot allocate memory");
      assertThat(as.statusAll()).isEmpty();
    });
  }
}
