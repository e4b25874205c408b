package dev.midplane.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.LocalCommandRunner;
import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code midplane preflight} and {@code migrate} through the entry point, against the embedded
 * chassis (web01 and db01 running on blade1; db01's LUN is not presented to blade2, which also
 * lacks the memory for it), and the SSH slot for real blades.
 */
class PreflightAndMigrateCommandTest {
  @TempDir
  Path dir;

  @Test
  void aPassingPreflightListsEveryCheckAndExits0() {
    Cli.Run run = Cli.run("preflight", "web01", "--to", "blade2");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out().lines().toList()).hasSize(6).allMatch(l -> l.startsWith("ok ") || l.startsWith("preflight passed"));
    assertThat(run.out()).contains("ok       bridge xenbr0 exists on blade2")
        .contains("ok       map web01 on blade2 is the same LUN: WWID 36001405")
        .contains("preflight passed: web01 can migrate from blade1 to blade2");
  }

  @Test
  void aRefusedPreflightListsEveryBlockerAndExits1() {
    Cli.Run run = Cli.run("preflight", "db01", "--to", "blade2");
    assertThat(run.code()).isEqualTo(Midplane.FAILED);
    assertThat(run.out()).contains("BLOCKER  map db01 on blade2 is the same LUN: no /dev/mapper/db01 there")
        .contains("BLOCKER  blade2 can give db01 its 10240 MiB: 7168 MiB free")
        .contains("ok       bridge xenbr1 exists on blade2")
        .contains("preflight refused: 2 blockers");
  }

  @Test
  void thePreflightAsJson() {
    Cli.Run run = Cli.run("preflight", "db01", "--to", "blade2", "--json");
    assertThat(run.code()).isEqualTo(Midplane.FAILED);
    JsonNode j = run.json();
    assertThat(Cli.fields(j)).containsExactly("domain", "source", "target", "ok", "checks");
    assertThat(j.get("source").asText()).isEqualTo("blade1");
    assertThat(j.get("ok").asBoolean()).isFalse();
    assertThat(j.get("checks").findValuesAsText("ok")).containsExactly("true", "true", "true", "false", "false");
    assertThat(Cli.fields(j.get("checks").get(0))).containsExactly("what", "ok", "found");
  }

  @Test
  void migrateMovesTheDomainAndItsLock() {
    Cli.Run run = Cli.run("migrate", "web01", "--to", "blade2");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("migrating web01 from blade1 to blade2:\n")
        .contains("  migration target: Ready to receive domain.").contains("  Migration successful.")
        .contains("locked on blade2 before it ran: [vif1.0]; removed from blade1: [vif1.0]")
        .containsPattern("  web01 +1 +512 +1 +-b----");
  }

  @Test
  void aRefusedMigrationChangesNothing() {
    Cli.Run run = Cli.run("migrate", "db01", "--to", "blade2");
    assertThat(run.code()).isEqualTo(Midplane.FAILED);
    assertThat(run.err()).contains("refused to migrate db01 from blade1 to blade2:")
        .contains("  - map db01 on blade2 is the same LUN").contains("  - blade2 can give db01 its 10240 MiB");
    assertThat(run.out()).doesNotContain("Migration successful");
  }

  @Test
  void aDryRunShowsTheCommandAndDoesNotMigrate() {
    Cli.Run run = Cli.run("migrate", "web01", "--to", "blade2", "--dry-run");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("would run on blade1: $ xl migrate -p web01 blade2").doesNotContain("Migration successful");
  }

  @Test
  void unknownBladesAndDomainsAndHostileNames() {
    Cli.Run noBlade = Cli.run("preflight", "web01", "--to", "blade9");
    assertThat(noBlade.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(noBlade.err()).contains("--to blade9: no such blade; the blades are [blade1, blade2]");

    Cli.Run noDomain = Cli.run("preflight", "nosuch", "--to", "blade2");
    assertThat(noDomain.code()).isEqualTo(Midplane.FAILED);
    assertThat(noDomain.err()).contains("domain 'nosuch' not found: it runs on none of [blade1, blade2]");

    Cli.Run hostile = Cli.run("migrate", "web01;reboot", "--to", "blade2");
    assertThat(hostile.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(hostile.err()).contains("DOMAIN");

    Cli.Run noTo = Cli.run("migrate", "web01");
    assertThat(noTo.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(noTo.err()).contains("--to");
  }

  @Test
  void malformedHostsAreBadInputBeforeAnyConnection() {
    Cli.Run bad = Cli.run("preflight", "web01", "--to", "blade2", "--host", "blade2");
    assertThat(bad.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(bad.err()).contains("--host blade2: expected NAME=[USER@]ADDRESS[:PORT]");
    Cli.Run port = Cli.run("preflight", "web01", "--to", "blade2", "--host", "blade2=root@192.0.2.12:70000",
        "--identity", dir.resolve("none").toString());
    assertThat(port.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(port.err()).contains("--identity " + dir.resolve("none") + ": no such readable file");
  }

  /** Real blades come in over SSH: a blade that does not answer is an operation failure naming it. */
  @Test
  @RequiresReal(tools = "ssh-keygen")
  void remoteBladesAreReachedOverSsh() {
    Path key = dir.resolve("id_ed25519");
    new LocalCommandRunner().run(Command.builder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
        .timeout(Duration.ofSeconds(30)).build()).requireSuccess("local");
    Cli.Run run = Cli.run("preflight", "web01", "--to", "blade2", "--host", "blade1=root@127.0.0.1:1",
        "--host", "blade2=root@127.0.0.1:1", "--identity", key.toString(), "--known-hosts", dir.resolve("kh").toString());
    assertThat(run.code()).as(run.toString()).isEqualTo(Midplane.FAILED);
    assertThat(run.err()).contains("127.0.0.1").doesNotContain("unexpected failure");
  }
}
