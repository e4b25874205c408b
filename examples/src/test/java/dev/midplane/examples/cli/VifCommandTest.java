package dev.midplane.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.Host;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.HostName;
import dev.midplane.core.testkit.NetNs;
import dev.midplane.core.testkit.RealPrerequisites;
import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code midplane vif}: locks and unlocks on a real kernel, inside a network namespace the test
 * makes (the command's "local host" runs its tools there), and refusals of bad input before
 * anything runs.
 */
class VifCommandTest {
  @TempDir
  Path root;

  private Environment inside(RecordingRunner runner) {
    return Environment.system().withLocalHost(
        () -> Host.of(HostName.of("vif-lab"), Host.Kind.LOCAL, runner, root, null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ebtables", "nft"})
  @RequiresReal(tools = {"ip", "nft", "ebtables", "ebtables-save", "ebtables-restore"}, root = true,
      features = RealPrerequisites.Feature.NETNS)
  void lockStatusAndUnlockOnARealKernel(String backend) {
    try (NetNs ns = NetNs.create("clivif")) {
      RecordingRunner r = RecordingRunner.wrapping(ns.runner());
      Environment env = inside(r);

      Cli.Run lock = Cli.run(env, "vif", "lock", "--vif", "vif7.0", "--mac", "00:16:3e:00:07:01",
          "--ip", "192.0.2.17", "--ip", "192.0.2.18", "--backend", backend);
      assertThat(lock.code()).as(lock.toString()).isZero();
      assertThat(lock.out()).contains(": done").contains("vif7.0: locked (00:16:3e:00:07:01 [192.0.2.17, 192.0.2.18])");

      String rules = backend.equals("nft") ? ns.execute("nft", "list", "ruleset").stdout()
          : ns.execute("ebtables", "-L").stdout();
      assertThat(rules).contains("vif7.0").contains("00:16:3e:00:07:01").contains("192.0.2.17");

      Cli.Run status = Cli.run(env, "vif", "status", "--backend", backend);
      assertThat(status.code()).isZero();
      assertThat(status.out()).startsWith("vif7.0: locked");

      Cli.Run unlock = Cli.run(env, "vif", "unlock", "--vif", "vif7.0", "--backend", backend);
      assertThat(unlock.code()).as(unlock.toString()).isZero();
      assertThat(unlock.out()).contains("vif7.0: not_locked");
      String after = backend.equals("nft") ? ns.execute("nft", "list", "ruleset").stdout()
          : ns.execute("ebtables", "-L").stdout();
      assertThat(after).doesNotContain("vif7.0");
      assertThat(Cli.run(env, "vif", "status", "--backend", backend).out()).isEqualTo("no vif has anti-spoofing rules\n");
    }
  }

  @Test
  @RequiresReal(tools = {"ip", "ebtables-save"}, root = true, features = RealPrerequisites.Feature.NETNS)
  void aDryRunPrintsTheScriptAndOnlyReads() {
    try (NetNs ns = NetNs.create("clidry")) {
      RecordingRunner r = RecordingRunner.wrapping(ns.runner());
      Cli.Run dry = Cli.run(inside(r), "vif", "lock", "--vif", "vif3.0", "--mac", "00:16:3e:00:03:01", "--ip",
          "192.0.2.3", "--backend", "ebtables", "--dry-run");
      assertThat(dry.code()).as(dry.toString()).isZero();
      assertThat(dry.out()).contains("$ ebtables-restore --noflush").contains("-s ! 00:16:3e:00:03:01 -j DROP");
      assertThat(r.commands()).allMatch(c -> c.program().equals("ebtables-save"));
      assertThat(ns.execute("ebtables", "-L").stdout()).doesNotContain("vif3.0");
    }
  }

  /** A host whose every command is recorded and refused: bad input must be refused before any runs. */
  private RecordingRunner nothingMayRun() {
    return RecordingRunner.wrapping(new SimulatedRunner("vif-lab"));
  }

  @Test
  void aBadMacIsRefusedBeforeAnythingRuns() {
    RecordingRunner r = nothingMayRun();
    Cli.Run run = Cli.run(inside(r), "vif", "lock", "--vif", "vif7.0", "--mac", "00:16:3e:zz:07:01", "--ip", "192.0.2.17");
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.err()).contains("--mac").contains("00:16:3e:zz:07:01");
    assertThat(r.commands()).isEmpty();
  }

  @Test
  void aHostileInterfaceNameIsRefusedBeforeAnythingRuns() {
    RecordingRunner r = nothingMayRun();
    Cli.Run run = Cli.run(inside(r), "vif", "unlock", "--vif", "vif7.0;reboot");
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.err()).contains("--vif");
    assertThat(r.commands()).isEmpty();
  }

  @Test
  void addressesOutsideUnicastAreRefused() {
    for (List<String> bad : List.<List<String>>of(List.of("--ip", "0.0.0.0"), List.of("--ip", "255.255.255.255"),
        List.of("--ip", "300.1.2.3"), List.of())) {
      RecordingRunner r = nothingMayRun();
      List<String> args = new java.util.ArrayList<>(List.of("vif", "lock", "--vif", "vif7.0", "--mac", "00:16:3e:00:07:01"));
      args.addAll(bad);
      Cli.Run run = Cli.run(inside(r), args.toArray(String[]::new));
      assertThat(run.code()).as(bad + ": " + run).isEqualTo(Midplane.BAD_INPUT);
      assertThat(r.commands()).isEmpty();
    }
  }

  @Test
  void aBroadcastMacIsRefused() {
    RecordingRunner r = nothingMayRun();
    Cli.Run run = Cli.run(inside(r), "vif", "lock", "--vif", "vif7.0", "--mac", "ff:ff:ff:ff:ff:ff", "--ip", "192.0.2.17");
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.err()).containsIgnoringCase("mac");
    assertThat(r.commands()).isEmpty();
  }

  @Test
  void vifWithoutASubcommandIsBadUsage() {
    Cli.Run run = Cli.run(inside(nothingMayRun()), "vif");
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.err()).contains("lock, unlock or status");
  }
}
