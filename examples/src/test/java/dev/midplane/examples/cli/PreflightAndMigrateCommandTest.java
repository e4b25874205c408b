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
  void aClearPreflightExits0() {
    Cli.Run run = Cli.run("preflight", "web01", "--to", "blade2");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("preflight: migrate web01 from blade1 to blade2: clear\n");
  }

  @Test
  void aBlockedPreflightListsEveryBlockerAndExits1() {
    Cli.Run run = Cli.run("preflight", "db01", "--to", "blade2");
    assertThat(run.code()).isEqualTo(Midplane.FAILED);
    assertThat(run.out()).startsWith("preflight: migrate db01 from blade1 to blade2: blocked\n")
        .contains("  blocker (MEMORY): blade2 has 7168 MiB free, db01 needs 10240 MiB\n")
        .contains("  blocker (DISK): blade2 has no multipath map db01");
  }

  @Test
  void thePreflightAsJson() {
    Cli.Run run = Cli.run("preflight", "db01", "--to", "blade2", "--json");
    assertThat(run.code()).isEqualTo(Midplane.FAILED);
    JsonNode j = run.json();
    assertThat(Cli.fields(j)).containsExactly("vm", "source", "target", "clear", "blockers", "warnings");
    assertThat(j.get("source").asText()).isEqualTo("blade1");
    assertThat(j.get("clear").asBoolean()).isFalse();
    assertThat(j.get("blockers").findValuesAsText("kind")).containsExactlyInAnyOrder("MEMORY", "DISK");
    assertThat(Cli.fields(j.get("blockers").get(0))).containsExactly("kind", "detail");
  }

  @Test
  void migrateMovesTheDomainItsLockAndItsPlacement() {
    Cli.Run run = Cli.run("migrate", "web01", "--to", "blade2");
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("migrating web01 to blade2:\n")
        .contains("  migration target: Ready to receive domain.").contains("  Migration successful.")
        .contains("1. lock vif web01-0").contains(": applied")
        .contains("4. move web01's placement from blade1 to blade2 (placement): applied")
        .containsPattern("  web01 +\\d+ +512 +1 +-b----");
  }

  @Test
  void aRefusedMigrationChangesNothing() {
    Cli.Run run = Cli.run("migrate", "db01", "--to", "blade2");
    assertThat(run.code()).isEqualTo(Midplane.FAILED);
    assertThat(run.err()).contains("refused to migrate db01 from blade1 to blade2:")
        .contains("  - blade2 has 7168 MiB free, db01 needs 10240 MiB").contains("  - blade2 has no multipath map db01");
    assertThat(run.out()).doesNotContain("Migration successful");
  }

  @Test
  void aDryRunShowsThePlanAndDoesNotMigrate() {
    Cli.Run run = Cli.run("migrate", "web01", "--to", "blade2", "--dry-run");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("preflight: migrate web01 from blade1 to blade2: clear")
        .contains("$ xl migrate web01 blade2").doesNotContain("Migration successful");
  }

  @Test
  void unknownBladesAndDomainsAndHostileNames() {
    Cli.Run noBlade = Cli.run("preflight", "web01", "--to", "blade9");
    assertThat(noBlade.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(noBlade.err()).contains("--to blade9: no such blade; the blades are [blade1, blade2]");

    Cli.Run noDomain = Cli.run("preflight", "nosuch", "--to", "blade2");
    assertThat(noDomain.code()).isEqualTo(Midplane.FAILED);
    assertThat(noDomain.out()).contains("blocker (WHEREABOUTS)").contains("nosuch");

    Cli.Run hostile = Cli.run("migrate", "web01;reboot", "--to", "blade2");
    assertThat(hostile.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(hostile.err()).contains("DOMAIN");

    Cli.Run noTo = Cli.run("migrate", "web01");
    assertThat(noTo.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(noTo.err()).contains("--to");
  }

  @Test
  void realBladesNeedTheSharedDirectory() {
    Cli.Run run = Cli.run("preflight", "web01", "--to", "blade2", "--host", "blade2=root@192.0.2.12");
    assertThat(run.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(run.err()).contains("--shared is needed with --host");
  }

  @Test
  void malformedHostsAreBadInputBeforeAnyConnection() {
    Cli.Run bad = Cli.run("preflight", "web01", "--to", "blade2", "--host", "blade2");
    assertThat(bad.code()).isEqualTo(Midplane.BAD_INPUT);
    assertThat(bad.err()).contains("--host blade2: expected NAME=[USER@]ADDRESS[:PORT]");
    Cli.Run port = Cli.run("preflight", "web01", "--to", "blade2", "--host", "blade2=root@192.0.2.12:70000",
        "--identity", dir.resolve("none").toString(), "--shared", dir.toString());
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
        "--host", "blade2=root@127.0.0.1:1", "--identity", key.toString(), "--known-hosts", dir.resolve("kh").toString(),
        "--shared", dir.toString());
    assertThat(run.code()).as(run.toString()).isEqualTo(Midplane.FAILED);
    assertThat(run.err()).contains("127.0.0.1").doesNotContain("unexpected failure");
  }
}
